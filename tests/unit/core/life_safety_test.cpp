// No single person: fire releases egress only, device time, exits by request to exit, pending two-person
// attempts decided again at completion, the interlock failing closed, and fraud at a two-person door.
#include <gtest/gtest.h>

#include "scenario_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;
using namespace std::chrono_literals;

void both_into_the_cage(Scenario& s) {
  ASSERT_EQ(s.badge("cage-in", 2), "pending/missing_factor/biometric");
  ASSERT_EQ(s.finger("cage-in", "bob"), "pending/second_person_pending/second_person");
  ASSERT_EQ(s.badge("cage-in", 1), "pending/missing_factor/biometric");
  ASSERT_EQ(s.finger("cage-in", "ada"), "grant/granted");
}

// --- Fire releases egress, never a single person's entry --------------------------------------------------

TEST(FireSuspendsTwoPersonIntegrity, OneCustodianCannotEnterTheCageDuringAFire) {
  Scenario s;
  EXPECT_EQ(s.fire(true, "hall"), "- !fire_alarm");
  EXPECT_EQ(s.badge("cage-in", 1), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("cage-in", "ada"), "pending/second_person_pending/second_person");
  EXPECT_FALSE(s.engine.state().presence.contains(PersonId{"ada"}));
  EXPECT_EQ(s.last.door_action, DoorAction::None) << "no lock command to a door under fire";
}

TEST(FireSuspendsTwoPersonIntegrity, OneCustodianCannotOpenAWeightsRackDuringAFire) {
  Scenario s;
  EXPECT_EQ(s.fire(true), "- !fire_alarm");
  EXPECT_EQ(s.badge("rk-r", 1), "pending/missing_factor/pin");
  EXPECT_EQ(s.pin("rk-r", 1), "pending/second_person_pending/second_person");
  EXPECT_FALSE(s.engine.state().rack_doors.contains(RackId{"rk"}));
}

TEST(FireSuspendsTwoPersonIntegrity, TheInterlockStaysForEntriesAndEgressIsFree) {
  Scenario s;
  EXPECT_EQ(s.badge("outer-in", 1), "grant/granted");
  EXPECT_EQ(s.fire(true), "- !fire_alarm");
  EXPECT_EQ(s.contact("outer", true), "-");
  EXPECT_EQ(s.badge("inner-in", 1), "pending/missing_factor/pin");
  EXPECT_EQ(s.pin("inner-in", 1), "deny/interlock_busy");
  EXPECT_EQ(s.last.door_action, DoorAction::None);
  // Leaving is never held: through the open interlock, unknown badge or not.
  EXPECT_EQ(s.badge("inner-out", 99), "grant/fire_alarm_release");
  EXPECT_EQ(s.last.door_action, DoorAction::Unlock);
  EXPECT_EQ(s.badge("cage-out", 2), "grant/fire_alarm_release");
}

TEST(FireSuspendsTwoPersonIntegrity, ALonePersonLeftInTheCageDuringAFireIsAnAlarm) {
  Scenario s;
  both_into_the_cage(s);
  EXPECT_EQ(s.fire(true), "- !fire_alarm");
  EXPECT_EQ(s.badge("cage-out", 2), "grant/fire_alarm_release");
  EXPECT_EQ(s.tick(31), "- !lone_person");
}

// --- Device time -------------------------------------------------------------------------------------------

class DeviceTime : public ::testing::Test {
 protected:
  DeviceEvent at(DevicePayload payload, Timestamp device_time, const char* device = "ctl") {
    DeviceEvent e;
    e.device = DeviceId{device};
    e.seq = ++seq;
    e.device_time = device_time;
    e.payload = std::move(payload);
    return e;
  }
  DeviceEvent contact(const char* portal, bool open, Timestamp t) {
    return at(DoorContact{PortalId{portal}, RackId{}, open ? ContactState::Open : ContactState::Closed}, t);
  }
  Engine engine{build_or_throw(scenario_site_definition()), std::make_shared<FakePinVerifier>()};
  Timestamp t0 = monday_10_local();
  std::int64_t seq = 0;
};

std::string kinds(const Outcome& out) {
  std::string s;
  for (const auto& a : out.alarms) s += "!" + a.kind + " ";
  return s;
}

TEST_F(DeviceTime, TimeRulesUseOneReceiveTimePerBatch_ADoorForcedWhileOfflineIsForced) {
  // Forced at t0 and shut 5 s later while the controller was offline; both arrive together an hour later.
  const Timestamp received = t0 + 1h;
  const Outcome opened = engine.apply(contact("front", true, t0), received);
  const Outcome shut = engine.apply(contact("front", false, t0 + 5s), received);
  EXPECT_EQ(kinds(opened) + kinds(shut), "!door_forced ");
}

