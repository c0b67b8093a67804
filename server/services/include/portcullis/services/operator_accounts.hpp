#pragma once
// Operator sign-in and sessions: password (scrypt) + TOTP with throttling and lockout, sessions as opaque
// tokens kept only as hashes, disabling an account ends its sessions. Blocking work runs on the worker
// pool; lookups of sessions on the network threads are in-memory.
//
// Sessions are also kept in PostgreSQL (storage::SessionStore), so a restart does not sign everyone out
// and several instances sharing the database accept each other's sessions. A session is stored before its
// token is handed out; activity and ends reach the database from refresh() (every 2 s), which also takes
// in what other instances opened, extended or ended. An end takes effect here at once.
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "portcullis/core/time.hpp"
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/operators/principal.hpp"
#include "portcullis/operators/session.hpp"
#include "portcullis/operators/source_throttle.hpp"
#include "portcullis/services/worker_pool.hpp"
#include "portcullis/storage/operator_account_store.hpp"

namespace portcullis::services {

struct LoginRequest {
  std::string username;
  std::string password;
  std::string totp;
  std::string remote_address;
};

struct LoginOutcome {
  bool ok = false;
  // The credentials are right but the password is a one-time password: no session; 403
  // password_change_required (it only sets a new password: change_password).
  bool password_change_required = false;
  std::string new_password_problem;  // non-empty: the new password is refused (400 new_password)
  bool busy = false;                 // the hashing queue was full: 503
  core::Duration retry_after{0};     // non-zero: the source address made too many attempts: 429 Retry-After
  std::string token;
  core::Timestamp expires_at{};
  std::string operator_id, display_name, role;
};

// Sign-ins run on their own small pool, separate from the worker pool that serves every other blocking
// request: each costs a deliberately slow scrypt hash, and a flood of them must not delay anything else.
// Each source address may start SourceThrottlePolicy::burst attempts at once, then one per refill_every
// (10, then one every 6 s; docs/api.md).
struct LoginLimits {
  int hashing_threads = 1;
  std::size_t max_queued_logins = 32;  // beyond this: 503
  operators::SourceThrottlePolicy per_source{};
};

class OperatorAccounts {
 public:
  OperatorAccounts(std::string database, WorkerPool& workers, const core::Clock& clock,
                   ingest::Sequencer& history, LoginLimits limits = {});

  // Runs on the sign-in pool; `done` is called from one of its threads (or here when throttled or full).
  void login(LoginRequest request, std::function<void(LoginOutcome)> done);
  // Checked like a sign-in (throttle, lockout, TOTP step), then the new password replaces the current one
  // (one-time or not), the operator's other sessions end, and a session is opened as by login(): a code is
  // accepted once, so the change is also the sign-in.
  void change_password(LoginRequest request, std::string new_password,
                       std::function<void(LoginOutcome)> done);
  // Ends the session here at once; `done` runs (on a worker thread, or here if the pool is full) once the
  // end is stored, or is left for refresh() to store.
  void logout(const std::string& token_hash, std::function<void()> done);
  // Thread-safe, in memory. Counts as activity.
  [[nodiscard]] std::optional<operators::Principal> principal_for(const std::string& token_hash);
  // Does not count as activity (the live stream re-checks with this).
  [[nodiscard]] bool session_valid(const std::string& token_hash) const;
  // Blocking, from the refresh thread (and once at start-up, before serving): stores activity and ends
  // noted since the last call, takes in the stored sessions (other instances', or this one's before a
  // restart), ends the sessions of disabled accounts and forgets expired sessions.
  void refresh();
  // Blocking, for the worker pool or the CLI.
  bool set_disabled(const std::string& operator_id, bool disabled);
  // Blocking, for the worker pool: lifts a lockout (and the failure count and delay). False: no such
  // operator.
  bool unlock(const std::string& operator_id);
  // Password hashing for the lifecycle routes runs on the sign-in pool too. False: the pool is full.
  bool post_hashing(std::function<void()> job);
  // Blocking. Nullopt: no such operator.
  [[nodiscard]] std::optional<storage::OperatorRow> find(const std::string& operator_id);
  // Blocking. False: the id is taken.
  bool create(const storage::OperatorRow& row);
  // Blocking: a new password (a one-time one when `change_required`) or a new TOTP secret; either ends the
  // operator's sessions. False: no such operator.
  bool set_password(const std::string& operator_id, const std::string& password_hash, bool change_required);
  bool set_totp_secret(const std::string& operator_id, const std::string& totp_secret_base32);

 private:
  std::string database_;
  WorkerPool& workers_;
  const core::Clock& clock_;
  ingest::Sequencer& history_;
  void store_pending();
  // login() and change_password(): `new_password` empty for a sign-in.
  void sign_in(LoginRequest request, std::string new_password, std::function<void(LoginOutcome)> done);
  // Stored and here at once (the other instances follow at their next refresh()).
  void end_sessions(storage::OperatorAccountStore& store, const std::string& operator_id,
                    operators::SessionEndReason reason);

  mutable std::mutex mutex_;
  operators::SessionRegistry sessions_;                        // with mutex_
  std::unordered_map<std::string, core::Timestamp> activity_;  // with mutex_: to store
  std::unordered_map<std::string, core::Timestamp> ends_;      // with mutex_: sign-outs to store
  std::mutex store_mutex_;  // one writer of pending activity and ends at a time
  std::mutex sources_mutex_;
  operators::SourceThrottle sources_;  // with sources_mutex_
  WorkerPool hashing_;                 // last: stopped (joined) first, while the rest still exists
};

}  // namespace portcullis::services
