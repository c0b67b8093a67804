// Anti-passback: hard denies, soft alarms, timed forgets; forgiveness; back-to-back badges grant once.
#include <gtest/gtest.h>

#include "test_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

class AntiPassback : public ::testing::Test {
 protected:
  std::shared_ptr<FakePinVerifier> pins = std::make_shared<FakePinVerifier>();
  Engine engine{build_or_throw(test_site_definition()), pins};
  Timestamp t = monday_10_local();
  Outcome at(const DeviceEvent& e, Duration after = 1s) {
    t += after;
    return engine.apply(e, t);
  }
};

TEST_F(AntiPassback, HardZoneGrantsBackToBackBadgesOnce) {
  EXPECT_EQ(summary(at(card("office-in", 1), 0s)), "grant/granted");
  EXPECT_EQ(summary(at(card("office-in", 1), 1us)), "deny/anti_passback");
}

TEST_F(AntiPassback, LeavingAllowsEnteringAgain) {
  EXPECT_EQ(summary(at(card("office-in", 1))), "grant/granted");
  EXPECT_EQ(summary(at(card("office-out", 1))), "grant/granted");
  EXPECT_EQ(summary(at(card("office-in", 1))), "grant/granted");
}

TEST_F(AntiPassback, ExitWithoutEntryIsAViolationInAHardZone) {
  EXPECT_EQ(summary(at(card("front-in", 1))), "grant/granted");  // now known in the lobby
  EXPECT_EQ(summary(at(card("office-out", 1))), "deny/anti_passback");
}

TEST_F(AntiPassback, UnknownPresencePasses) {
  EXPECT_EQ(summary(at(card("office-out", 1))), "grant/granted");
  EXPECT_EQ(engine.state().presence.at(PersonId{"ada"}).zone, ZoneId{"lobby"});
}

TEST_F(AntiPassback, SoftZoneGrantsAndRaisesAnAlarm) {
  EXPECT_EQ(summary(at(card("lab-in", 1))), "grant/granted");
  const Outcome second = at(card("lab-in", 1));
  EXPECT_EQ(summary(second), "grant/granted");
  ASSERT_EQ(second.alarms.size(), 1U);
  EXPECT_EQ(second.alarms[0].kind, "anti_passback_violation");
}

TEST_F(AntiPassback, TimedZoneForgetsAfterItsTimeout) {
  at(card("office-in", 1));
  at(card("hall-in", 1));
  EXPECT_EQ(summary(at(pin("hall-in", "1234"))), "grant/granted");
  at(card("hall-in", 1));
  EXPECT_EQ(summary(at(pin("hall-in", "1234"))), "deny/anti_passback");
  at(card("hall-in", 1), 600s);
  EXPECT_EQ(summary(at(pin("hall-in", "1234"))), "grant/granted");
}

TEST_F(AntiPassback, ForgivenessResetsPresence) {
  at(card("office-in", 1));
  EXPECT_EQ(summary(at(card("office-in", 1))), "deny/anti_passback");
  EXPECT_EQ(summary(engine.apply(ForgivePresence{PersonId{"ada"}, "door jammed"}, t,
                                 Actor{OperatorId{"guard"}, PersonId{}, false})),
            "grant/applied");
  EXPECT_EQ(summary(at(card("office-in", 1))), "grant/granted");
}

TEST_F(AntiPassback, DeniedPassageDoesNotMovePresence) {
  at(card("office-in", 1));
  at(card("office-in", 1));
  EXPECT_EQ(engine.state().presence.at(PersonId{"ada"}).zone, ZoneId{"office"});
}

}  // namespace
}  // namespace portcullis::core
