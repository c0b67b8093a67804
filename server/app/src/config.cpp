#include "config.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "portcullis/siem/syslog_forwarder.hpp"
#include "portcullis/siem/syslog_message.hpp"

namespace portcullis::app {
namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

// A whole number from `low` to `high`; anything else (text after the digits too) is refused naming the key.
long long whole_number(const std::string& value, long long low, long long high, const std::string& where,
                       const std::string& key, const std::string& unit) {
  long long number = low - 1;
  try {
    std::size_t used = 0;
    number = std::stoll(value, &used);
    if (used != value.size()) number = low - 1;
  } catch (const std::exception&) {
    number = low - 1;
  }
  if (number < low || number > high) {
    throw std::runtime_error(where + ": " + key + " must be " + std::to_string(low) + " to " +
                             std::to_string(high) + (unit.empty() ? "" : " (" + unit + ")"));
  }
  return number;
}

void apply(Config& c, const std::string& key, const std::string& value, const std::string& where) {
  if (key == "database")
    c.database = value;
  else if (key == "admin_database")
    c.admin_database = value;
  else if (key == "listen")
    c.listen = value;
  else if (key == "tls_cert")
    c.tls_cert = value;
  else if (key == "tls_key")
    c.tls_key = value;
  else if (key == "device_ca")
    c.device_ca = value;
  else if (key == "site_id")
    c.site_id = value;
  else if (key == "site_file")
    c.site_file = value;
  else if (key == "audit_key")
    c.audit_key = value;
  else if (key == "audit_export_dir")
    c.audit_export_dir = value;
  else if (key == "audit_checkpoints")
    c.audit_checkpoints = value;
  else if (key == "audit_pubkey")
    c.audit_pubkey = value;
  else if (key == "checkpoint_dir")
    c.checkpoint_dir = value;
  else if (key == "checkpoint_key")
    c.checkpoint_key = value;
  else if (key == "totp_key")
    c.totp_key = value;
  else if (key == "checkpoint_interval") {
    try {
      c.checkpoint_interval_seconds = std::stoi(value);
    } catch (const std::exception&) {
      c.checkpoint_interval_seconds = 0;
    }
    if (c.checkpoint_interval_seconds < 1 || c.checkpoint_interval_seconds > 86400)
      throw std::runtime_error(where + ": checkpoint_interval must be 1 to 86400 seconds");
  } else if (key == "on_tampering") {
    if (value != "serve" && value != "refuse_devices")
      throw std::runtime_error(where + ": on_tampering must be 'serve' or 'refuse_devices'");
    c.refuse_devices_when_tampered = value == "refuse_devices";
  } else if (key == "threads") {
    try {
      c.threads = std::stoi(value);
    } catch (const std::exception&) {
      c.threads = 0;
    }
    if (c.threads < 1 || c.threads > 64) throw std::runtime_error(where + ": threads must be 1 to 64");
  } else if (key == "command_ttl_s") {
    try {
      c.command_ttl_s = std::stoi(value);
    } catch (const std::exception&) {
      c.command_ttl_s = 0;
    }
    if (c.command_ttl_s < 1 || c.command_ttl_s > 3600)
      throw std::runtime_error(where + ": command_ttl_s must be 1 to 3600 (seconds)");
  } else if (key == "metrics_token_sha256") {
    // The hash, never the token: this file may be read by more people than the scraper's secret.
    const bool hex64 = value.size() == 64 && value.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!hex64)
      throw std::runtime_error(
          where + ": metrics_token_sha256 must be 64 lowercase hex digits (sha256sum of the token)");
    c.metrics_token_sha256 = value;
  } else if (key == "snapshot_every_events") {
    c.snapshot_every_events = whole_number(value, 1000, 1'000'000'000, where, key, "records");
  } else if (key == "snapshot_every_s") {
    c.snapshot_every_s = static_cast<int>(whole_number(value, 10, 86400, where, key, "seconds"));
  } else if (key == "snapshot_keep") {
    c.snapshot_keep = static_cast<std::size_t>(whole_number(value, 1, 100, where, key, "snapshots"));
  } else if (key == "start_from") {
    if (value != "snapshot" && value != "replay_from_zero")
      throw std::runtime_error(where + ": start_from must be 'snapshot' or 'replay_from_zero'");
    c.replay_from_zero = value == "replay_from_zero";
  } else if (key == "role") {
    if (value != "owner" && value != "follower")
      throw std::runtime_error(where + ": role must be 'owner' or 'follower'");
    c.follower = value == "follower";
  } else if (key == "takeover") {
    if (value != "on" && value != "off") throw std::runtime_error(where + ": takeover must be 'on' or 'off'");
    c.takeover = value == "on";
  } else if (key == "takeover_check_ms") {
    c.takeover_check_ms = static_cast<int>(whole_number(value, 50, 60000, where, key, "milliseconds"));
  } else if (key == "max_connections") {
    c.max_connections = static_cast<std::size_t>(whole_number(value, 4, 65536, where, key, "connections"));
  } else if (key == "max_connections_per_address") {
    c.max_connections_per_address =
        static_cast<std::size_t>(whole_number(value, 1, 65536, where, key, "connections"));
  } else if (key == "reserved_connections") {
    c.reserved_connections =
        static_cast<std::size_t>(whole_number(value, 0, 65535, where, key, "connections"));
  } else if (key == "new_connections_per_second") {
    c.new_connections_per_second =
        static_cast<int>(whole_number(value, 1, 100000, where, key, "per address"));
  } else if (key == "header_timeout_s") {
    c.header_timeout_s = static_cast<int>(whole_number(value, 1, 60, where, key, "seconds"));
  } else if (key == "body_timeout_s") {
    c.body_timeout_s = static_cast<int>(whole_number(value, 1, 600, where, key, "seconds"));
  } else if (key == "epcis_body_limit") {
    // Bytes, or with a MiB suffix ("32MiB"): 1 MiB to 256 MiB.
    constexpr unsigned long long kMiB = 1024ULL * 1024ULL;
    unsigned long long bytes = 0;
    try {
      std::size_t used = 0;
      bytes = std::stoull(value, &used);
      const auto suffix = trim(value.substr(used));
      if (suffix == "MiB") {
        bytes *= kMiB;
      } else if (!suffix.empty()) {
        bytes = 0;
      }
    } catch (const std::exception&) {
      bytes = 0;
    }
    if (bytes < kMiB || bytes > 256 * kMiB)
      throw std::runtime_error(where +
                               ": epcis_body_limit must be 1MiB to 256MiB (bytes, or a number with MiB)");
    c.epcis_body_limit = static_cast<std::size_t>(bytes);
  } else if (key == "log_format") {
    if (value != "json" && value != "text")
      throw std::runtime_error(where + ": log_format must be 'json' or 'text'");
    c.log_format = value;
  } else if (key == "syslog_target") {
    try {
      if (!value.empty()) (void)siem::parse_syslog_target(value);
    } catch (const std::exception& e) {
      throw std::runtime_error(where + ": " + e.what());
    }
    c.syslog_target = value;
  } else if (key == "syslog_facility") {
    c.syslog_facility = siem::parse_facility(value);
    if (c.syslog_facility < 0)
      throw std::runtime_error(
          where + ": syslog_facility must be a facility name (authpriv, local0..local7, ...) or 0 to 23");
  } else if (key == "syslog_hostname") {
    c.syslog_hostname = value;
  } else {
    throw std::runtime_error(where + ": unknown setting '" + key + "'");
  }
}

}  // namespace

