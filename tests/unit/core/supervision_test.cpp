// Door supervision scenarios: forced, held, shunted passages, debounced contacts, tamper, silent devices; and
// the replay of a supervised log (ticks recorded) into a fresh engine.
#include <gtest/gtest.h>

#include "scenario_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

TEST(DoorSupervision, ForcedDoorRaisesAnAlarmOnceStable) {
  Scenario s;
  EXPECT_EQ(s.contact("front", true), "-");  // not yet stable (500 ms debounce)
  EXPECT_EQ(s.tick(1), "- !door_forced");
  EXPECT_EQ(s.last.alarms[0].severity, Severity::High);
  EXPECT_EQ(s.last.alarms[0].subject, "front");
  EXPECT_EQ(s.contact("front", false), "-");
}

TEST(DoorSupervision, ContactBounceIsDebounced) {
  Scenario s;
  EXPECT_EQ(s.contact("front", true), "-");
  EXPECT_EQ(s.contact("front", false, 0.1), "-");
  EXPECT_EQ(s.contact("front", true, 0.1), "-");
  EXPECT_EQ(s.contact("front", false, 0.1), "-");
  EXPECT_EQ(s.tick(5), "-");
}

TEST(DoorSupervision, GrantedPassageIsShuntedThenHeldOpenAlarms) {
  Scenario s;
  EXPECT_EQ(s.badge("front-in", 1), "grant/granted");
  EXPECT_EQ(s.contact("front", true), "-");
  EXPECT_EQ(s.tick(1), "-");  // opened within its release: no forced alarm
  EXPECT_EQ(s.tick(10), "- !door_held");
  EXPECT_EQ(s.last.alarms[0].severity, Severity::Medium);
  EXPECT_EQ(s.tick(30), "-");
  EXPECT_EQ(s.contact("front", false), "-");
  EXPECT_EQ(s.contact("front", true, 10), "-");  // release over: a new opening is forced
  EXPECT_EQ(s.tick(1), "- !door_forced");
}

TEST(RackDoorSupervision, ARackOpenedWithoutAGrantIsForcedAndAGrantedOneIsHeldPastItsTime) {
  Scenario s;
  EXPECT_EQ(s.rack_contact("rk", true), "-");
  EXPECT_EQ(s.tick(1), "- !rack_door_forced");
  EXPECT_EQ(s.last.alarms[0].subject, "rk");
  EXPECT_EQ(s.rack_contact("rk", false), "-");
  // Two persons open it (the rack is two-person): its door is released and shunted, then held too long.
  EXPECT_EQ(s.badge("rk-r", 1, 5), "pending/missing_factor/pin");
  EXPECT_EQ(s.pin("rk-r", 1), "pending/second_person_pending/second_person");
  EXPECT_EQ(s.badge("rk-r", 4), "pending/missing_factor/pin");
  EXPECT_EQ(s.pin("rk-r", 4), "grant/granted");
  EXPECT_EQ(s.rack_contact("rk", true), "-");
  EXPECT_EQ(s.tick(1), "-") << "a granted opening is not forced";
  EXPECT_EQ(s.tick(120), "- !rack_door_held");
  EXPECT_EQ(s.last.alarms[0].severity, Severity::Medium);
  EXPECT_EQ(s.rack_contact("rk", false), "-");
  EXPECT_EQ(s.tick(1), "-");
}

TEST(DoorSupervision, RequestToExitShuntsTheDoor) {
  Scenario s;
  EXPECT_EQ(s.rex("front"), "-");
  EXPECT_EQ(s.contact("front", true), "-");
  EXPECT_EQ(s.contact("front", false, 3), "-");
  EXPECT_EQ(s.tick(1), "-");
}

TEST(DoorSupervision, TamperAlarm) {
  Scenario s;
  EXPECT_EQ(s.tamper(), "- !tamper");
  EXPECT_EQ(s.last.alarms[0].severity, Severity::High);
  EXPECT_EQ(s.last.alarms[0].subject, "ctl");
}

TEST(DoorSupervision, SilentDeviceAfterItsHeartbeatInterval) {
  Scenario s;
  EXPECT_EQ(s.heartbeat(), "-");
  EXPECT_EQ(s.tick(600), "-");
  EXPECT_EQ(s.tick(1), "- !device_silent");
  EXPECT_EQ(s.tick(30), "-");
  EXPECT_EQ(s.heartbeat(), "-");  // heard again
  EXPECT_EQ(s.tick(601), "- !device_silent");
}

TEST(DoorSupervision, ReplayWithOnlyAlarmTicksRecordedGivesTheSameOutcomesAndState) {
  Scenario s;
  s.badge("outer-in", 1);
  s.contact("outer", true);
  s.sensor(1);
  s.tick(20);
  s.badge("cage-in", 2);
  s.finger("cage-in", "bob");
  s.tick(40);  // two-person window expired, door held
  s.contact("front", true);
  s.tick(2);
  s.heartbeat();
  s.tick(90);
  Engine replayed{build_or_throw(scenario_site_definition())};
  EXPECT_EQ(s.replay(replayed), std::nullopt);
  EXPECT_TRUE(replayed.state() == s.engine.state());
}

}  // namespace
}  // namespace portcullis::core
