#pragma once
// Operator sign-in and sessions: password (scrypt) + TOTP with throttling and lockout, sessions as opaque
// tokens kept only as hashes, disabling an account ends its sessions. Blocking work runs on the worker
// pool; lookups of sessions on the network threads are in-memory.
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "portcullis/api/worker_pool.hpp"
#include "portcullis/core/time.hpp"
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/operators/principal.hpp"
#include "portcullis/operators/session.hpp"

namespace portcullis::api {

struct LoginRequest {
  std::string username;
  std::string password;
  std::string totp;
  std::string remote_address;
};

struct LoginOutcome {
  bool ok = false;
  bool busy = false;  // the worker queue was full: 503
  std::string token;
  core::Timestamp expires_at{};
  std::string operator_id, display_name, role;
};

class OperatorAccounts {
 public:
  OperatorAccounts(std::string database, WorkerPool& workers, const core::Clock& clock,
                   ingest::Sequencer& history);

  // Runs on the worker pool; `done` is called from a worker thread.
  void login(LoginRequest request, std::function<void(LoginOutcome)> done);
  void logout(const std::string& token_hash);
  // Thread-safe, in memory. Counts as activity.
  [[nodiscard]] std::optional<operators::Principal> principal_for(const std::string& token_hash);
  // Does not count as activity (the live stream re-checks with this).
  [[nodiscard]] bool session_valid(const std::string& token_hash) const;
  // Reloads disabled flags from the database and ends the sessions of disabled accounts.
  void refresh();
  // Blocking, for the worker pool or the CLI.
  bool set_disabled(const std::string& operator_id, bool disabled);

 private:
  std::string database_;
  WorkerPool& workers_;
  const core::Clock& clock_;
  ingest::Sequencer& history_;
  mutable std::mutex mutex_;
  operators::SessionRegistry sessions_;
};

}  // namespace portcullis::api
