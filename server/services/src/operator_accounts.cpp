#include "portcullis/services/operator_accounts.hpp"

#include <iostream>

#include "portcullis/ledger/records/operator_fact_record.hpp"
#include "portcullis/logging/log.hpp"
#include "portcullis/operators/crypto/digest.hpp"
#include "portcullis/operators/crypto/encoding.hpp"
#include "portcullis/operators/crypto/hmac.hpp"
#include "portcullis/operators/crypto/password_hash.hpp"
#include "portcullis/operators/crypto/random.hpp"
#include "portcullis/operators/login_attempt.hpp"
#include "portcullis/storage/operator_account_store.hpp"

namespace portcullis::services {
namespace {

operators::OperatorLoginState state_of(const storage::OperatorRow& row) {
  operators::OperatorLoginState s;
  s.throttle.consecutive_failures = row.failures;
  if (row.retry_after_us) s.throttle.retry_not_before = core::from_unix_micros(*row.retry_after_us);
  s.throttle.locked = row.locked;
  s.totp.last_accepted_step = row.totp_last_step;
  return s;
}

storage::OperatorRow with_state(storage::OperatorRow row, const operators::OperatorLoginState& s) {
  row.failures = s.throttle.consecutive_failures;
  row.retry_after_us = s.throttle.retry_not_before
                           ? std::optional<std::int64_t>{core::to_unix_micros(*s.throttle.retry_not_before)}
                           : std::nullopt;
  row.locked = s.throttle.locked;
  row.totp_last_step = s.totp.last_accepted_step;
  return row;
}

storage::SessionRow row_of(const operators::Session& s) {
  storage::SessionRow row;
  row.token_hash = s.token_hash;
  row.operator_id = s.operator_id.str();
  row.role = std::string(operators::to_string(s.role));
  row.person_id = s.person.str();
  row.created_us = core::to_unix_micros(s.created_at);
  row.last_activity_us = core::to_unix_micros(s.last_activity_at);
  row.expires_us = core::to_unix_micros(s.expires_at);
  return row;
}

std::optional<operators::Session> session_of(const storage::SessionRow& row) {
  const auto role = operators::parse_role(row.role);
  if (!role) return std::nullopt;
  operators::Session s;
  s.token_hash = row.token_hash;
  s.operator_id = core::OperatorId{row.operator_id};
  s.role = *role;
  s.person = core::PersonId{row.person_id};
  s.created_at = core::from_unix_micros(row.created_us);
  s.last_activity_at = core::from_unix_micros(row.last_activity_us);
  s.expires_at = core::from_unix_micros(row.expires_us);
  if (row.ended_us) {
    s.ended_at = core::from_unix_micros(*row.ended_us);
    s.end_reason = operators::SessionEndReason::Revoked;  // ended elsewhere; the chain has the reason
  }
  return s;
}

}  // namespace

OperatorAccounts::OperatorAccounts(std::string database, WorkerPool& workers, const core::Clock& clock,
                                   ingest::Sequencer& history, LoginLimits limits)
    : database_(std::move(database)),
      workers_(workers),
      clock_(clock),
      history_(history),
      sources_(limits.per_source),
      hashing_(limits.hashing_threads, limits.max_queued_logins) {}

void OperatorAccounts::login(LoginRequest request, std::function<void(LoginOutcome)> done) {
  sign_in(std::move(request), {}, std::move(done));
}

void OperatorAccounts::change_password(LoginRequest request, std::string new_password,
                                       std::function<void(LoginOutcome)> done) {
  sign_in(std::move(request), std::move(new_password), std::move(done));
}

void OperatorAccounts::sign_in(LoginRequest request, std::string new_password,
                               std::function<void(LoginOutcome)> done) {
  {
    std::lock_guard lock{sources_mutex_};
    const auto verdict = sources_.take(request.remote_address, clock_.now());
    if (!verdict.allowed) {
      LoginOutcome throttled;
      throttled.retry_after = verdict.retry_after;
      return done(std::move(throttled));
    }
  }
  const bool changing = !new_password.empty();
  auto job = [this, request = std::move(request), new_password = std::move(new_password), changing, done]() {
    LoginOutcome outcome;
    std::optional<operators::Session> opened;
    const auto now = clock_.now();
    storage::OperatorAccountStore store{database_};
    auto row = request.username.empty() ? std::nullopt : store.find_operator(request.username);
    std::string detail;
    if (!row) {
      operators::crypto::spend_password_check_time(request.password);  // same time as a real check
      detail = "unknown_operator";
    } else {
      const auto secret = operators::crypto::base32_decode(row->totp_secret);
      bool password_checked = false;
      const auto result = operators::evaluate_login(
          state_of(*row), row->disabled,
          [&] {
            password_checked = true;
            return operators::crypto::verify_password(request.password, row->password_hash) ==
                   operators::crypto::PasswordVerdict::Match;
          },
          [&](const operators::TotpState& s) {
            return operators::verify_totp(operators::crypto::totp_hmac(),
                                          secret ? operators::ByteView{*secret} : operators::ByteView{},
                                          request.totp, now, s);
          },
          now);
      // A locked or disabled account is refused without checking the password: spend the same time anyway,
      // or the quicker answer tells an attacker which names exist and which are locked.
      if (!password_checked) operators::crypto::spend_password_check_time(request.password);
      detail = std::string(operators::to_string(result.detail));
      // Compare-and-set: of two simultaneous logins with one code, only one stores its new state.
      const bool stored = store.update_login_state(*row, with_state(*row, result.state));
      bool open_session = stored && result.result == operators::LoginResult::Succeeded;
      if (open_session && changing) {
        if (operators::crypto::verify_password(new_password, row->password_hash) ==
            operators::crypto::PasswordVerdict::Match) {
          outcome.new_password_problem = "must differ from the current password";
          detail = "new_password_refused";
          open_session = false;
        } else {
          store.set_password(row->operator_id, operators::crypto::hash_password(new_password), false);
          // Whoever knew the old password may hold a session: a new password starts afresh.
          end_sessions(store, row->operator_id, operators::SessionEndReason::Revoked);
        }
      } else if (open_session && row->password_change_required) {
        // A one-time password only sets a new password: no session, whatever route it would open.
        outcome.password_change_required = true;
        detail = "password_change_required";
        open_session = false;
      }
      if (open_session) {
        const auto role = operators::parse_role(row->role).value_or(operators::Role::Guard);
        auto issued = operators::issue_session(
            operators::crypto::random_token,
            [](std::string_view t) { return operators::crypto::sha256_hex(t); },
            core::OperatorId{row->operator_id}, role, now, sessions_.policy(),
            core::PersonId{row->person_id});
        // Stored before the token leaves: a restart or another instance knows it.
        store.insert_session(row_of(issued.session));
        opened = std::move(issued.session);
        outcome.token = std::move(issued.token);
        outcome.ok = true;
        outcome.expires_at = now + sessions_.policy().absolute_lifetime;
        outcome.operator_id = row->operator_id;
        outcome.display_name = row->display_name;
        outcome.role = row->role;
        detail = changing ? "password_changed" : "succeeded";
      } else if (!stored) {
        detail = "concurrent_login";
      }
    }
    ingest::ServerFact fact;
    if (changing)
      fact.type = outcome.ok ? "operator.password_changed" : "operator.password_change_failed";
    else
      fact.type = outcome.ok ? "operator.login" : "operator.login_failed";
    fact.by_operator = true;
    fact.payload_json = json::sign_in_fact_json(detail, request.username, request.remote_address);
    // The token goes out only once the sign-in is in the chain; an unrecorded sign-in opens nothing.
    fact.done = [this, outcome = std::move(outcome), opened = std::move(opened), done](bool recorded,
                                                                                       std::int64_t) mutable {
      if (!recorded && opened) {
        std::lock_guard lock{mutex_};
        ends_.try_emplace(opened->token_hash, opened->created_at);
      }
      if (!recorded && outcome.ok) {
        LoginOutcome busy;
        busy.busy = true;
        return done(std::move(busy));
      }
      if (opened) {
        std::lock_guard lock{mutex_};
        sessions_.merge(*opened);
      }
      done(std::move(outcome));
    };
    history_.record(std::move(fact));
  };
  if (!hashing_.post(job)) {
    LoginOutcome busy;
    busy.busy = true;
    done(busy);
  }
}

void OperatorAccounts::logout(const std::string& token_hash, std::function<void()> done) {
  std::string operator_id;
  {
    std::lock_guard lock{mutex_};
    const auto now = clock_.now();
    if (const auto* session = sessions_.find(token_hash)) operator_id = session->operator_id.str();
    if (!sessions_.end(token_hash, now, operators::SessionEndReason::LoggedOut)) return done();
    ends_.insert_or_assign(token_hash, now);
  }
  const bool posted = workers_.post([this, operator_id, done] {
    try {
      store_pending();
    } catch (const std::exception& e) {
      logging::warn("services", "storing a sign-out failed (retried by the next refresh)",
                    {{"error", e.what()}});
    }
    ingest::ServerFact fact;
    fact.type = "operator.logout";
    fact.by_operator = true;
    fact.payload_json = json::sign_out_fact_json(operator_id);
    fact.done = [done](bool, std::int64_t) { done(); };
    history_.record(std::move(fact));
  });
  if (!posted) done();  // ended here already; refresh() stores it
}

void OperatorAccounts::store_pending() {
  std::lock_guard writer{store_mutex_};
  std::unordered_map<std::string, core::Timestamp> activity, ends;
  {
    std::lock_guard lock{mutex_};
    activity.swap(activity_);
    ends.swap(ends_);
  }
  if (activity.empty() && ends.empty()) return;
  try {
    storage::OperatorAccountStore store{database_};
    for (const auto& [hash, at] : ends) {
      store.end_session(hash, core::to_unix_micros(at),
                        std::string(operators::to_string(operators::SessionEndReason::LoggedOut)));
    }
    std::vector<std::pair<std::string, std::int64_t>> last;
    last.reserve(activity.size());
    for (const auto& [hash, at] : activity) last.emplace_back(hash, core::to_unix_micros(at));
    store.record_session_activity(last);
  } catch (...) {
    std::lock_guard lock{mutex_};  // keep what was not stored for the next attempt
    for (const auto& [hash, at] : ends) ends_.try_emplace(hash, at);
    for (const auto& [hash, at] : activity) {
      auto [it, added] = activity_.try_emplace(hash, at);
      if (!added && it->second < at) it->second = at;
    }
    throw;
  }
}

std::optional<operators::Principal> OperatorAccounts::principal_for(const std::string& token_hash) {
  std::lock_guard lock{mutex_};
  const auto now = clock_.now();
  auto v = sessions_.validate(token_hash, now);
  if (!v) return std::nullopt;
  activity_.insert_or_assign(token_hash, now);  // stored by the next refresh: idle timeouts survive a restart
  return v.principal;
}

bool OperatorAccounts::session_valid(const std::string& token_hash) const {
  std::lock_guard lock{mutex_};
  return static_cast<bool>(sessions_.peek(token_hash, clock_.now()));
}

void OperatorAccounts::refresh() {
  store_pending();
  storage::OperatorAccountStore store{database_};
  const auto all = store.all_operators();
  const auto now = clock_.now();
  const auto now_us = core::to_unix_micros(now);
  // Disabling stored the end of the operator's sessions (set_disabled); below, every instance also ends
  // them in memory, which covers a session opened while the account was being disabled.
  const auto stored = store.unexpired_sessions(now_us);
  store.delete_expired_sessions(now_us);
  std::lock_guard lock{mutex_};
  for (const auto& row : stored) {
    if (row.ended_us && sessions_.find(row.token_hash) == nullptr) continue;  // nothing to take in
    if (auto session = session_of(row)) sessions_.merge(*session);
  }
  for (const auto& row : all) {
    if (row.disabled) {
      sessions_.end_all_for_operator(core::OperatorId{row.operator_id}, now,
                                     operators::SessionEndReason::OperatorDisabled);
    }
  }
  sessions_.purge(now);
}

bool OperatorAccounts::unlock(const std::string& operator_id) {
  storage::OperatorAccountStore store{database_};
  if (!store.find_operator(operator_id)) return false;
  store.unlock(operator_id);
  return true;
}

void OperatorAccounts::end_sessions(storage::OperatorAccountStore& store, const std::string& operator_id,
                                    operators::SessionEndReason reason) {
  const auto now = clock_.now();
  store.end_sessions_of_operator(operator_id, core::to_unix_micros(now),
                                 std::string(operators::to_string(reason)));
  std::lock_guard lock{mutex_};
  sessions_.end_all_for_operator(core::OperatorId{operator_id}, now, reason);
}

bool OperatorAccounts::set_disabled(const std::string& operator_id, bool disabled) {
  storage::OperatorAccountStore store{database_};
  if (!store.find_operator(operator_id)) return false;
  store.set_disabled(operator_id, disabled);
  if (disabled) end_sessions(store, operator_id, operators::SessionEndReason::OperatorDisabled);
  return true;
}

bool OperatorAccounts::post_hashing(std::function<void()> job) {
  return hashing_.post(std::move(job));
}

std::optional<storage::OperatorRow> OperatorAccounts::find(const std::string& operator_id) {
  storage::OperatorAccountStore store{database_};
  return store.find_operator(operator_id);
}

bool OperatorAccounts::create(const storage::OperatorRow& row) {
  storage::OperatorAccountStore store{database_};
  return store.insert_operator(row, core::to_unix_micros(clock_.now()));
}

bool OperatorAccounts::set_password(const std::string& operator_id, const std::string& password_hash,
                                    bool change_required) {
  storage::OperatorAccountStore store{database_};
  if (!store.set_password(operator_id, password_hash, change_required)) return false;
  end_sessions(store, operator_id, operators::SessionEndReason::Revoked);
  return true;
}

bool OperatorAccounts::set_totp_secret(const std::string& operator_id,
                                       const std::string& totp_secret_base32) {
  storage::OperatorAccountStore store{database_};
  if (!store.set_totp_secret(operator_id, totp_secret_base32)) return false;
  end_sessions(store, operator_id, operators::SessionEndReason::Revoked);
  return true;
}

}  // namespace portcullis::services
