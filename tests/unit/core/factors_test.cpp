// Factors combine into one attempt per portal side within the window; PIN failures lock; duress is silent.
#include <gtest/gtest.h>

#include "test_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

class Factors : public ::testing::Test {
 protected:
  std::shared_ptr<FakePinVerifier> pins = std::make_shared<FakePinVerifier>();
  Engine engine{build_or_throw(test_site_definition()), pins};
  Timestamp t = monday_10_local();
  Outcome at(const DeviceEvent& e, Duration after = 1s) {
    t += after;
    return engine.apply(e, t);
  }
};

TEST_F(Factors, BadgeThenPinGrants) {
  EXPECT_EQ(summary(at(card("hall-in", 1))), "pending/missing_factor/pin");
  const Outcome out = at(pin("hall-in", "1234"));
  EXPECT_EQ(summary(out), "grant/granted");
  EXPECT_EQ(out.pin_verdict, PinVerdict::Match);
  EXPECT_EQ(out.pin_verified_for, PersonId{"ada"});
  EXPECT_EQ(out.decision->person, PersonId{"ada"});
  EXPECT_EQ(pins->calls, 1);
}

TEST_F(Factors, BadgeThenBiometricGrantsThroughTheOtherSet) {
  EXPECT_EQ(summary(at(card("hall-in", 1))), "pending/missing_factor/pin");
  EXPECT_EQ(summary(at(finger("hall-bio", "tpl-ada"))), "grant/granted");
}

TEST_F(Factors, BiometricFirstThenBadge) {
  EXPECT_EQ(summary(at(finger("hall-bio", "tpl-ada"))), "pending/missing_factor/badge");
  EXPECT_EQ(summary(at(card("hall-in", 1))), "grant/granted");
}

TEST_F(Factors, FactorsOutsideTheWindowDoNotCombine) {
  at(card("hall-in", 1));
  EXPECT_EQ(summary(at(pin("hall-in", "1234"), 31s)), "deny/missing_factor/badge");
  EXPECT_EQ(pins->calls, 0);
}

TEST_F(Factors, FactorsAtAnotherPortalDoNotCombine) {
  at(card("hall-in", 1));
  EXPECT_EQ(summary(at(pin("rack-1-r", "1234"))), "deny/missing_factor/badge");
}

TEST_F(Factors, AnotherPersonsBadgeStartsANewAttempt) {
  at(card("hall-in", 1));
  EXPECT_EQ(summary(at(card("hall-in", 7))), "pending/missing_factor/pin");
  EXPECT_EQ(summary(at(pin("hall-in", "1234"))), "deny/wrong_pin/pin");  // checked against fay's hash
  EXPECT_EQ(summary(at(pin("hall-in", "4321"))), "grant/granted");
}

TEST_F(Factors, UnknownUnmatchedFinger) {
  EXPECT_EQ(summary(at(finger("hall-bio", "tpl-ada", false))), "deny/biometric_mismatch");
  EXPECT_EQ(summary(at(finger("hall-bio", "tpl-nobody"))), "deny/unknown_credential");
}

TEST_F(Factors, WrongPinKeepsTheAttemptOpen) {
  at(card("hall-in", 1));
  EXPECT_EQ(summary(at(pin("hall-in", "0000"))), "deny/wrong_pin/pin");
  EXPECT_EQ(summary(at(pin("hall-in", "1234"))), "grant/granted");
}

TEST_F(Factors, RepeatedWrongPinsLockTheCredentialAndRaiseAnAlarm) {
  at(card("hall-in", 1));
  at(pin("hall-in", "0000"));
  at(pin("hall-in", "0001"));
  const Outcome third = at(pin("hall-in", "0002"));
  EXPECT_EQ(summary(third), "deny/wrong_pin");
  ASSERT_EQ(third.alarms.size(), 1U);
  EXPECT_EQ(third.alarms[0].kind, "credential_locked");
  EXPECT_EQ(third.alarms[0].subject, "ada-card");
  EXPECT_EQ(summary(at(card("hall-in", 1))), "deny/credential_locked");
  EXPECT_EQ(summary(at(card("front-in", 1))), "deny/credential_locked");
  // Restoring the credential lifts the lock.
  const auto restored = engine.apply(RestoreCredential{CredentialId{"ada-card"}, "verified by phone"}, t,
                                     Actor{OperatorId{"op"}, PersonId{}, false});
  EXPECT_EQ(summary(restored), "grant/applied");
  EXPECT_EQ(summary(at(card("front-in", 1))), "grant/granted");
}

