#include "commands.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <future>
#include <iostream>
#include <thread>

#include <fstream>
#include <sstream>
#include "config.hpp"
#include "crypto/pin_hash.hpp"
#include "https_settings.hpp"
#include "portcullis/api/admin_api.hpp"
#include "portcullis/api/asset_api.hpp"
#include "portcullis/api/audit_api.hpp"
#include "portcullis/api/device_api.hpp"
#include "portcullis/api/epcis_api.hpp"
#include "portcullis/api/operator_api.hpp"
#include "portcullis/api/operator_lifecycle.hpp"
#include "portcullis/api/secured_router.hpp"
#include "portcullis/audit/checkpoint_signer.hpp"
#include "portcullis/http/https_server.hpp"
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/json/operator_json.hpp"
#include "portcullis/logging/log.hpp"
#include "portcullis/operators/crypto/digest.hpp"
#include "portcullis/operators/crypto/otpauth.hpp"
#include "portcullis/operators/crypto/password_hash.hpp"
#include "portcullis/operators/crypto/random.hpp"
#include "portcullis/operators/principal.hpp"
#include "portcullis/services/device_registry.hpp"
#include "portcullis/services/operator_accounts.hpp"
#include "portcullis/services/stream_hub.hpp"
#include "portcullis/services/worker_pool.hpp"
#include "portcullis/siem/siem_tap.hpp"
#include "portcullis/siem/syslog_forwarder.hpp"
#include "portcullis/site_file/site_file.hpp"
#include "portcullis/storage/daemon_queries.hpp"
#include "portcullis/storage/secret_box.hpp"
#include "portcullis/util/bearer.hpp"
#include "portcullis/util/hex.hpp"
#include "restore_hold.hpp"
#include "systemd_notify.hpp"

