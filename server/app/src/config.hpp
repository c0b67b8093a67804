#pragma once
// portcullisd settings: a config file of "key = value" lines, overridden by PORTCULLIS_* environment
// variables. Secrets (database passwords) belong in the environment or a file readable only by the service.
#include <cstddef>
#include <optional>
#include <string>

namespace portcullis::app {

struct Config {
  std::string database;        // libpq connection string for the least-privileged application role
  std::string admin_database;  // owner connection used only to apply migrations at start-up
  std::string listen = "127.0.0.1:8443";
  std::string tls_cert;
  std::string tls_key;
  std::string device_ca;
  std::string site_id = "main";
  std::string site_file;
  int threads = 2;
  // "owner" (default): takes the site's lock and writes its history. "follower": serves the site
  // read-only from what its owner commits (live stream, operator reads), for consoles on other machines.
  bool follower = false;
  // A follower stands by to take the site when its owner's session ends ("on", the default; it needs
  // checkpoint_dir and totp_key, as the owner it may become) or is a pure read replica ("off"); it tries
  // the site's lock every takeover_check_ms (docs/operations.md, "Two machines").
  bool takeover = true;
  int takeover_check_ms = 500;
  // Request body limit of the EPCIS capture routes (docs/epcis.md); every other route keeps 1 MiB.
  std::size_t epcis_body_limit = 16u * 1024u * 1024u;
  // How long a sent door command may wait for its door before it expires undelivered (seconds, 1..3600).
  int command_ttl_s = 60;
  // Auditor REST routes (docs/audit.md): evidence exports need the site's private audit key and a directory;
  // the chain status also checks signed checkpoints when both a directory and the public key are given.
  std::string audit_key;
  std::string audit_export_dir;
  std::string audit_checkpoints;
  std::string audit_pubkey;
  // The server's own signed checkpoints (docs/audit.md, "Automatic checkpoints"): a directory (empty: off,
  // with a warning), the private key (empty: DIR/key/audit-key.pem, made at first start with mode 0600),
  // and how often the head is signed when it moved.
  std::string checkpoint_dir;
  std::string checkpoint_key;
  int checkpoint_interval_seconds = 60;
  // While a chain_tampered alarm is open: "serve" keeps deciding doors (the default), "refuse_devices"
  // answers device posts 503 so doors fall back to their offline rules (docs/event-store.md, "Tampering").
  bool refuse_devices_when_tampered = false;
  // Engine snapshots (docs/operations.md, "Engine snapshots"): every this many records or seconds, the
  // newest kept; start_from = replay_from_zero ignores them at start-up (the whole history is replayed).
  long long snapshot_every_events = 100'000;
  int snapshot_every_s = 600;
  std::size_t snapshot_keep = 3;
  bool replay_from_zero = false;
  // The key that seals operators' TOTP secrets at rest (docs/operators.md, "TOTP secrets at rest"): a
  // 32-byte file, mode 0600, made at first use. Empty: secrets are stored in clear, with a warning.
  std::string totp_key;
  // Connection limits and deadlines at the HTTPS edge (docs/api.md, "Limits"): all connections, per source
  // address (an IPv6 address by its /64), the part of max_connections kept for addresses that have shown a
  // credential, new connections per second from an address that has not, and the header and body deadlines.
  std::size_t max_connections = 2048;
  std::size_t max_connections_per_address = 64;
  std::size_t reserved_connections = 512;
  int new_connections_per_second = 50;
  int header_timeout_s = 20;
  int body_timeout_s = 30;
  // SHA-256 (hex) of the bearer token Prometheus scrapes /metrics with (docs/operations.md). Empty: only
  // admins' sessions read the metrics.
  std::string metrics_token_sha256;
  // Log lines on stderr (docs/operations.md, "Logs and SIEM"): "json" or "text"; empty: JSON unless stderr
  // is a terminal.
  std::string log_format;
  // The SIEM feed: HOST:PORT of an RFC 5424 syslog receiver over TCP (RFC 6587 octet counting); empty: off.
  // The facility (a name like "authpriv" or "local4", or 0..23) and the HOSTNAME field (empty: this
  // machine's name) of its messages.
  std::string syslog_target;
  int syslog_facility = 10;
  std::string syslog_hostname;
};

// Throws std::runtime_error naming the file, line and key on a bad setting.
Config load_config(const std::optional<std::string>& file);

}  // namespace portcullis::app
