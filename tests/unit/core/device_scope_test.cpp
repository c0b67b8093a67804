// Device binding: a device speaks only for what its site entry lists, and only in the event types its kind
// may send. Each refusal is recorded (the outcome says why), raises device_out_of_scope, and changes no
// state at all.
#include <gtest/gtest.h>

#include "portcullis/core/policy/device_scope.hpp"
#include "scenario_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

// The scenario site plus a lobby reader of its own, the kind of device an attacker may hold a token of.
SiteDefinition site_with_a_lobby_reader() {
  SiteDefinition site = scenario_site_definition();
  DeviceDef lobby{DeviceId{"lobby-reader"},
                  DeviceKind::Reader,
                  {ReaderId{"front-in"}},
                  {},
                  {},
                  std::string(64, 'd'),
                  0,
                  {},
                  {}};
  site.devices.push_back(lobby);
  return site;
}

void expect_refused(const Scenario& s, const EngineState& before, const char* field) {
  EXPECT_EQ(s.last.refused_field, field);
  ASSERT_TRUE(s.last.decision);
  EXPECT_EQ(s.last.decision->reason, Reason::DeviceOutOfScope);
  EXPECT_EQ(s.engine.state(), before) << "a refused event changes no state";
}

TEST(AnyDeviceCanSpeakForAnyDoor, ALobbyReaderCannotRaiseAFireAlarm) {
  Scenario s{site_with_a_lobby_reader()};
  const EngineState before = s.engine.state();
  EXPECT_EQ(s.send("lobby-reader", FireAlarm{ZoneId{}, true}),
            "deny/device_out_of_scope !device_out_of_scope");
  expect_refused(s, before, "type");
  EXPECT_EQ(s.last.alarms[0].severity, Severity::Critical);
  EXPECT_TRUE(s.engine.state().fires.empty());
  // Nor can a door controller: only a fire panel raises fire alarms.
  EXPECT_EQ(s.send("ctl", FireAlarm{ZoneId{"hall"}, true}), "deny/device_out_of_scope !device_out_of_scope");
  EXPECT_TRUE(s.engine.state().fires.empty());
  EXPECT_EQ(s.fire(true, "hall"), "- !fire_alarm");  // the panel can
}

TEST(AnyDeviceCanSpeakForAnyDoor, AFireAlarmForAnUnknownZoneIsAnAlarmNotASiteWideRelease) {
  Scenario s;
  const EngineState before = s.engine.state();
  EXPECT_EQ(s.fire(true, "atlantis"), "deny/device_out_of_scope !device_out_of_scope");
  expect_refused(s, before, "zone");
  EXPECT_EQ(s.last.alarms[0].severity, Severity::Critical);
  EXPECT_EQ(s.badge("outer-out", 99), "deny/unknown_credential") << "no release anywhere";
}

TEST(AnyDeviceCanSpeakForAnyDoor, APanelSpeaksOnlyForItsZones) {
  SiteDefinition site = scenario_site_definition();
  site.devices[2].zones = {ZoneId{"vault"}};  // the panel of the vault only
  Scenario s{site};
  EXPECT_EQ(s.fire(true, "vault"), "- !fire_alarm");
  EXPECT_EQ(s.fire(true, "hall"), "deny/device_out_of_scope !device_out_of_scope");
  EXPECT_EQ(s.fire(true), "deny/device_out_of_scope !device_out_of_scope") << "not the whole site";
  EXPECT_EQ(s.engine.state().fires, std::set<ZoneId>{ZoneId{"vault"}});
}

TEST(AnyDeviceCanSpeakForAnyDoor, AForgedContactCannotMaskAnOpenMantrapDoor) {
  Scenario s{site_with_a_lobby_reader()};
  EXPECT_EQ(s.contact("outer", true), "-");
  const EngineState before = s.engine.state();
  EXPECT_EQ(s.send("lobby-reader", DoorContact{PortalId{"outer"}, RackId{}, ContactState::Closed}),
            "deny/device_out_of_scope !device_out_of_scope");
  expect_refused(s, before, "type");
  EXPECT_TRUE(s.engine.state().doors.at(PortalId{"outer"}).raw_open);
}

TEST(AnyDeviceCanSpeakForAnyDoor, AControllerCannotReportAnotherControllersDoor) {
  SiteDefinition site = scenario_site_definition();
  site.devices[0].portals = {PortalId{"front"}};  // ctl now serves the front door's contact only
  Scenario s{site, false};
  const EngineState before = s.engine.state();
  EXPECT_EQ(s.contact("outer", false), "deny/device_out_of_scope !device_out_of_scope");
  expect_refused(s, before, "portal");
  EXPECT_EQ(s.rex("cage-door"), "deny/device_out_of_scope !device_out_of_scope");
  EXPECT_EQ(s.last.refused_field, "portal");
  EXPECT_EQ(s.send("ctl", DoorContact{PortalId{}, RackId{"rk"}, ContactState::Closed}),
            "deny/device_out_of_scope !device_out_of_scope");
  EXPECT_EQ(s.last.refused_field, "rack");
}

TEST(AnyDeviceCanSpeakForAnyDoor, AForgedRequestToExitCannotShuntAForcedDoor) {
  Scenario s{site_with_a_lobby_reader()};
  EXPECT_EQ(s.send("lobby-reader", RequestToExit{PortalId{"front"}}),
            "deny/device_out_of_scope !device_out_of_scope");
  EXPECT_EQ(s.contact("front", true), "-");
  EXPECT_EQ(s.tick(1), "- !door_forced");
}

