#pragma once
// Throttling and lockout after consecutive failed logins, as a value the store keeps per operator.
// A wrong password and a wrong or replayed TOTP code count alike: telling them apart would tell an
// attacker which factor they already have.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "portcullis/core/time.hpp"

namespace portcullis::operators {

struct ThrottlePolicy {
  int failures_before_delay = 5;                            // the 5th consecutive failure starts the delay
  core::Duration first_delay = std::chrono::seconds{30};    // doubles with each further failure...
  core::Duration longest_delay = std::chrono::minutes{15};  // ...up to this
  int failures_before_lock = 10;  // the 10th locks the account until an admin unlocks it
};

struct LoginThrottleState {
  int consecutive_failures = 0;
  std::optional<core::Timestamp> retry_not_before;  // set while a delay runs
  bool locked = false;
  friend bool operator==(const LoginThrottleState&, const LoginThrottleState&) = default;
};

enum class LoginGateKind : std::uint8_t { Open, Delayed, Locked };

struct LoginGate {
  LoginGateKind kind = LoginGateKind::Open;
  core::Duration retry_after{0};  // for Delayed: how long until the next attempt is looked at
};

[[nodiscard]] std::string_view to_string(LoginGateKind k) noexcept;

// Asked before any credential is checked: a delayed or locked attempt is refused without running
// the password hash, so it neither burns CPU nor acts as an oracle. Such attempts do not count.
[[nodiscard]] LoginGate check_login_gate(const LoginThrottleState& state, core::Timestamp now,
                                         const ThrottlePolicy& policy = {}) noexcept;

// The delay the n-th consecutive failure imposes (zero below the threshold).
[[nodiscard]] core::Duration delay_after_failures(int consecutive_failures,
                                                  const ThrottlePolicy& policy = {}) noexcept;

[[nodiscard]] LoginThrottleState record_login_failure(LoginThrottleState state, core::Timestamp now,
                                                      const ThrottlePolicy& policy = {}) noexcept;

// A success clears the count; it cannot clear a lock (the gate refuses before a success is possible).
[[nodiscard]] LoginThrottleState record_login_success(LoginThrottleState state) noexcept;

// Only an admin unlocks; the route that calls this records who did it.
[[nodiscard]] LoginThrottleState admin_unlock(LoginThrottleState state) noexcept;

}  // namespace portcullis::operators