TEST_F(DeviceTime, TimeRulesUseOneReceiveTimePerBatch_ABadgeAnHourOldNeverCombinesWithAFreshPin) {
  const Timestamp now = t0 + 1h;
  const Outcome badge = engine.apply(
      at(CardPresented{ReaderId{"front-in"}, Card{CardFormat::FacilityAndNumber, 10, 1, ""}}, t0), now);
  ASSERT_TRUE(badge.decision);
  EXPECT_EQ(badge.decision->reason, Reason::LateEvent);
  EXPECT_EQ(badge.door_action, DoorAction::None);
  EXPECT_TRUE(engine.state().attempts.empty());
  const Outcome pin =
      engine.apply(at(PinEntered{ReaderId{"front-in"}, "1001", std::nullopt, PersonId{}}, now), now);
  EXPECT_EQ(summary(pin), "deny/missing_factor/badge");
}

TEST_F(DeviceTime, TimeRulesUseOneReceiveTimePerBatch_FactorsAreCombinedAtTheirOwnTimes) {
  // Within the skew, but 40 s apart on the device's clock: longer than the 30 s factor window.
  const Timestamp received = t0 + 60s;
  const Outcome badge = engine.apply(
      at(CardPresented{ReaderId{"inner-in"}, Card{CardFormat::FacilityAndNumber, 10, 1, ""}}, t0), received);
  EXPECT_EQ(summary(badge), "pending/missing_factor/pin");
  const Outcome pin = engine.apply(
      at(PinEntered{ReaderId{"inner-in"}, "1001", std::nullopt, PersonId{}}, t0 + 40s), received);
  EXPECT_EQ(summary(pin), "deny/missing_factor/badge");
}

TEST_F(DeviceTime, AClockAheadIsClampedAndOrderIsKeptPerDevice) {
  (void)engine.apply(contact("front", true, t0 + 1h), t0);  // clock an hour ahead: taken at the receive time
  EXPECT_EQ(engine.state().doors.at(PortalId{"front"}).raw_since, t0);
  (void)engine.apply(contact("front", false, t0 - 10s), t0 + 1s);  // clock going backwards: not before t0
  EXPECT_EQ(engine.state().doors.at(PortalId{"front"}).raw_since, t0);
}

TEST_F(DeviceTime, AReplayDecidesTheSameFromTheStoredTimes) {
  std::vector<std::pair<DeviceEvent, Timestamp>> log{
      {contact("front", true, t0), t0 + 1h},
      {contact("front", false, t0 + 5s), t0 + 1h},
      {at(CardPresented{ReaderId{"front-in"}, Card{CardFormat::FacilityAndNumber, 10, 1, ""}}, t0 + 1h),
       t0 + 1h}};
  std::vector<Outcome> live;
  for (const auto& [e, received] : log) live.push_back(engine.apply(e, received));
  Engine fresh{build_or_throw(scenario_site_definition()), std::make_shared<FakePinVerifier>()};
  for (std::size_t i = 0; i < log.size(); ++i) EXPECT_EQ(fresh.apply(log[i].first, log[i].second), live[i]);
  EXPECT_EQ(fresh.state(), engine.state());
}

// --- Exits by request to exit
// -------------------------------------------------------------------------------

TEST(ExitsByRequestToExitAreInvisible, ARequestToExitFromTheCageMakesItsOccupancyUnknown) {
  Scenario s;
  both_into_the_cage(s);
  EXPECT_EQ(s.rex("cage-door"), "- !occupancy_unknown");
  EXPECT_EQ(s.last.alarms[0].subject, "cage");
  EXPECT_TRUE(s.engine.state().occupancy_unknown.contains(ZoneId{"cage"}));
  EXPECT_EQ(s.contact("cage-door", true), "-") << "already unknown: one alarm";
  // Badging out clears it once nobody is recorded inside.
  EXPECT_EQ(s.badge("cage-out", 1), "grant/granted");
  EXPECT_EQ(s.badge("cage-out", 2), "grant/granted");
  EXPECT_FALSE(s.engine.state().occupancy_unknown.contains(ZoneId{"cage"}));
}

TEST(ExitsByRequestToExitAreInvisible, AnUnbadgedOpeningOfTheCageDoorMakesItsOccupancyUnknown) {
  Scenario s;
  both_into_the_cage(s);
  EXPECT_EQ(s.contact("cage-door", false, 10), "-");  // the entry's opening, closed again
  EXPECT_EQ(s.contact("cage-door", true), "-");
  EXPECT_EQ(s.tick(1), "- !door_forced !occupancy_unknown");
}

// --- Pending two-person attempts --------------------------------------------------------------------------

