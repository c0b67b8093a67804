// Mantrap scenarios: interlock, per-person authentication at the inner door, tailgating, stuck vestibule,
// fire alarm during a cycle (egress released, entries keep the interlock). Each line: a device event and what
// the engine answers (decision, !alarms).
#include <gtest/gtest.h>

#include "scenario_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

TEST(Mantrap, NormalCycle) {
  Scenario s;
  EXPECT_EQ(s.badge("outer-in", 1), "grant/granted");
  EXPECT_EQ(s.contact("outer", true), "-");
  EXPECT_EQ(s.sensor(1), "-");
  EXPECT_EQ(s.contact("outer", false), "-");
  EXPECT_EQ(s.badge("inner-in", 1), "pending/missing_factor/pin");
  EXPECT_EQ(s.pin("inner-in", 1), "grant/granted");
  EXPECT_EQ(s.contact("inner", true), "-");
  EXPECT_EQ(s.sensor(0), "-");
  EXPECT_EQ(s.contact("inner", false), "-");
  EXPECT_EQ(s.tick(120), "-");  // nothing stuck, held or forced
  EXPECT_EQ(s.engine.state().presence.at(PersonId{"ada"}).zone, ZoneId{"hall"});
}

TEST(Mantrap, TailgateSeenByTheSensorKeepsTheInnerDoorLocked) {
  Scenario s;
  EXPECT_EQ(s.badge("outer-in", 2), "grant/granted");
  EXPECT_EQ(s.contact("outer", true), "-");
  EXPECT_EQ(s.sensor(2), "- !tailgating");
  EXPECT_EQ(s.contact("outer", false), "-");
  EXPECT_EQ(s.badge("inner-in", 2), "pending/missing_factor/pin");
  EXPECT_EQ(s.pin("inner-in", 2), "deny/tailgating !tailgating");
  // Walking the tailgater back out is never blocked by the tailgating rule.
  EXPECT_EQ(s.badge("outer-out", 2), "grant/granted");
}

TEST(Mantrap, SecondCredentialInTheVestibuleIsTailgating) {
  Scenario s;
  EXPECT_EQ(s.badge("outer-in", 1), "grant/granted");
  EXPECT_EQ(s.badge("outer-in", 2), "grant/granted");  // same door, still released: bob slips in too
  EXPECT_EQ(s.badge("inner-in", 1), "pending/missing_factor/pin");
  EXPECT_EQ(s.pin("inner-in", 1), "deny/tailgating !tailgating");
}

TEST(Mantrap, BothDoorsRequestedTogether) {
  Scenario s;
  EXPECT_EQ(s.badge("outer-in", 1), "grant/granted");
  // Bob, in the hall, asks for the inner door while the outer door is released for Ada.
  EXPECT_EQ(s.badge("inner-out", 2, 0.1), "deny/interlock_busy");
  EXPECT_EQ(s.contact("outer", true), "-");
  EXPECT_EQ(s.badge("inner-out", 2, 5), "deny/interlock_busy");  // release over, but the door is open
  EXPECT_EQ(s.contact("outer", false), "-");
  EXPECT_EQ(s.badge("inner-out", 2), "grant/granted");  // closed and relocked: free
  EXPECT_EQ(s.badge("outer-out", 1), "deny/interlock_busy");
}

TEST(Mantrap, StuckInTheVestibule) {
  Scenario s;
  EXPECT_EQ(s.badge("outer-in", 3), "grant/granted");
  EXPECT_EQ(s.sensor(1), "-");
  EXPECT_EQ(s.tick(58), "-");
  EXPECT_EQ(s.tick(2), "- !mantrap_stuck");
  EXPECT_EQ(s.tick(30), "-");  // raised once per occupancy
  EXPECT_EQ(s.sensor(0), "-");
}

TEST(Mantrap, FireAlarmDuringACycleReleasesEgressAndKeepsTheInterlockForEntries) {
  Scenario s;
  EXPECT_EQ(s.badge("outer-in", 1), "grant/granted");
  EXPECT_EQ(s.fire(true), "- !fire_alarm");
  EXPECT_NE(s.last.alarms[0].detail.find("released for egress: front, outer, inner"), std::string::npos)
      << s.last.alarms[0].detail;
  // Egress is never held locked, whoever asks: an unknown badge too.
  EXPECT_EQ(s.badge("outer-out", 99), "grant/fire_alarm_release");
  // Entries keep the policy and the interlock: the outer door is open.
  EXPECT_EQ(s.contact("outer", true), "-");
  EXPECT_EQ(s.badge("inner-in", 1), "pending/missing_factor/pin");
  EXPECT_EQ(s.pin("inner-in", 1), "deny/interlock_busy");
  EXPECT_EQ(s.last.door_action, DoorAction::None) << "never a lock command to a door under fire";
  EXPECT_EQ(s.tick(60), "-");  // released doors held open: no door_held during the fire
  EXPECT_EQ(s.fire(false), "-");
  // Rules back: the outer door is still open (and now held too long), and Ada never left the vestibule.
  EXPECT_EQ(s.badge("inner-in", 1), "pending/missing_factor/pin !door_held !mantrap_stuck");
}

}  // namespace
}  // namespace portcullis::core
