#include "restore_hold.hpp"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <future>
#include <iostream>
#include <thread>

#include "crypto/pin_hash.hpp"
#include "https_settings.hpp"
#include "portcullis/audit/checkpoint_signer.hpp"
#include "portcullis/http/https_server.hpp"
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/logging/log.hpp"
#include "portcullis/operators/authorization_matrix.hpp"

namespace portcullis::app {
namespace {

namespace fs = std::filesystem;

// Where the server's checkpoint key is (checkpoint_key, or the one made at first start in the directory).
std::string server_private_key_path(const Config& c) {
  return c.checkpoint_key.empty() ? (fs::path{c.checkpoint_dir} / "key" / "audit-key.pem").string()
                                  : c.checkpoint_key;
}

std::string public_half_of(const std::string& private_path) {
  const auto dot = private_path.rfind(".pem");
  return dot == std::string::npos ? private_path + ".pub.pem" : private_path.substr(0, dot) + ".pub.pem";
}

std::string refusal_message(const audit::LostHistory& lost) {
  return "not serving: the history of this site is behind its signed checkpoints (" +
         std::string(lost.kind == "removed" ? "restored to an earlier point" : "replaced") +
         "): " + lost.range() + " lost according to checkpoint " + lost.checkpoint +
         "; an admin must acknowledge it (portcullisd acknowledge-restore, docs/operations.md)";
}

}  // namespace

std::vector<audit::CheckpointSource> checkpoint_sources(const Config& c) {
  std::vector<audit::CheckpointSource> sources;
  if (!c.checkpoint_dir.empty()) {
    // Before the first start there is no key yet, and so nothing it signed.
    const auto key = public_half_of(server_private_key_path(c));
    if (fs::exists(key)) sources.push_back({c.checkpoint_dir, key});
  }
  if (!c.audit_checkpoints.empty() && !c.audit_pubkey.empty())
    sources.push_back({c.audit_checkpoints, c.audit_pubkey});
  return sources;
}

std::optional<audit::LostHistory> lost_history(const Config& c) {
  const auto sources = checkpoint_sources(c);
  if (sources.empty()) return std::nullopt;
  return audit::find_lost_history(c.database, c.site_id, sources);
}

int serve_held(const Config& c, const audit::LostHistory& lost, const sigset_t& stop_signals) {
  logging::error("app",
                 "HISTORY BEHIND CHECKPOINT. NOT SERVING: every request is answered 503 until an admin "
                 "acknowledges the loss with `portcullisd acknowledge-restore --by NAME` (server stopped), "
                 "which records it in the history",
                 {{"site_id", c.site_id}, {"lost", lost.describe()}});
  const auto message = refusal_message(lost);
  // Every route the server knows (the authorization matrix lists them all) answers 503, so a device keeps
  // its events and an operator's change is refused rather than written after a hole in the history.
  http::Router router;
  for (const auto& rule : operators::authorization_matrix()) {
    const std::string method{operators::to_string(rule.method)};
    const std::string pattern{rule.pattern};
    if (method == "GET" && pattern == "/health/live") {
      router.add(method, pattern,
                 [](const http::HttpRequest&, const http::RouteParams&, const http::Responder& respond) {
                   respond(http::json_response(R"({"status":"live"})"));
                 });
    } else if (method == "GET" && pattern == "/health/ready") {
      router.add(method, pattern,
                 [](const http::HttpRequest&, const http::RouteParams&, const http::Responder& respond) {
                   respond(http::json_response(
                       R"({"status":"not_ready","reason":"history_behind_checkpoint"})", 503));
                 });
    } else {
      router.add(
          method, pattern,
          [message](const http::HttpRequest&, const http::RouteParams&, const http::Responder& respond) {
            respond(http::json_error(503, "history", message));
          });
    }
  }
  http::ServerConfig server_config = https_server_config(c);
  http::HttpsServer server{server_config, router};
  const auto port = server.bind();
  std::thread signal_waiter([&] {
    int received = 0;
    sigwait(&stop_signals, &received);
    server.stop();
  });
  // The URL ends the message: the end-to-end tests' harness reads the port after it.
  logging::warn(
      "app",
      "held after a restore, listening on https://" + server_config.address + ":" + std::to_string(port),
      {{"site_id", c.site_id}});
  server.run();
  // Wakes the waiter if the server stopped otherwise: SIGTERM is blocked in every thread, so the signal stays
  // pending for the process until that thread's sigwait takes it.
  ::kill(::getpid(), SIGTERM);
  signal_waiter.join();
  logging::info("app", "stopped");
  return 0;
}

int acknowledge_restore_command(const Config& c, const std::vector<std::string>& args) {
  std::string by;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--by" && i + 1 < args.size())
      by = args[++i];
    else
      throw std::runtime_error("usage: portcullisd acknowledge-restore --by NAME (unknown argument '" +
                               args[i] + "')");
  }
  if (by.empty())
    throw std::runtime_error("usage: portcullisd acknowledge-restore --by NAME (who acknowledges)");
  if (c.database.empty()) throw std::runtime_error("no database configured: set PORTCULLIS_DATABASE");
  if (c.follower) throw std::runtime_error("acknowledge-restore writes the history: run it as the owner");
  const auto lost = lost_history(c);
  if (!lost) {
    std::cout << "nothing to acknowledge: the history of site '" << c.site_id
              << "' holds every signed checkpoint\n";
    return 1;
  }

