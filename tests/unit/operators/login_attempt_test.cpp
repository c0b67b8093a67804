#include "portcullis/operators/login_attempt.hpp"

#include <gtest/gtest.h>

namespace portcullis::operators {
namespace {

using namespace std::chrono_literals;

const core::Timestamp kNow = core::from_unix_micros(1'700'000'000'000'000);

// Fakes that record whether they ran, so the tests can pin the order of the checks.
struct Checks {
  bool password_ok = true;
  TotpCheck totp = TotpCheck::Accepted;
  int password_calls = 0;
  int totp_calls = 0;

  PasswordCheck password() {
    return [this] {
      ++password_calls;
      return password_ok;
    };
  }
  TotpCheckFunction code() {
    return [this](const TotpState& state) {
      ++totp_calls;
      TotpVerification v{totp, state, std::nullopt};
      if (totp == TotpCheck::Accepted) v.state.last_accepted_step = 42;
      return v;
    };
  }
};

TEST(LoginAttempt, BothFactorsRightSucceedsAndStoresTheTotpStep) {
  Checks checks;
  OperatorLoginState state;
  state.throttle.consecutive_failures = 3;
  const auto attempt = evaluate_login(state, false, checks.password(), checks.code(), kNow);
  EXPECT_EQ(attempt.result, LoginResult::Succeeded);
  EXPECT_EQ(attempt.state.totp.last_accepted_step, 42);
  EXPECT_EQ(attempt.state.throttle.consecutive_failures, 0);
}

TEST(LoginAttempt, AWrongPasswordNeverConsumesATotpStep) {
  Checks checks;
  checks.password_ok = false;
  const auto attempt = evaluate_login({}, false, checks.password(), checks.code(), kNow);
  EXPECT_EQ(attempt.result, LoginResult::InvalidCredentials);
  EXPECT_EQ(attempt.detail, LoginFailure::WrongPassword);
  EXPECT_EQ(checks.totp_calls, 0);
  EXPECT_EQ(attempt.state.throttle.consecutive_failures, 1);
}

TEST(LoginAttempt, AReplayedCodeIsAFailure) {
  Checks checks;
  checks.totp = TotpCheck::Replayed;
  const auto attempt = evaluate_login({}, false, checks.password(), checks.code(), kNow);
  EXPECT_EQ(attempt.result, LoginResult::InvalidCredentials);
  EXPECT_EQ(attempt.detail, LoginFailure::ReplayedTotp);
  EXPECT_EQ(attempt.state.throttle.consecutive_failures, 1);
}

TEST(LoginAttempt, ADelayedAttemptRunsNoCheckAndDoesNotCount) {
  Checks checks;
  OperatorLoginState state;
  for (int i = 0; i < 5; ++i) state.throttle = record_login_failure(state.throttle, kNow);
  const auto attempt = evaluate_login(state, false, checks.password(), checks.code(), kNow + 5s);
  EXPECT_EQ(attempt.result, LoginResult::Throttled);
  EXPECT_EQ(attempt.retry_after, core::Duration{25s});
  EXPECT_EQ(checks.password_calls, 0);
  EXPECT_EQ(attempt.state, state);
}

TEST(LoginAttempt, ALockedAccountRunsNoCheckEvenWithTheRightFactors) {
  Checks checks;
  OperatorLoginState state;
  state.throttle.locked = true;
  const auto attempt = evaluate_login(state, false, checks.password(), checks.code(), kNow);
  EXPECT_EQ(attempt.result, LoginResult::Locked);
  EXPECT_EQ(checks.password_calls, 0);
}

TEST(LoginAttempt, ADisabledOperatorIsRefusedWithoutCheckingAnything) {
  Checks checks;
  const auto attempt = evaluate_login({}, true, checks.password(), checks.code(), kNow);
  EXPECT_EQ(attempt.result, LoginResult::Disabled);
  EXPECT_EQ(checks.password_calls, 0);
  EXPECT_EQ(checks.totp_calls, 0);
}

TEST(LoginAttempt, TenWrongAttemptsSpacedOutLockTheAccount) {
  Checks checks;
  checks.totp = TotpCheck::WrongCode;
  OperatorLoginState state;
  core::Timestamp t = kNow;
  for (int i = 0; i < 10; ++i) {
    const auto attempt = evaluate_login(state, false, checks.password(), checks.code(), t);
    ASSERT_EQ(attempt.result, LoginResult::InvalidCredentials) << i;
    state = attempt.state;
    t += 1h;  // longer than any delay, so every attempt is looked at
  }
  EXPECT_TRUE(state.throttle.locked);
  checks.totp = TotpCheck::Accepted;
  EXPECT_EQ(evaluate_login(state, false, checks.password(), checks.code(), t).result, LoginResult::Locked);
}

}  // namespace
}  // namespace portcullis::operators
