#include "portcullis/operators/login_attempt.hpp"

namespace portcullis::operators {
namespace {

LoginFailure failure_for(TotpCheck check) noexcept {
  switch (check) {
    case TotpCheck::Replayed: return LoginFailure::ReplayedTotp;
    case TotpCheck::Malformed: return LoginFailure::MalformedTotp;
    case TotpCheck::Accepted:
    case TotpCheck::WrongCode: break;
  }
  return LoginFailure::WrongTotp;
}

}  // namespace

std::string_view to_string(LoginResult r) noexcept {
  switch (r) {
    case LoginResult::Succeeded: return "succeeded";
    case LoginResult::InvalidCredentials: return "invalid_credentials";
    case LoginResult::Throttled: return "throttled";
    case LoginResult::Locked: return "locked";
    case LoginResult::Disabled: return "disabled";
  }
  return "unknown";
}

std::string_view to_string(LoginFailure f) noexcept {
  switch (f) {
    case LoginFailure::None: return "none";
    case LoginFailure::Disabled: return "disabled";
    case LoginFailure::Throttled: return "throttled";
    case LoginFailure::Locked: return "locked";
    case LoginFailure::WrongPassword: return "wrong_password";
    case LoginFailure::WrongTotp: return "wrong_totp";
    case LoginFailure::ReplayedTotp: return "replayed_totp";
    case LoginFailure::MalformedTotp: return "malformed_totp";
  }
  return "unknown";
}

LoginAttemptResult evaluate_login(const OperatorLoginState& state, bool account_disabled,
                                  const PasswordCheck& password_matches, const TotpCheckFunction& check_totp,
                                  core::Timestamp now, const ThrottlePolicy& policy) {
  LoginAttemptResult attempt{LoginResult::InvalidCredentials, LoginFailure::None, core::Duration{0}, state};
  if (account_disabled) {
    attempt.result = LoginResult::Disabled;
    attempt.detail = LoginFailure::Disabled;
    return attempt;
  }
  const LoginGate gate = check_login_gate(state.throttle, now, policy);
  if (gate.kind == LoginGateKind::Locked) {
    attempt.result = LoginResult::Locked;
    attempt.detail = LoginFailure::Locked;
    return attempt;
  }
  if (gate.kind == LoginGateKind::Delayed) {
    attempt.result = LoginResult::Throttled;
    attempt.detail = LoginFailure::Throttled;
    attempt.retry_after = gate.retry_after;
    return attempt;
  }
  if (!password_matches()) {
    attempt.detail = LoginFailure::WrongPassword;
    attempt.state.throttle = record_login_failure(state.throttle, now, policy);
    return attempt;
  }
  const TotpVerification totp = check_totp(state.totp);
  if (totp.result != TotpCheck::Accepted) {
    attempt.detail = failure_for(totp.result);
    attempt.state.throttle = record_login_failure(state.throttle, now, policy);
    return attempt;
  }
  attempt.result = LoginResult::Succeeded;
  attempt.state.totp = totp.state;
  attempt.state.throttle = record_login_success(state.throttle);
  return attempt;
}

}  // namespace portcullis::operators
