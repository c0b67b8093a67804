#include "portcullis/api/operator_accounts.hpp"

#include <pqxx/pqxx>

#include "portcullis/http/http_types.hpp"
#include "portcullis/operators/crypto/digest.hpp"
#include "portcullis/operators/crypto/encoding.hpp"
#include "portcullis/operators/crypto/hmac.hpp"
#include "portcullis/operators/crypto/password_hash.hpp"
#include "portcullis/operators/crypto/random.hpp"
#include "portcullis/operators/login_attempt.hpp"
#include "portcullis/storage/operator_directory.hpp"

namespace portcullis::api {
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

}  // namespace

OperatorAccounts::OperatorAccounts(std::string database, WorkerPool& workers, const core::Clock& clock,
                                   ingest::Sequencer& history)
    : database_(std::move(database)), workers_(workers), clock_(clock), history_(history) {}

void OperatorAccounts::login(LoginRequest request, std::function<void(LoginOutcome)> done) {
  auto job = [this, request = std::move(request), done]() {
    LoginOutcome outcome;
    const auto now = clock_.now();
    pqxx::connection connection{database_};
    storage::OperatorDirectory directory{connection};
    auto row = request.username.empty() ? std::nullopt : directory.find(request.username);
    std::string detail;
    if (!row) {
      operators::crypto::spend_password_check_time(request.password);  // same time as a real check
      detail = "unknown_operator";
    } else {
      const auto secret = operators::crypto::base32_decode(row->totp_secret);
      const auto result = operators::evaluate_login(
          state_of(*row), row->disabled,
          [&] {
            return operators::crypto::verify_password(request.password, row->password_hash) ==
                   operators::crypto::PasswordVerdict::Match;
          },
          [&](const operators::TotpState& s) {
            return operators::verify_totp(operators::crypto::totp_hmac(),
                                          secret ? operators::ByteView{*secret} : operators::ByteView{},
                                          request.totp, now, s);
          },
          now);
      detail = std::string(operators::to_string(result.detail));
      // Compare-and-set: of two simultaneous logins with one code, only one stores its new state.
      const bool stored = directory.update_login_state(*row, with_state(*row, result.state));
      if (stored && result.result == operators::LoginResult::Succeeded) {
        const auto role = operators::parse_role(row->role).value_or(operators::Role::Guard);
        std::lock_guard lock{mutex_};
        outcome.token = sessions_.open(
            operators::crypto::random_token,
            [](std::string_view t) { return operators::crypto::sha256_hex(t); },
            core::OperatorId{row->operator_id}, role, now, core::PersonId{row->person_id});
        outcome.ok = true;
        outcome.expires_at = now + sessions_.policy().absolute_lifetime;
        outcome.operator_id = row->operator_id;
        outcome.display_name = row->display_name;
        outcome.role = row->role;
        detail = "succeeded";
      } else if (!stored) {
        detail = "concurrent_login";
      }
    }
    ingest::ServerFact fact;
    fact.type = outcome.ok ? "operator.login" : "operator.login_failed";
    fact.by_operator = true;
    fact.payload_json = "{\"detail\":\"" + http::json_escape(detail) + "\",\"operator\":\"" +
                        http::json_escape(request.username.substr(0, 64)) + "\",\"remote\":\"" +
                        http::json_escape(request.remote_address) + "\"}";
    history_.record(std::move(fact));
    done(std::move(outcome));
  };
  if (!workers_.post(job)) {
    LoginOutcome busy;
    busy.busy = true;
    done(busy);
  }
}

void OperatorAccounts::logout(const std::string& token_hash) {
  std::lock_guard lock{mutex_};
  sessions_.end(token_hash, clock_.now(), operators::SessionEndReason::LoggedOut);
}

std::optional<operators::Principal> OperatorAccounts::principal_for(const std::string& token_hash) {
  std::lock_guard lock{mutex_};
  auto v = sessions_.validate(token_hash, clock_.now());
  if (!v) return std::nullopt;
  return v.principal;
}

bool OperatorAccounts::session_valid(const std::string& token_hash) const {
  std::lock_guard lock{mutex_};
  return static_cast<bool>(sessions_.peek(token_hash, clock_.now()));
}

void OperatorAccounts::refresh() {
  pqxx::connection connection{database_};
  const auto all = storage::OperatorDirectory{connection}.all();
  std::lock_guard lock{mutex_};
  const auto now = clock_.now();
  for (const auto& row : all) {
    if (row.disabled) {
      sessions_.end_all_for_operator(core::OperatorId{row.operator_id}, now,
                                     operators::SessionEndReason::OperatorDisabled);
    }
  }
  sessions_.purge(now);
}

bool OperatorAccounts::set_disabled(const std::string& operator_id, bool disabled) {
  pqxx::connection connection{database_};
  storage::OperatorDirectory directory{connection};
  if (!directory.find(operator_id)) return false;
  directory.set_disabled(operator_id, disabled);
  if (disabled) {
    std::lock_guard lock{mutex_};
    sessions_.end_all_for_operator(core::OperatorId{operator_id}, clock_.now(),
                                   operators::SessionEndReason::OperatorDisabled);
  }
  return true;
}

}  // namespace portcullis::api
