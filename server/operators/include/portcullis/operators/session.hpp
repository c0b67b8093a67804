#pragma once
// Operator sessions: an opaque random token goes to the client once; only its hash is kept, so a
// leaked session table cannot be replayed. Short absolute lifetime plus an idle timeout; ending a
// session (logout, revoke, operator disabled) takes effect at the next validation.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "portcullis/core/strong_id.hpp"
#include "portcullis/core/time.hpp"
#include "portcullis/operators/principal.hpp"

namespace portcullis::operators {

struct SessionPolicy {
  core::Duration absolute_lifetime = std::chrono::hours{8};  // one shift; then log in again with TOTP
  core::Duration idle_timeout = std::chrono::minutes{15};    // an unattended console stops being a way in
};

// A fresh unguessable token (crypto/random.hpp random_token) and the hash it is stored under
// (crypto/digest.hpp sha256_hex). Injected so this file stays pure.
using TokenSource = std::function<std::string()>;
using TokenHasher = std::function<std::string(std::string_view)>;

enum class SessionEndReason : std::uint8_t { LoggedOut, Revoked, OperatorDisabled, RoleChanged };

struct Session {
  std::string token_hash;
  core::OperatorId operator_id;
  Role role = Role::Guard;  // fixed for the session's life: a role change ends the session
  core::PersonId person;    // the site person the account is linked to, if any

  core::Timestamp created_at;
  core::Timestamp last_activity_at;
  core::Timestamp expires_at;
  std::optional<core::Timestamp> ended_at;
  std::optional<SessionEndReason> end_reason;
};

enum class SessionStatus : std::uint8_t { Valid, Unknown, Expired, IdleTimedOut, Ended };

[[nodiscard]] std::string_view to_string(SessionStatus s) noexcept;
[[nodiscard]] std::string_view to_string(SessionEndReason r) noexcept;

struct IssuedSession {
  std::string token;  // give to the client once; never store or log it
  Session session;    // store this
};

[[nodiscard]] IssuedSession issue_session(const TokenSource& new_token, const TokenHasher& hash,
                                          core::OperatorId operator_id, Role role, core::Timestamp now,
                                          const SessionPolicy& policy = {}, core::PersonId person = {});

// The caller a valid session stands for.
[[nodiscard]] Principal principal_of(const Session& session);

// Pure check of one stored record, for stores that keep sessions elsewhere (PostgreSQL).
[[nodiscard]] SessionStatus session_status(const Session& session, core::Timestamp now,
                                           const SessionPolicy& policy = {}) noexcept;

struct SessionValidation {
  SessionStatus status = SessionStatus::Unknown;
  Principal principal;  // the operator, when Valid; anonymous otherwise
  explicit operator bool() const noexcept { return status == SessionStatus::Valid; }
};

// In-memory session table. Not synchronized: the owner serializes access (one strand or a mutex).
class SessionRegistry {
 public:
  explicit SessionRegistry(SessionPolicy policy = {}) : policy_(policy) {}

  // Creates a session and returns the token for the client.
  [[nodiscard]] std::string open(const TokenSource& new_token, const TokenHasher& hash,
                                 const core::OperatorId& operator_id, Role role, core::Timestamp now,
                                 const core::PersonId& person = {});

  // Validates a request's session and counts it as activity (pushes the idle timeout back).
  [[nodiscard]] SessionValidation validate(std::string_view token_hash, core::Timestamp now);
  // Validates without counting as activity: for the live stream's periodic re-check, so a console
  // that only watches still times out while a disabled operator's stream is cut within seconds.
  [[nodiscard]] SessionValidation peek(std::string_view token_hash, core::Timestamp now) const;

  // Ends one session; false if it was unknown or already ended.
  bool end(std::string_view token_hash, core::Timestamp now, SessionEndReason reason);
  // Ends every open session of one operator (disable, role change); returns how many.
  std::size_t end_all_for_operator(const core::OperatorId& operator_id, core::Timestamp now,
                                   SessionEndReason reason);
  // Forgets sessions that can no longer be valid; returns how many.
  std::size_t purge(core::Timestamp now);

  // Takes in a session kept elsewhere (the database after a restart, or a session another server
  // instance opened, extended or ended). Unknown: added as it is. Known: the later activity and an end
  // win, so every instance converges on the most restrictive view. Identity fields never change.
  void merge(const Session& stored);
  [[nodiscard]] const Session* find(std::string_view token_hash) const;

  [[nodiscard]] std::size_t size() const noexcept { return sessions_.size(); }
  [[nodiscard]] const SessionPolicy& policy() const noexcept { return policy_; }

 private:
  SessionPolicy policy_;
  std::unordered_map<std::string, Session> sessions_;
};

}  // namespace portcullis::operators
