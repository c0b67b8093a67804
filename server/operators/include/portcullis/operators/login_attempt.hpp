#pragma once
// One login attempt end to end: gate, password, TOTP, then the new per-operator state to store.
// The checks are injected as callables so this stays pure and decides *whether* they run: a
// throttled attempt never runs the slow password hash, and a wrong password never consumes a
// TOTP step.
#include <cstdint>
#include <functional>
#include <string_view>

#include "portcullis/operators/login_throttle.hpp"
#include "portcullis/operators/totp.hpp"

namespace portcullis::operators {

struct OperatorLoginState {
  LoginThrottleState throttle;
  TotpState totp;
  friend bool operator==(const OperatorLoginState&, const OperatorLoginState&) = default;
};

enum class LoginResult : std::uint8_t { Succeeded, InvalidCredentials, Throttled, Locked, Disabled };

// What actually failed, for the audit log only. Clients get one generic refusal (see docs/operators.md).
enum class LoginFailure : std::uint8_t {
  None,
  Disabled,
  Throttled,
  Locked,
  WrongPassword,
  WrongTotp,
  ReplayedTotp,
  MalformedTotp
};

[[nodiscard]] std::string_view to_string(LoginResult r) noexcept;
[[nodiscard]] std::string_view to_string(LoginFailure f) noexcept;

struct LoginAttemptResult {
  LoginResult result = LoginResult::InvalidCredentials;
  LoginFailure detail = LoginFailure::None;
  core::Duration retry_after{0};  // for Throttled
  OperatorLoginState state;       // store this (compare-and-set against the state read)
};

using PasswordCheck = std::function<bool()>;
using TotpCheckFunction = std::function<TotpVerification(const TotpState&)>;

[[nodiscard]] LoginAttemptResult evaluate_login(const OperatorLoginState& state, bool account_disabled,
                                                const PasswordCheck& password_matches,
                                                const TotpCheckFunction& check_totp, core::Timestamp now,
                                                const ThrottlePolicy& policy = {});

}  // namespace portcullis::operators
