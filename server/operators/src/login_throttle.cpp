#include "portcullis/operators/login_throttle.hpp"

#include <algorithm>

namespace portcullis::operators {

std::string_view to_string(LoginGateKind k) noexcept {
  switch (k) {
    case LoginGateKind::Open: return "open";
    case LoginGateKind::Delayed: return "delayed";
    case LoginGateKind::Locked: return "locked";
  }
  return "unknown";
}

LoginGate check_login_gate(const LoginThrottleState& state, core::Timestamp now,
                           const ThrottlePolicy& /*policy*/) noexcept {
  if (state.locked) return {LoginGateKind::Locked, core::Duration{0}};
  if (state.retry_not_before && now < *state.retry_not_before) {
    return {LoginGateKind::Delayed, *state.retry_not_before - now};
  }
  return {LoginGateKind::Open, core::Duration{0}};
}

core::Duration delay_after_failures(int consecutive_failures, const ThrottlePolicy& policy) noexcept {
  if (consecutive_failures < policy.failures_before_delay) return core::Duration{0};
  core::Duration delay = policy.first_delay;
  for (int extra = consecutive_failures - policy.failures_before_delay;
       extra > 0 && delay < policy.longest_delay; --extra) {
    delay *= 2;
  }
  return std::min(delay, policy.longest_delay);
}

LoginThrottleState record_login_failure(LoginThrottleState state, core::Timestamp now,
                                        const ThrottlePolicy& policy) noexcept {
  if (state.consecutive_failures < policy.failures_before_lock) ++state.consecutive_failures;
  if (state.consecutive_failures >= policy.failures_before_lock) {
    state.locked = true;
    state.retry_not_before.reset();
    return state;
  }
  const core::Duration delay = delay_after_failures(state.consecutive_failures, policy);
  if (delay > core::Duration{0}) {
    state.retry_not_before = now + delay;
  } else {
    state.retry_not_before.reset();
  }
  return state;
}

LoginThrottleState record_login_success(LoginThrottleState state) noexcept {
  if (state.locked) return state;
  return LoginThrottleState{};
}

LoginThrottleState admin_unlock(LoginThrottleState /*state*/) noexcept {
  return LoginThrottleState{};
}

}  // namespace portcullis::operators
