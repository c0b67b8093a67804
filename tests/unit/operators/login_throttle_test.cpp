#include "portcullis/operators/login_throttle.hpp"

#include <gtest/gtest.h>

namespace portcullis::operators {
namespace {

using namespace std::chrono_literals;

const core::Timestamp kStart = core::from_unix_micros(1'700'000'000'000'000);

LoginThrottleState fail_times(int n, core::Timestamp at) {
  LoginThrottleState state;
  for (int i = 0; i < n; ++i) state = record_login_failure(state, at);
  return state;
}

TEST(LoginThrottle, FourFailuresCostNothing) {
  const auto state = fail_times(4, kStart);
  EXPECT_EQ(state.consecutive_failures, 4);
  EXPECT_EQ(check_login_gate(state, kStart).kind, LoginGateKind::Open);
}

TEST(LoginThrottle, TheFifthFailureStartsADelay) {
  const auto state = fail_times(5, kStart);
  const auto gate = check_login_gate(state, kStart + 10s);
  EXPECT_EQ(gate.kind, LoginGateKind::Delayed);
  EXPECT_EQ(gate.retry_after, core::Duration{20s});
  EXPECT_EQ(check_login_gate(state, kStart + 30s).kind, LoginGateKind::Open);
}

TEST(LoginThrottle, TheDelayDoublesAndIsCapped) {
  EXPECT_EQ(delay_after_failures(4), core::Duration{0s});
  EXPECT_EQ(delay_after_failures(5), core::Duration{30s});
  EXPECT_EQ(delay_after_failures(6), core::Duration{60s});
  EXPECT_EQ(delay_after_failures(7), core::Duration{120s});
  EXPECT_EQ(delay_after_failures(9), core::Duration{480s});
  const ThrottlePolicy patient{5, 30s, 15min, 100};
  EXPECT_EQ(delay_after_failures(20, patient), core::Duration{15min});
  EXPECT_EQ(delay_after_failures(99, patient), core::Duration{15min});
}

TEST(LoginThrottle, TheTenthFailureLocksUntilAnAdminUnlocks) {
  const auto state = fail_times(10, kStart);
  EXPECT_TRUE(state.locked);
  EXPECT_EQ(check_login_gate(state, kStart + 24h * 365).kind, LoginGateKind::Locked);
  const auto unlocked = admin_unlock(state);
  EXPECT_EQ(check_login_gate(unlocked, kStart).kind, LoginGateKind::Open);
  EXPECT_EQ(unlocked.consecutive_failures, 0);
}

TEST(LoginThrottle, ASuccessClearsTheCountButNotALock) {
  EXPECT_EQ(record_login_success(fail_times(7, kStart)), LoginThrottleState{});
  const auto locked = fail_times(10, kStart);
  EXPECT_TRUE(record_login_success(locked).locked);
}

TEST(LoginThrottle, FailuresPastTheLockDoNotOverflow) {
  auto state = fail_times(10, kStart);
  for (int i = 0; i < 1000; ++i) state = record_login_failure(state, kStart);
  EXPECT_EQ(state.consecutive_failures, 10);
  EXPECT_TRUE(state.locked);
}

}  // namespace
}  // namespace portcullis::operators