Config load_config(const std::optional<std::string>& file) {
  Config c;
  if (file) {
    std::ifstream in(*file);
    if (!in) throw std::runtime_error("cannot read config file " + *file);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      line = trim(line);
      if (line.empty() || line[0] == '#') continue;
      const auto eq = line.find('=');
      const auto where = *file + ":" + std::to_string(number);
      if (eq == std::string::npos) throw std::runtime_error(where + ": expected 'key = value'");
      apply(c, trim(line.substr(0, eq)), trim(line.substr(eq + 1)), where);
    }
  }
  const std::pair<const char*, const char*> env_keys[] = {
      {"PORTCULLIS_DATABASE", "database"},
      {"PORTCULLIS_ADMIN_DATABASE", "admin_database"},
      {"PORTCULLIS_LISTEN", "listen"},
      {"PORTCULLIS_TLS_CERT", "tls_cert"},
      {"PORTCULLIS_TLS_KEY", "tls_key"},
      {"PORTCULLIS_DEVICE_CA", "device_ca"},
      {"PORTCULLIS_SITE_ID", "site_id"},
      {"PORTCULLIS_SITE_FILE", "site_file"},
      {"PORTCULLIS_THREADS", "threads"},
      {"PORTCULLIS_ROLE", "role"},
      {"PORTCULLIS_TAKEOVER", "takeover"},
      {"PORTCULLIS_TAKEOVER_CHECK_MS", "takeover_check_ms"},
      {"PORTCULLIS_AUDIT_KEY", "audit_key"},
      {"PORTCULLIS_AUDIT_EXPORT_DIR", "audit_export_dir"},
      {"PORTCULLIS_AUDIT_CHECKPOINTS", "audit_checkpoints"},
      {"PORTCULLIS_AUDIT_PUBKEY", "audit_pubkey"},
      {"PORTCULLIS_EPCIS_BODY_LIMIT", "epcis_body_limit"},
      {"PORTCULLIS_CHECKPOINT_DIR", "checkpoint_dir"},
      {"PORTCULLIS_CHECKPOINT_KEY", "checkpoint_key"},
      {"PORTCULLIS_CHECKPOINT_INTERVAL", "checkpoint_interval"},
      {"PORTCULLIS_ON_TAMPERING", "on_tampering"},
      {"PORTCULLIS_START_FROM", "start_from"},
      {"PORTCULLIS_SNAPSHOT_EVERY_EVENTS", "snapshot_every_events"},
      {"PORTCULLIS_SNAPSHOT_EVERY_S", "snapshot_every_s"},
      {"PORTCULLIS_TOTP_KEY", "totp_key"},
      {"PORTCULLIS_COMMAND_TTL_S", "command_ttl_s"},
      {"PORTCULLIS_MAX_CONNECTIONS", "max_connections"},
      {"PORTCULLIS_MAX_CONNECTIONS_PER_ADDRESS", "max_connections_per_address"},
      {"PORTCULLIS_RESERVED_CONNECTIONS", "reserved_connections"},
      {"PORTCULLIS_NEW_CONNECTIONS_PER_SECOND", "new_connections_per_second"},
      {"PORTCULLIS_HEADER_TIMEOUT_S", "header_timeout_s"},
      {"PORTCULLIS_BODY_TIMEOUT_S", "body_timeout_s"},
      {"PORTCULLIS_METRICS_TOKEN_SHA256", "metrics_token_sha256"},
      {"PORTCULLIS_LOG_FORMAT", "log_format"},
      {"PORTCULLIS_SYSLOG_TARGET", "syslog_target"},
      {"PORTCULLIS_SYSLOG_FACILITY", "syslog_facility"},
      {"PORTCULLIS_SYSLOG_HOSTNAME", "syslog_hostname"},
  };
  for (const auto& [env, key] : env_keys) {
    if (const char* value = std::getenv(env)) apply(c, key, value, std::string("environment ") + env);
  }
  // Known clients need some of the connections, and unknown ones at least one.
  if (c.reserved_connections >= c.max_connections) {
    throw std::runtime_error("reserved_connections (" + std::to_string(c.reserved_connections) +
                             ") must be less than max_connections (" + std::to_string(c.max_connections) +
                             ")");
  }
  return c;
}

}  // namespace portcullis::app