  // Written through the sequencer, as the server writes: it takes the site's lock (a running server holds it:
  // stop it first), replays and chains the record on the restored head.
  core::SystemClock clock;
  metrics::ServerMetrics metrics;
  ingest::SequencerConfig sequencer_config;
  sequencer_config.site_id = c.site_id;
  sequencer_config.database = c.database;
  ingest::Sequencer sequencer{sequencer_config, std::make_shared<const core::SiteModel>(), clock, metrics,
                              std::make_shared<const crypto::Pbkdf2PinVerifier>()};
  sequencer.start();
  std::promise<std::int64_t> stored;
  auto stored_seq = stored.get_future();
  ingest::ServerFact fact;
  fact.type = audit::kRestoreAcknowledgedRecord;
  fact.payload_json = audit::restore_acknowledgement_payload(*lost, by);
  fact.by_operator = true;
  fact.done = [&stored](bool ok, std::int64_t seq) { stored.set_value(ok ? seq : 0); };
  sequencer.record(std::move(fact));
  if (stored_seq.wait_for(std::chrono::seconds(60)) != std::future_status::ready || stored_seq.get() == 0) {
    sequencer.stop();
    throw std::runtime_error("the acknowledgement could not be stored; nothing was changed");
  }
  sequencer.stop();

  // Every source's lost checkpoints are set aside (kept): the new rows reuse their numbers.
  for (const auto& source : checkpoint_sources(c)) {
    const auto aside = audit::set_lost_checkpoints_aside(*lost, source, c.site_id);
    if (!aside.empty())
      std::cout << "set aside the lost checkpoints of " << source.dir << " in " << aside << '\n';
  }
  // The server's own checkpoint of the new head and a clean stop: its next start finds what it signed.
  if (!c.checkpoint_dir.empty()) {
    audit::CheckpointSignerConfig config;
    config.database = c.database;
    config.site_id = c.site_id;
    config.dir = c.checkpoint_dir;
    config.key_path = c.checkpoint_key;
    audit::CheckpointSigner::Sources sources;
    sources.committed_head = [&sequencer] {
      const auto head = sequencer.committed_head();
      return audit::ChainAnchor{head.site_seq, head.hash};
    };
    sources.sealed_seq = [&sequencer] { return sequencer.sealed_seq(); };
    sources.report = [](const std::string& check, const std::string& detail, bool) {
      std::cout << "note (" << check << "): " << detail << '\n';
    };
    audit::CheckpointSigner signer{config, std::move(sources)};
    const auto head = sequencer.committed_head();
    signer.check_at_startup(audit::ChainAnchor{head.site_seq, head.hash});
    signer.stop();
  }
  std::cout << "acknowledged for site '" << c.site_id << "': " << lost->range() << " lost ("
            << lost->describe() << "); recorded as " << audit::kRestoreAcknowledgedRecord << " at site_seq "
            << sequencer.committed_head().site_seq << " by " << by
            << ". The server serves again at its next start.\n";
  return 0;
}

}  // namespace portcullis::app