namespace portcullis::app {
namespace {

void require_database(const Config& c) {
  if (c.database.empty()) {
    throw std::runtime_error(
        "no database configured: set PORTCULLIS_DATABASE (a libpq connection string) or 'database' in the "
        "config "
        "file; ./scripts/demo starts a private PostgreSQL for you");
  }
}

std::vector<services::KnownDevice> load_devices(const std::string& database, const std::string& site) {
  std::vector<services::KnownDevice> out;
  for (auto& row : storage::load_site_devices(database, site)) {
    services::KnownDevice d;
    d.device_id = row.device_id;
    d.kind = row.kind;
    if (row.token_sha256) d.token_sha256_hex = util::hex_encode(*row.token_sha256);
    d.enabled = row.enabled;
    out.push_back(std::move(d));
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The configured site file, validated (a bad file stops start-up and changes nothing).
struct StartupSite {
  std::shared_ptr<const core::SiteDefinition> definition;  // null without a site file
  std::shared_ptr<const core::SiteModel> model;
  std::string text, hash;
};

StartupSite load_site(const Config& c) {
  StartupSite site;
  if (c.site_file.empty()) {
    logging::warn("app", "no site file configured (PORTCULLIS_SITE_FILE): every access is denied");
    site.model = std::make_shared<const core::SiteModel>();
    return site;
  }
  site.text = read_file(c.site_file);
  auto parsed = site_file::parse_site_json(site.text);
  auto built = parsed.problems.empty() ? core::SiteModel::build(parsed.definition) : core::BuildResult{};
  if (!built.model) {
    const auto& problems = parsed.problems.empty() ? built.problems : parsed.problems;
    std::string lines;
    for (const auto& p : problems) lines += "\n  " + p.json_path + ": " + p.message;
    throw std::runtime_error("site file " + c.site_file + " has " + std::to_string(problems.size()) +
                             " problem(s); nothing was loaded:" + lines);
  }
  site.definition = std::make_shared<const core::SiteDefinition>(std::move(parsed.definition));
  site.model = std::move(built.model);
  site.hash = services::sha256_hex(site.text);
  return site;
}

// After the replay (which switched models at each site.loaded record of history): the start-up file, if it
// differs from the last version the log loaded, is loaded as a new version at the end of the log (stored,
// recorded as site.loaded with what changed, admin edits laid over it), unless it widens access to a
// sensitive place (then it is not loaded: see docs/operators.md, "Separation of duties").
void load_startup_site_into_log(const Config& c, const StartupSite& site, ingest::Sequencer& sequencer) {
  if (!site.definition || sequencer.loaded_site_hash() == site.hash) return;
  std::promise<ingest::CommandResult> done;
  auto answer = done.get_future();
  ingest::OperatorCommand command;
  command.kind = ingest::OperatorCommand::Kind::LoadSite;
  command.operator_id = "portcullisd start-up from " + c.site_file;
  command.site = site.definition;
  command.site_text = site.text;
  command.site_hash = site.hash;
  command.done = [&done](ingest::CommandResult r) { done.set_value(std::move(r)); };
  if (!sequencer.submit(std::move(command))) throw std::runtime_error("could not queue the site load");
  const auto result = answer.get();
  if (result.status == 428) {
    // Separation of duties: a file that widens access to a sensitive place needs a second operator, and a
    // restart has none. The version in force keeps serving; the file is submitted with PUT /api/v1/site.
    logging::warn(
        "app",
        "site file was NOT loaded: the site version in force keeps serving; submit the file with PUT "
        "/api/v1/site for a second operator's approval",
        {{"site_file", c.site_file}, {"reason", result.message}, {"all_reasons", result.detail_json}});
    return;
  }
  if (result.status != 200) {
    throw std::runtime_error("site file " + c.site_file +
                             " cannot be loaded over the admin changes in force: " + result.field + ": " +
                             result.message + " " + result.detail_json);
  }
}

// The server's own signed checkpoints (docs/audit.md, "Automatic checkpoints"), started by the owner (at
// start-up, or when a follower takes the site over). Checked against the history replayed so far (`from`),
// before anything is appended; then signed periodically on a thread of its own.
std::unique_ptr<audit::CheckpointSigner> start_checkpoints(const Config& c, ingest::Sequencer& sequencer,
                                                           const ingest::ChainHead& from) {
  if (c.checkpoint_dir.empty()) {
    logging::warn(
        "app",
        "no checkpoint_dir (PORTCULLIS_CHECKPOINT_DIR): the server signs no checkpoints, so a truncated "
        "tail or rows appended by someone else go unnoticed");
    return nullptr;
  }
  audit::CheckpointSignerConfig config;
  config.database = c.database;
  config.site_id = c.site_id;
  config.dir = c.checkpoint_dir;
  config.key_path = c.checkpoint_key;
  config.sign_every = std::chrono::seconds(c.checkpoint_interval_seconds);
  audit::CheckpointSigner::Sources sources;
  sources.committed_head = [&sequencer] {
    const auto head = sequencer.committed_head();
    return audit::ChainAnchor{head.site_seq, head.hash};
  };
  sources.sealed_seq = [&sequencer] { return sequencer.sealed_seq(); };
  sources.report = [&sequencer](std::string check, std::string detail, bool unattested) {
    sequencer.report_tampering(std::move(check), std::move(detail), unattested);
  };
  auto signer = std::make_unique<audit::CheckpointSigner>(config, std::move(sources));
  signer->check_at_startup(audit::ChainAnchor{from.site_seq, from.hash});
  signer->start();
  logging::info("app", "signing checkpoints",
                {{"checkpoint_dir", c.checkpoint_dir}, {"public_key", signer->public_key_path()}});
  return signer;
}

// The SIEM feed (docs/operations.md, "Logs and SIEM"): from the owner only, which commits what it forwards;
// a follower would send every fact a second time. A follower that may take the site over starts its feed
// too, and its tap forwards only once it owns the site (see the tap's wiring below).
std::unique_ptr<siem::SyslogForwarder> start_siem_feed(const Config& c, metrics::ServerMetrics& metrics) {
  if (c.syslog_target.empty()) return nullptr;
  if (c.follower && !c.takeover) {
    logging::info("app", "syslog_target is set, but a read replica forwards nothing: its owner does");
    return nullptr;
  }
  auto forwarder =
      std::make_unique<siem::SyslogForwarder>(siem::parse_syslog_target(c.syslog_target), metrics.siem);
  forwarder->start();
  return forwarder;
}

siem::SyslogIdentity siem_identity(const Config& c) {
  siem::SyslogIdentity identity;
  identity.facility = c.syslog_facility;
  identity.hostname = c.syslog_hostname;
  if (identity.hostname.empty()) {
    std::array<char, 256> name{};
    if (::gethostname(name.data(), name.size() - 1) == 0) identity.hostname = name.data();
  }
  identity.procid = std::to_string(::getpid());
  identity.site_id = c.site_id;
  return identity;
}

// A follower stands by to take the site over only with what an owner needs: a checkpoint directory (it signs
// what it writes) and the site's TOTP key (it opens the secrets the owner sealed). Without them it stays a
// follower and says why, at start-up and in its readiness (docs/operations.md, "Two machines").
void configure_takeover(const Config& c, ingest::SequencerConfig& sequencer_config) {
  sequencer_config.takeover_check = std::chrono::milliseconds{c.takeover_check_ms};
  if (!c.follower || !c.takeover) return;
  std::string missing;
  if (c.checkpoint_dir.empty())
    missing = "no checkpoint_dir (PORTCULLIS_CHECKPOINT_DIR): the owner signs what it writes";
  if (c.totp_key.empty()) {
    missing += std::string(missing.empty() ? "" : "; ") +
               "no totp_key (PORTCULLIS_TOTP_KEY): the site's key that opens operators' TOTP secrets";
  }
  if (missing.empty()) {
    sequencer_config.take_over = true;
    return;
  }
  sequencer_config.takeover_refused = missing;
  logging::warn("app", "this follower will not take over its site if its owner stops",
                {{"site_id", c.site_id}, {"missing", missing}});
}

// Operators' TOTP secrets are sealed with the server's key (made at first use) before they are stored.
void use_totp_key(const Config& c) {
  if (c.totp_key.empty()) {
    logging::warn("app", "no totp_key (PORTCULLIS_TOTP_KEY): operators' TOTP secrets are stored in clear");
    return;
  }
  storage::use_totp_secret_box(
      std::make_shared<const storage::SecretBox>(storage::SecretBox::load_or_create(c.totp_key)));
}

int check_site_command(const std::vector<std::string>& args) {
  if (args.size() != 1) throw std::runtime_error("usage: portcullisd check-site FILE");
  const auto report = site_file::check_site_file(args[0]);
  std::cout << report.summary;
  if (!report.summary.empty() && report.summary.back() != '\n') std::cout << '\n';
  return report.ok ? 0 : 1;
}

int migrate_command(const Config& c) {
  const auto& target = c.admin_database.empty() ? c.database : c.admin_database;
  if (target.empty()) throw std::runtime_error("no database configured: set PORTCULLIS_ADMIN_DATABASE");
  const auto report = storage::migrate_database(target);
  for (const auto& name : report.applied) std::cout << "applied " << name << '\n';
  std::cout << "schema version " << report.database_version_after << '\n';
  return 0;
}

int add_device_command(const Config& c, const std::vector<std::string>& args) {
  require_database(c);
  if (args.size() != 2) throw std::runtime_error("usage: portcullisd add-device DEVICE_ID KIND");
  const auto token = services::new_device_token();
  storage::DeviceRow row;
  row.device_id = args[0];
  row.site_id = c.site_id;
  row.kind = args[1];
  const auto hex = services::sha256_hex(token);
  std::array<std::uint8_t, 32> hash{};
  for (std::size_t i = 0; i < 32; ++i)
    hash[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(i * 2, 2), nullptr, 16));
  row.token_sha256 = hash;
  storage::enrol_device(c.database, row, core::to_unix_micros(core::SystemClock{}.now()));
  // The token is shown once and stored only as its hash.
  std::cout << token << '\n';
  return 0;
}

// The first admin (and every operator) is created on the machine itself: there are no default credentials.
// Prints a one-time password and the TOTP enrolment once; only the scrypt hash and the secret are stored.
int add_operator_command(const Config& c, const std::vector<std::string>& args) {
  require_database(c);
  if (args.size() < 2)
    throw std::runtime_error(
        "usage: portcullisd add-operator ID ROLE [DISPLAY NAME] (--person PERSON_ID | --service)");
  if (!operators::parse_role(args[1]))
    throw std::runtime_error("role must be guard, supervisor, auditor or admin");
  storage::OperatorRow row;
  row.operator_id = args[0];
  row.role = args[1];
  row.display_name = args[0];
  bool service = false;
  for (std::size_t i = 2; i < args.size(); ++i) {
    if (args[i] == "--person" && i + 1 < args.size())
      row.person_id = args[++i];
    else if (args[i] == "--service")
      service = true;
    else
      row.display_name = args[i];
  }
  use_totp_key(c);
  // Every account is a person's or an explicit service account (which never approves or overrides).
  if (row.person_id.empty() == !service)
    throw std::runtime_error("add-operator needs exactly one of --person PERSON_ID or --service");
  const auto password = operators::crypto::random_token().substr(0, 24);
  row.password_hash = operators::crypto::hash_password(password);
  const auto enrolment = operators::crypto::new_totp_enrollment(row.operator_id);
  row.totp_secret = enrolment.secret_base32;
  row.password_change_required = true;  // the printed password only sets the operator's own
  if (!storage::add_operator(c.database, row, core::to_unix_micros(core::SystemClock{}.now()))) {
    throw std::runtime_error("an operator '" + row.operator_id + "' already exists");
  }
  std::cout << "operator: " << row.operator_id << " (" << row.role << ")\n"
            << "password: " << password << "\n"
            << "totp_secret: " << enrolment.secret_base32 << "\n"
            << "otpauth_uri: " << enrolment.uri << "\n"
            << "Shown once. Add the secret or the URI to an authenticator app. The password is a one-time "
               "password: it only sets the operator's own (POST /api/v1/auth/password, docs/operators.md).\n";
  return 0;
}

int disable_device_command(const Config& c, const std::vector<std::string>& args) {
  require_database(c);
  if (args.size() != 1) throw std::runtime_error("usage: portcullisd disable-device DEVICE_ID");
  if (!storage::set_device_enabled(c.database, args[0], false)) {
    std::cerr << "portcullisd: no device '" << args[0] << "' is enrolled; nothing was disabled\n";
    return 1;
  }
  return 0;
}

int serve_command(const Config& c) {
  require_database(c);
  // Block the stop signals in every thread; one thread waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  if (!c.admin_database.empty()) {
    for (const auto& name : storage::migrate_database(c.admin_database).applied)
      logging::info("app", "applied a migration", {{"migration", name}});
  }

  core::SystemClock clock;
  metrics::ServerMetrics metrics;
  const auto site = load_site(c);  // validate before touching anything
  use_totp_key(c);
  const auto seal_clear_totp_secrets = [&c] {
    if (!storage::totp_secret_box()) return;
    if (const auto sealed = storage::seal_clear_totp_secrets_in(c.database); sealed > 0)
      logging::info("app", "sealed TOTP secrets stored in clear before the key", {{"sealed", sealed}});
  };
  if (!c.follower) seal_clear_totp_secrets();
  const auto& model = site.model;
  // Before anything is replayed or written: a history behind its signed checkpoints (restored to an earlier
  // point, or replaced) is not served until an admin acknowledges the loss.
  if (const auto lost = lost_history(c)) return serve_held(c, *lost, stop_signals);

  ingest::SequencerConfig sequencer_config;
  sequencer_config.site_id = c.site_id;
  sequencer_config.database = c.database;
  sequencer_config.follower = c.follower;
  configure_takeover(c, sequencer_config);
  sequencer_config.refuse_devices_when_tampered = c.refuse_devices_when_tampered;
  sequencer_config.snapshots.every_events = c.snapshot_every_events;
  sequencer_config.snapshots.every = std::chrono::seconds(c.snapshot_every_s);
  sequencer_config.snapshots.keep = c.snapshot_keep;
  sequencer_config.snapshots.load = !c.replay_from_zero;
  // The key file at rest (totp_key) also keys the snapshots' digests: a snapshot written by anyone without
  // it is refused. Without one, a digest only detects damage (docs/threat-model.md).
  if (const auto box = storage::totp_secret_box())
    sequencer_config.snapshots.key = box->derive_key("portcullis-engine-snapshots-v1");
  ingest::Sequencer sequencer{sequencer_config, model, clock, metrics,
                              std::make_shared<const crypto::Pbkdf2PinVerifier>()};
  sequencer.set_initial_site(site.definition, site.hash, site.text);

  services::DeviceRegistry devices;
  devices.replace(load_devices(c.database, c.site_id));

  services::WorkerPool workers{2, 256};
  services::OperatorAccounts accounts{c.database, workers, clock, sequencer};
  accounts.refresh();  // sessions stored before a restart (or by other instances) are valid again
  auto hub = std::make_shared<services::StreamHub>(model, accounts, std::vector<std::string>{});

  http::Router router;
  api::DeviceApi device_api{devices, sequencer, metrics, clock};
  api::SecuredRouter secured{
      router,
      [&](const http::HttpRequest& request) {
        const auto* auth = request.header("authorization");
        std::string token_hash;
        if (const auto token = auth == nullptr ? std::nullopt : util::bearer_token(*auth)) {
          token_hash = operators::crypto::sha256_hex(*token);
          if (auto principal = accounts.principal_for(token_hash)) return *principal;
          if (!c.metrics_token_sha256.empty() &&
              operators::crypto::equal_in_constant_time(
                  {reinterpret_cast<const std::uint8_t*>(token_hash.data()), token_hash.size()},
                  {reinterpret_cast<const std::uint8_t*>(c.metrics_token_sha256.data()),
                   c.metrics_token_sha256.size()})) {
            return operators::Principal::metrics_scraper();
          }
        }
        if (auto device = devices.identify(token_hash, request.client_certificate_cn)) {
          return operators::Principal::device(core::DeviceId{*device});
        }
        return operators::Principal::anonymous();
      },
      [&](const http::HttpRequest& request, int status, const std::string& reason) {
        if (status == 401)
          device_api.record_auth_failure(request, services::DeviceAuthFailure{401, reason, ""});
      }};
  const auto siem_forwarder = start_siem_feed(c, metrics);
  std::optional<siem::SiemTap> siem_tap;
  if (siem_forwarder)
    siem_tap.emplace(*hub, *siem_forwarder, siem_identity(c), [&sequencer] { return !sequencer.follower(); });
  sequencer.set_observer(siem_tap ? static_cast<ingest::LiveObserver*>(&*siem_tap) : hub.get());
  sequencer.start();
  // The owner signs what it writes (a follower that takes the site over starts signing then).
  auto checkpoints = c.follower ? nullptr : start_checkpoints(c, sequencer, sequencer.replayed_head());
  load_startup_site_into_log(c, site, sequencer);
  hub->start();
  device_api.register_routes(secured);
  services::CommandDesk command_desk{c.site_file.empty() ? std::map<std::string, json::PortalInfo>{}
                                                         : json::portal_info(read_file(c.site_file)),
                                     sequencer, clock};
  command_desk.set_time_to_live(std::chrono::seconds{c.command_ttl_s});
  api::AuditSettings audit_settings;
  audit_settings.database = c.database;
  audit_settings.site_id = c.site_id;
  audit_settings.key_path = c.audit_key;
  audit_settings.export_dir = c.audit_export_dir;
  audit_settings.checkpoint_dir = c.audit_checkpoints;
  audit_settings.public_key_path = c.audit_pubkey;
  api::AuditApi audit_api{audit_settings, sequencer};
  audit_api.register_routes(secured);  // before OperatorApi fills the rest of the matrix with 501s
  api::AdminApi admin_api{sequencer, workers, clock};
  // Door commands and changes held for approval: rebuilt from their stored records, in seq order; again when
  // a follower takes the site over (a record restores the whole state after its step, so applying the
  // history again gives what the owner held).
  const auto restore_held_steps = [&] {
    auto replay = [](const char* family, std::function<std::string(const services::StoredStep&)> restore) {
      return storage::RecordFamilyVisit{
          family, [restore = std::move(restore)](const storage::StoredRecord& r) {
            const auto why = restore(services::StoredStep{r.site_seq, r.type, r.received_us, r.payload});
            if (!why.empty())
              logging::warn("app", "record not replayed",
                            {{"site_seq", r.site_seq}, {"type", r.type}, {"reason", why}});
          }};
    };
    storage::for_each_record_of_families(
        c.database, c.site_id,
        {replay("command.", [&](const services::StoredStep& s) { return command_desk.restore(s); }),
         replay("change.", [&](const services::StoredStep& s) { return admin_api.restore(s); })});
  };
  restore_held_steps();
  admin_api.register_routes(secured);  // before OperatorApi fills the rest of the matrix with 501s
  api::OperatorApi operator_api{accounts,
                                sequencer,
                                workers,
                                [&admin_api] { return admin_api.site_summary(); },
                                [hub] { return hub->open_alarms_json(); },
                                command_desk};
  admin_api.set_on_site_loaded([&command_desk](const std::string& text) {
    command_desk.replace_portals(json::portal_info(text));  // door-command approval follows the new tiers
  });
  operator_api.set_change_approvals(
      [&admin_api](const std::string& id, const operators::Principal& who, http::Responder& respond) {
        return admin_api.approve(id, who, respond);
      });
  api::OperatorLifecycle operator_lifecycle{accounts, sequencer, workers, admin_api};
  operator_lifecycle.register_routes(secured);  // before OperatorApi fills the rest of the matrix with 501s
  api::AssetApi asset_api{sequencer, clock};
  asset_api.register_routes(secured);  // before OperatorApi fills the rest of the matrix with 501s
  api::EpcisSettings epcis_settings;
  epcis_settings.body_limit = c.epcis_body_limit;  // these routes only; the others keep 1 MiB
  api::EpcisApi epcis_api{sequencer, [&sequencer] { return sequencer.current_site(); }, epcis_settings};
  epcis_api.register_routes(secured);
  operator_api.register_routes(secured, router);

  const http::ServerConfig server_config = https_server_config(c);
  http::HttpsServer server{server_config, router};
  server.set_websocket("/api/v1/stream", hub);
  // Before a large body is read, and to tell known clients' addresses at accept: from memory only (network
  // threads), and without counting as session activity (only the request itself does, when it is served).
  server.set_credential_check([&](const http::HttpRequest& request) {
    const auto* auth = request.header("authorization");
    std::string token_hash;
    if (const auto token = auth == nullptr ? std::nullopt : util::bearer_token(*auth)) {
      token_hash = operators::crypto::sha256_hex(*token);
      if (accounts.session_valid(token_hash)) return true;
    }
    return devices.identify(token_hash, request.client_certificate_cn).has_value();
  });
  const auto port = server.bind();

  std::atomic<bool> stopping{false};
  // Device changes (enrolment, disabling) reach every instance through the database within seconds.
  std::thread device_refresh([&] {
    while (!stopping.load()) {
      for (int i = 0; i < 20 && !stopping.load(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (stopping.load()) break;
      try {
        devices.replace(load_devices(c.database, c.site_id));
        accounts.refresh();             // disabled operators lose their sessions (and streams) within seconds
        command_desk.expire_overdue();  // door commands past their time to live are recorded as expired
      } catch (const std::exception& e) {
        logging::error("app", "refreshing devices failed", {{"error", e.what()}});
      }
    }
  });
  std::thread signal_waiter([&] {
    int received = 0;
    sigwait(&stop_signals, &received);
    stopping.store(true);
    server.stop();
  });

  if (c.follower) {
    // Everything an owner has beside its sequencer exists now: the follower may take the site over.
    sequencer.allow_takeover([&] {
      seal_clear_totp_secrets();
      restore_held_steps();
      checkpoints = start_checkpoints(c, sequencer, sequencer.committed_head());
    });
  }
  // The URL ends the message: the end-to-end tests' harness reads the port after it.
  logging::info("app", "listening on https://" + server_config.address + ":" + std::to_string(port),
                {{"site_id", c.site_id},
                 {"replayed_events", sequencer.replayed_events()},
                 {"role", c.follower ? "follower" : "owner"},
                 {"takeover", c.follower ? sequencer.takeover_state() : "owner"},
                 {"siem", c.syslog_target.empty() ? "off" : c.syslog_target}});
  notify_service_manager("READY=1");
  server.run();
  notify_service_manager("STOPPING=1");
  stopping.store(true);
  device_refresh.join();
  hub->stop();
  workers.stop();
  audit_api.stop();  // its requests may wait for their audit record: before the sequencer stops
  sequencer.stop();
  if (checkpoints) {
    try {
      checkpoints->stop();  // signs the final head and marks the stop clean
    } catch (const std::exception& e) {
      logging::error("app", "signing the final checkpoint failed", {{"error", e.what()}});
    }
  }
  // The signal thread may still be waiting if the server stopped for another reason.
  pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  if (siem_forwarder) siem_forwarder->stop();  // after the sequencer: what it committed last is queued
  logging::info("app", "stopped");
  return 0;
}

void print_help() {
  std::cout
      << "usage: portcullisd [--config FILE] COMMAND\n"
         "  serve                      run the server (default)\n"
         "  migrate                    apply db/migrations with the admin connection\n"
         "  add-device ID KIND         enrol a device; prints its token once\n"
         "  disable-device ID          refuse a device from now on\n"
         "  add-operator ID ROLE [NAME] (--person P | --service)  create an operator; prints a one-time "
         "password and "
         "TOTP enrolment\n"
         "  check-site FILE            validate a site file and list every problem with its JSON path\n"
         "  acknowledge-restore --by NAME  record the rows a restore lost (a signed checkpoint names them)\n"
         "                             so the server serves again; run it stopped (docs/operations.md)\n"
         "settings: PORTCULLIS_DATABASE, PORTCULLIS_ADMIN_DATABASE, PORTCULLIS_LISTEN, PORTCULLIS_TLS_CERT,\n"
         "  PORTCULLIS_TLS_KEY, PORTCULLIS_DEVICE_CA, PORTCULLIS_SITE_ID, PORTCULLIS_SITE_FILE, "
         "PORTCULLIS_THREADS,\n  PORTCULLIS_ROLE (owner or follower), PORTCULLIS_TAKEOVER (on or off), "
         "PORTCULLIS_TAKEOVER_CHECK_MS,\n"
         "  PORTCULLIS_AUDIT_KEY, PORTCULLIS_AUDIT_EXPORT_DIR, PORTCULLIS_AUDIT_CHECKPOINTS, "
         "PORTCULLIS_AUDIT_PUBKEY,\n"
         "  PORTCULLIS_CHECKPOINT_DIR, PORTCULLIS_CHECKPOINT_KEY, PORTCULLIS_CHECKPOINT_INTERVAL, "
         "PORTCULLIS_ON_TAMPERING, PORTCULLIS_TOTP_KEY,\n"
         "  PORTCULLIS_COMMAND_TTL_S (door commands expire undelivered after it, default 60),\n"
         "  PORTCULLIS_MAX_CONNECTIONS, PORTCULLIS_MAX_CONNECTIONS_PER_ADDRESS, "
         "PORTCULLIS_RESERVED_CONNECTIONS,\n"
         "  PORTCULLIS_NEW_CONNECTIONS_PER_SECOND, PORTCULLIS_HEADER_TIMEOUT_S, PORTCULLIS_BODY_TIMEOUT_S "
         "(docs/api.md, Limits),\n"
         "  PORTCULLIS_LOG_FORMAT (json or text), PORTCULLIS_SYSLOG_TARGET (HOST:PORT of the SIEM's syslog "
         "receiver),\n"
         "  PORTCULLIS_SYSLOG_FACILITY, PORTCULLIS_SYSLOG_HOSTNAME (docs/operations.md, Logs and SIEM)\n";
}

}  // namespace

int run_command(const std::string& command, const std::vector<std::string>& args,
                const std::optional<std::string>& config_file) {
  if (command == "help" || command == "--help" || command == "-h") {
    print_help();
    return 0;
  }
  if (command == "check-site") return check_site_command(args);
  const auto config = load_config(config_file);
  if (!config.log_format.empty()) logging::set_format(*logging::parse_format(config.log_format));
  if (command == "serve") return serve_command(config);
  if (command == "migrate") return migrate_command(config);
  if (command == "add-device") return add_device_command(config, args);
  if (command == "check-site") return check_site_command(args);
  if (command == "disable-device") return disable_device_command(config, args);
  if (command == "add-operator") return add_operator_command(config, args);
  if (command == "acknowledge-restore") return acknowledge_restore_command(config, args);
  print_help();
  return 2;
}

}  // namespace portcullis::app