TEST_F(Factors, CorrectPinResetsTheFailureCount) {
  at(card("hall-in", 1));
  at(pin("hall-in", "0000"));
  at(pin("hall-in", "0001"));
  EXPECT_EQ(summary(at(pin("hall-in", "1234"))), "grant/granted");
  at(card("hall-out", 1));
  at(card("hall-in", 1));
  at(pin("hall-in", "0000"));
  EXPECT_EQ(summary(at(pin("hall-in", "1234"))), "grant/granted");
}

TEST_F(Factors, DuressPinGrantsWithASilentAlarm) {
  at(card("hall-in", 1));
  const Outcome out = at(pin("hall-in", "9999"));
  EXPECT_EQ(summary(out), "grant/granted");  // the door sees an ordinary grant
  EXPECT_EQ(out.pin_verdict, PinVerdict::Duress);
  ASSERT_EQ(out.alarms.size(), 1U);
  EXPECT_EQ(out.alarms[0].kind, "duress");
  EXPECT_TRUE(out.alarms[0].silent);
  EXPECT_EQ(out.alarms[0].subject, "ada");
}

TEST_F(Factors, RecordedVerdictIsUsedWithoutTheVerifier) {
  at(card("hall-in", 1));
  DeviceEvent replayed = pin("hall-in", "");
  std::get<PinEntered>(replayed.payload).recorded_verdict = PinVerdict::Match;
  const Outcome out = at(replayed);
  EXPECT_EQ(summary(out), "grant/granted");
  EXPECT_EQ(out.pin_verdict, PinVerdict::Match);
  EXPECT_EQ(pins->calls, 0);
}

TEST_F(Factors, PinWithoutAPendingBadgeNeverCallsTheVerifier) {
  const Outcome out = at(pin("hall-in", "1234"));
  EXPECT_EQ(summary(out), "deny/missing_factor/badge");
  EXPECT_FALSE(out.pin_verdict);
  EXPECT_EQ(pins->calls, 0);
}

TEST(FactorsWithoutVerifier, LivePinIsUndecidable) {
  Engine engine{build_or_throw(test_site_definition())};
  (void)engine.apply(card("hall-in", 1), monday_10_local());
  EXPECT_EQ(summary(engine.apply(pin("hall-in", "1234"), monday_10_local() + 1s)),
            "deny/decision_unavailable");
}

TEST_F(Factors, TwoPersonCageWaitsForASecondPersonAfterEveryFactor) {
  at(card("hall-in", 1));
  at(pin("hall-in", "1234"));
  EXPECT_EQ(summary(at(card("cage-in", 1))), "pending/missing_factor/biometric");
  EXPECT_EQ(summary(at(finger("cage-in", "tpl-ada"))), "pending/second_person_pending/second_person");
}

TEST_F(Factors, RackOpensWithBadgeAndPinWithoutMovingPresence) {
  EXPECT_EQ(summary(at(card("rack-1-r", 1))), "pending/missing_factor/pin");
  const Outcome out = at(pin("rack-1-r", "1234"));
  EXPECT_EQ(summary(out), "grant/granted");
  EXPECT_EQ(out.decision->rack, RackId{"rack-1"});
  EXPECT_FALSE(engine.state().presence.contains(PersonId{"ada"}));
}

TEST_F(Factors, RevocationAppliesToAPendingAttempt) {
  at(card("hall-in", 1));
  (void)engine.apply(RevokePerson{PersonId{"ada"}, "terminated"}, t,
                     Actor{OperatorId{"op"}, PersonId{}, false});
  EXPECT_EQ(summary(at(pin("hall-in", "1234"))), "deny/person_revoked");
}

}  // namespace
}  // namespace portcullis::core