TEST(PendingTwoPersonAttemptIsNotRechecked, AFirstPersonRevokedWhileWaitingIsNotLetIn) {
  Scenario s;
  EXPECT_EQ(s.badge("cage-in", 1), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("cage-in", "ada"), "pending/second_person_pending/second_person");
  EXPECT_EQ(s.act(RevokePerson{PersonId{"ada"}, "terminated"}), "grant/applied");
  EXPECT_EQ(s.badge("cage-in", 2), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("cage-in", "bob"), "pending/second_person_pending/second_person");
  ASSERT_TRUE(s.last.first_person);
  EXPECT_EQ(s.last.first_person->verdict, Verdict::Deny);
  EXPECT_EQ(s.last.first_person->reason, Reason::PersonRevoked);
  EXPECT_FALSE(s.engine.state().presence.contains(PersonId{"ada"}));
  EXPECT_FALSE(s.engine.state().presence.contains(PersonId{"bob"}));
}

TEST(PendingTwoPersonAttemptIsNotRechecked, AFirstPersonsCredentialRevokedWhileWaitingIsNotLetIn) {
  Scenario s;
  EXPECT_EQ(s.badge("cage-in", 1), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("cage-in", "ada"), "pending/second_person_pending/second_person");
  EXPECT_EQ(s.act(RevokeCredential{CredentialId{"ada-card"}, "lost"}), "grant/applied");
  EXPECT_EQ(s.badge("cage-in", 2), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("cage-in", "bob"), "pending/second_person_pending/second_person");
  ASSERT_TRUE(s.last.first_person);
  EXPECT_EQ(s.last.first_person->reason, Reason::CredentialRevoked);
}

// --- Interlock fails closed
// ---------------------------------------------------------------------------------

TEST(MantrapInterlockFailsOpenOnUnknownContact, AnUnreportedInnerDoorKeepsTheOuterDoorLocked) {
  Scenario s{scenario_site_definition(), false};
  EXPECT_EQ(s.badge("outer-in", 1), "deny/interlock_busy");
  EXPECT_EQ(s.contact("inner", false), "-");
  EXPECT_EQ(s.badge("outer-in", 1), "grant/granted");
}

TEST(MantrapInterlockFailsOpenOnUnknownContact, ASilentControllerMakesItsDoorsUnknown) {
  SiteDefinition site = scenario_site_definition();
  std::erase(site.devices[0].portals, PortalId{"inner"});  // the inner door's contact has its own controller
  site.devices.push_back(DeviceDef{DeviceId{"inner-ctl"},
                                   DeviceKind::DoorController,
                                   {},
                                   {PortalId{"inner"}},
                                   {},
                                   std::string(64, 'e'),
                                   60,
                                   {},
                                   {}});
  Scenario s{site, false};
  EXPECT_EQ(s.contact("outer", false), "-");
  EXPECT_EQ(s.send("inner-ctl", DoorContact{PortalId{"inner"}, RackId{}, ContactState::Closed}), "-");
  EXPECT_EQ(s.badge("outer-in", 1), "grant/granted");
  EXPECT_EQ(s.badge("outer-out", 1, 10), "grant/granted");
  EXPECT_EQ(s.tick(61), "- !device_silent");
  EXPECT_EQ(s.badge("outer-in", 1), "deny/interlock_busy");
}

TEST(MantrapInterlockFailsOpenOnUnknownContact, EgressStaysFree) {
  SiteDefinition site = scenario_site_definition();
  Scenario s{site, false};
  EXPECT_EQ(s.badge("outer-out", 1), "grant/granted");  // vestibule to lobby: egress
}

// --- Fraud at a two-person door
// -----------------------------------------------------------------------------

TEST(FraudAtATwoPersonDoorIsSilent, ASecondBadgeOfTheSamePersonIsACriticalAlarm) {
  SiteDefinition site = scenario_site_definition();
  site.people[1].cards.push_back(
      CardDef{CredentialId{"bob-spare"}, CardFormat::FacilityAndNumber, 10, 20, "", false});
  Scenario s{site};
  EXPECT_EQ(s.badge("cage-in", 2), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("cage-in", "bob"), "pending/second_person_pending/second_person");
  EXPECT_EQ(s.badge("cage-in", 20), "deny/same_person_twice !two_person_fraud");
  EXPECT_EQ(s.last.alarms[0].severity, Severity::Critical);
  EXPECT_EQ(s.last.alarms[0].subject, "bob");
  EXPECT_EQ(s.badge("cage-in", 2), "deny/same_person_twice") << "the same badge again is no fraud";
}

TEST(FraudAtATwoPersonDoorIsSilent, ASecondPersonsFactorsCompletedByTheFirstPersonIsFraud) {
  SiteDefinition site = scenario_site_definition();
  site.people[0].biometrics.push_back(BiometricDef{CredentialId{"ada-bio-2"}, "tpl-ada-2", false});
  Scenario s{site};
  EXPECT_EQ(s.badge("cage-in", 1), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("cage-in", "ada"), "pending/second_person_pending/second_person");
  EXPECT_EQ(s.finger("cage-in", "ada-2"), "deny/same_person_twice !two_person_fraud");
}

}  // namespace
}  // namespace portcullis::core