TEST(AnyDeviceCanSpeakForAnyDoor, AForgedOccupancyCountCannotClearAVestibule) {
  Scenario s{site_with_a_lobby_reader()};
  EXPECT_EQ(s.badge("outer-in", 1), "grant/granted");
  EXPECT_EQ(s.sensor(1), "-");
  const EngineState before = s.engine.state();
  EXPECT_EQ(s.send("lobby-reader", OccupancyReport{MantrapId{"mt"}, 0}),
            "deny/device_out_of_scope !device_out_of_scope");
  expect_refused(s, before, "type");
  EXPECT_EQ(s.engine.state().mantraps.at(MantrapId{"mt"}).sensed, 1U);
}

TEST(AnyDeviceCanSpeakForAnyDoor, AReaderCannotReportAnotherReadersBadge) {
  Scenario s{site_with_a_lobby_reader()};
  const EngineState before = s.engine.state();
  EXPECT_EQ(s.send("lobby-reader",
                   CardPresented{ReaderId{"cage-in"}, Card{CardFormat::FacilityAndNumber, 10, 1, ""}}),
            "deny/device_out_of_scope !device_out_of_scope");
  expect_refused(s, before, "reader");
  EXPECT_EQ(s.send("lobby-reader",
                   CardPresented{ReaderId{"front-in"}, Card{CardFormat::FacilityAndNumber, 10, 1, ""}}),
            "grant/granted");
}

TEST(AnyDeviceCanSpeakForAnyDoor, AnUnknownDeviceSpeaksForNothing) {
  Scenario s;
  const EngineState before = s.engine.state();
  EXPECT_EQ(s.send("stranger", Heartbeat{}), "deny/device_out_of_scope !device_out_of_scope");
  expect_refused(s, before, "device_id");
}

TEST(AnyDeviceCanSpeakForAnyDoor, OperatorsClearAStuckFireStateWithASupervisorAndASecondOperator) {
  Scenario s;
  EXPECT_EQ(s.fire(true), "- !fire_alarm");  // the panel then goes silent for good
  const Actor guard{OperatorId{"guard"}, PersonId{"cy"}, false};
  const Actor supervisor{OperatorId{"sup"}, PersonId{"ada"}, true};
  const Actor supervisor_again{OperatorId{"sup-2"}, PersonId{"ada"}, true};  // ada's second account
  const ClearFire clear{"cf-1", ZoneId{}, "panel replaced"};
  const ClearFire confirm{"cf-1", ZoneId{}, "walked the floor", true};
  const Timestamp t = s.now + 1s;
  EXPECT_EQ(Scenario::describe(s.engine.apply(clear, t, guard)), "deny/approver_role_required");
  EXPECT_EQ(Scenario::describe(s.engine.apply(clear, t, supervisor)), "grant/applied !fire_clear_requested");
  EXPECT_EQ(Scenario::describe(s.engine.apply(clear, t, supervisor)), "deny/duplicate_id");
  EXPECT_EQ(Scenario::describe(s.engine.apply(confirm, t, supervisor)), "deny/self_approval");
  EXPECT_EQ(Scenario::describe(s.engine.apply(confirm, t, supervisor_again)), "deny/self_approval");
  EXPECT_FALSE(s.engine.state().fires.empty());
  EXPECT_EQ(Scenario::describe(s.engine.apply(confirm, t + 1s, guard)), "grant/applied !fire_cleared");
  EXPECT_TRUE(s.engine.state().fires.empty());
  EXPECT_EQ(Scenario::describe(s.engine.apply(ClearFire{"cf-2", ZoneId{}, ""}, t + 2s, supervisor)),
            "deny/unknown_subject")
      << "nothing left to clear";
}

// The confirmation route names a request id: an id nobody asked for must not become a request of the
// confirming operator (who would then need only one more person).
TEST(AnyDeviceCanSpeakForAnyDoor, AFireClearConfirmationNeverStartsARequest) {
  Scenario s;
  EXPECT_EQ(s.fire(true), "- !fire_alarm");
  const Actor supervisor{OperatorId{"sup"}, PersonId{"ada"}, true};
  EXPECT_EQ(Scenario::describe(s.engine.apply(ClearFire{"cf-9", ZoneId{}, "", true}, s.now + 1s, supervisor)),
            "deny/unknown_subject");
  EXPECT_TRUE(s.engine.state().fire_clear_requests.empty());
  EXPECT_FALSE(s.engine.state().fires.empty());
}

TEST(DeviceKinds, TheTableSaysWhatEachKindMaySend) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(event_types_of(DeviceKind::FirePanel), (V{"tamper", "heartbeat", "fire_alarm"}));
  EXPECT_EQ(event_types_of(DeviceKind::OccupancySensor), (V{"tamper", "heartbeat", "occupancy"}));
  EXPECT_EQ(event_types_of(DeviceKind::RfidReader), (V{"tamper", "heartbeat", "rfid_read"}));
  EXPECT_EQ(event_types_of(DeviceKind::Reader), (V{"credential", "pin", "biometric", "tamper", "heartbeat"}));
  EXPECT_EQ(event_types_of(DeviceKind::DoorController),
            (V{"credential", "pin", "biometric", "door_contact", "request_to_exit", "tamper", "heartbeat",
               "occupancy"}));
  EXPECT_EQ(event_types_of(DeviceKind::RackController),
            (V{"credential", "pin", "biometric", "door_contact", "tamper", "heartbeat", "rfid_read"}));
}

}  // namespace
}  // namespace portcullis::core
