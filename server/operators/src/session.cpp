#include "portcullis/operators/session.hpp"

#include <iterator>
#include <utility>

namespace portcullis::operators {

std::string_view to_string(SessionStatus s) noexcept {
  switch (s) {
    case SessionStatus::Valid: return "valid";
    case SessionStatus::Unknown: return "unknown";
    case SessionStatus::Expired: return "expired";
    case SessionStatus::IdleTimedOut: return "idle_timed_out";
    case SessionStatus::Ended: return "ended";
  }
  return "unknown";
}

std::string_view to_string(SessionEndReason r) noexcept {
  switch (r) {
    case SessionEndReason::LoggedOut: return "logged_out";
    case SessionEndReason::Revoked: return "revoked";
    case SessionEndReason::OperatorDisabled: return "operator_disabled";
    case SessionEndReason::RoleChanged: return "role_changed";
  }
  return "unknown";
}

IssuedSession issue_session(const TokenSource& new_token, const TokenHasher& hash,
                            core::OperatorId operator_id, Role role, core::Timestamp now,
                            const SessionPolicy& policy, core::PersonId person) {
  IssuedSession issued;
  issued.token = new_token();
  issued.session.token_hash = hash(issued.token);
  issued.session.operator_id = std::move(operator_id);
  issued.session.role = role;
  issued.session.person = std::move(person);

  issued.session.created_at = now;
  issued.session.last_activity_at = now;
  issued.session.expires_at = now + policy.absolute_lifetime;
  return issued;
}

Principal principal_of(const Session& session) {
  return Principal::operator_with(session.operator_id, session.role, session.person);
}

SessionStatus session_status(const Session& session, core::Timestamp now,
                             const SessionPolicy& policy) noexcept {
  if (session.ended_at) return SessionStatus::Ended;
  if (now >= session.expires_at) return SessionStatus::Expired;
  if (now - session.last_activity_at >= policy.idle_timeout) return SessionStatus::IdleTimedOut;
  return SessionStatus::Valid;
}

std::string SessionRegistry::open(const TokenSource& new_token, const TokenHasher& hash,
                                  const core::OperatorId& operator_id, Role role, core::Timestamp now,
                                  const core::PersonId& person) {
  IssuedSession issued = issue_session(new_token, hash, operator_id, role, now, policy_, person);
  std::string key = issued.session.token_hash;
  sessions_.insert_or_assign(std::move(key), std::move(issued.session));
  return std::move(issued.token);
}

SessionValidation SessionRegistry::peek(std::string_view token_hash, core::Timestamp now) const {
  const auto it = sessions_.find(std::string{token_hash});
  if (it == sessions_.end()) return {SessionStatus::Unknown, Principal::anonymous()};
  const SessionStatus status = session_status(it->second, now, policy_);
  if (status != SessionStatus::Valid) return {status, Principal::anonymous()};
  return {status, principal_of(it->second)};
}

SessionValidation SessionRegistry::validate(std::string_view token_hash, core::Timestamp now) {
  SessionValidation validation = peek(token_hash, now);
  if (validation) sessions_.find(std::string{token_hash})->second.last_activity_at = now;
  return validation;
}

bool SessionRegistry::end(std::string_view token_hash, core::Timestamp now, SessionEndReason reason) {
  const auto it = sessions_.find(std::string{token_hash});
  if (it == sessions_.end() || it->second.ended_at) return false;
  it->second.ended_at = now;
  it->second.end_reason = reason;
  return true;
}

std::size_t SessionRegistry::end_all_for_operator(const core::OperatorId& operator_id, core::Timestamp now,
                                                  SessionEndReason reason) {
  std::size_t ended = 0;
  for (auto& [hash, session] : sessions_) {
    if (session.operator_id != operator_id || session.ended_at) continue;
    session.ended_at = now;
    session.end_reason = reason;
    ++ended;
  }
  return ended;
}

std::size_t SessionRegistry::purge(core::Timestamp now) {
  return static_cast<std::size_t>(std::erase_if(sessions_, [&](const auto& entry) {
    return session_status(entry.second, now, policy_) != SessionStatus::Valid;
  }));
}

void SessionRegistry::merge(const Session& stored) {
  const auto [it, added] = sessions_.try_emplace(stored.token_hash, stored);
  if (added) return;
  Session& known = it->second;
  if (stored.last_activity_at > known.last_activity_at) known.last_activity_at = stored.last_activity_at;
  if (stored.ended_at && !known.ended_at) {
    known.ended_at = stored.ended_at;
    known.end_reason = stored.end_reason;
  }
}

const Session* SessionRegistry::find(std::string_view token_hash) const {
  const auto it = sessions_.find(std::string{token_hash});
  return it == sessions_.end() ? nullptr : &it->second;
}

}  // namespace portcullis::operators
