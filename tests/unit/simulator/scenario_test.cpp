// Scenario parsing (errors name the field), the timeline, wire bodies and expectation checks.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "portcullis/sim/scenario.hpp"

namespace portcullis::sim {
namespace {
using nlohmann::json;

json minimal() {
  return json::parse(R"({
    "format": "portcullis-scenario/1",
    "name": "t",
    "devices": [{"id": "ctl-lobby"}, {"id": "ctl-office", "token_env": "OFFICE_TOKEN"}],
    "steps": [
      {"at_ms": 500, "device": "ctl-lobby",
       "event": {"type": "credential", "reader": "rdr-lobby-in", "card": {"facility": 42, "number": 10001}},
       "expect": {"verdict": "grant", "reason": "granted"}},
      {"at_ms": 100, "device": "ctl-office", "event": {"type": "heartbeat"}},
      {"at_ms": 100, "device": "ctl-lobby", "event": {"type": "door_contact", "portal": "main-entrance", "state": "open"},
       "expect_alarm": "door_forced"}
    ]})");
}

// The field named by the error parse_scenario throws, or "" when it parses.
std::string error_field(const json& doc) {
  try {
    (void)parse_scenario(doc.dump());
  } catch (const ScenarioError& e) {
    return e.field();
  }
  return "";
}

TEST(ScenarioParse, ReadsDevicesStepsAndExpectations) {
  const Scenario s = parse_scenario(minimal().dump());
  EXPECT_EQ(s.name, "t");
  ASSERT_EQ(s.devices.size(), 2U);
  EXPECT_EQ(s.devices[1].token_env, "OFFICE_TOKEN");
  ASSERT_EQ(s.steps.size(), 3U);
  EXPECT_EQ(s.steps[0].expect.verdict, "grant");
  EXPECT_EQ(s.steps[0].expect.reason, "granted");
  EXPECT_FALSE(s.steps[0].expect.needed);
  EXPECT_TRUE(s.steps[1].expect.empty());
  EXPECT_EQ(s.steps[2].expect.alarms, std::vector<std::string>{"door_forced"});
  EXPECT_EQ(s.loop_gap_ms, 2000);
}

TEST(ScenarioParse, ErrorsNameTheField) {
  auto doc = minimal();
  doc["steps"][0]["event"]["reader"] = 7;
  EXPECT_EQ(error_field(doc), "steps[0].event.reader");

  doc = minimal();
  doc["steps"][0]["event"]["card"].erase("number");
  EXPECT_EQ(error_field(doc), "steps[0].event.card.number");

  doc = minimal();
  doc["steps"][1]["device"] = "ctl-nowhere";
  EXPECT_EQ(error_field(doc), "steps[1].device");

  doc = minimal();
  doc["steps"][2]["event"]["state"] = "ajar";
  EXPECT_EQ(error_field(doc), "steps[2].event.state");

  doc = minimal();
  doc["steps"][0]["expect"]["verdict"] = "maybe";
  EXPECT_EQ(error_field(doc), "steps[0].expect.verdict");

  doc = minimal();
  doc["steps"][0]["at_ms"] = -1;
  EXPECT_EQ(error_field(doc), "steps[0].at_ms");

  doc = minimal();
  doc["steps"][1]["event"]["colour"] = "red";  // unknown fields are refused, as the server does
  EXPECT_EQ(error_field(doc), "steps[1].event.colour");

  doc = minimal();
  doc["steps"][1]["event"]["seq"] = 5;  // assigned by the simulator
  EXPECT_EQ(error_field(doc), "steps[1].event.seq");

  doc = minimal();
  doc["steps"][1]["event"]["type"] = "teleport";
  EXPECT_EQ(error_field(doc), "steps[1].event.type");

  doc = minimal();
  doc["devices"].push_back({{"id", "ctl-lobby"}});
  EXPECT_EQ(error_field(doc), "devices[2].id");

  doc = minimal();
  doc.erase("steps");
  EXPECT_EQ(error_field(doc), "steps");

  doc = minimal();
  doc["steps"][0]["expect"] = json::object();
  EXPECT_EQ(error_field(doc), "steps[0].expect");

  doc = minimal();
  doc["steps"][0]["expect_alarm"] = json::array({"door_forced", 3});
  EXPECT_EQ(error_field(doc), "steps[0].expect_alarm[1]");

  doc = minimal();
  doc["steps"][0]["event"] = {{"type", "pin"}, {"reader", "rdr-hall-in"}, {"pin", "12a4"}};
  EXPECT_EQ(error_field(doc), "steps[0].event.pin");

  doc = minimal();
  doc["format"] = "portcullis-scenario/9";
  EXPECT_EQ(error_field(doc), "format");

  doc = minimal();
  doc["stepz"] = json::array();
  EXPECT_EQ(error_field(doc), "stepz");

  EXPECT_EQ(error_field(minimal()), "");
}

TEST(ScenarioParse, BadJsonIsReportedAtTheRoot) {
  try {
    (void)parse_scenario("{\"devices\": [");
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.field(), "$");
  }
}

TEST(ScenarioParse, EveryEventTypeWithItsOptionalFields) {
  const std::vector<json> good = {
      {{"type", "pin"}, {"reader", "r"}, {"pin", "482916"}},
      {{"type", "biometric"}, {"reader", "r"}, {"template_id", "t"}, {"score", 97}, {"matched", true}},
      {{"type", "request_to_exit"}, {"portal", "p"}},
      {{"type", "tamper"}, {"component", "enclosure"}, {"active", true}},
      {{"type", "rfid_read"}, {"reader", "r"}, {"epc", "urn:epc:id:giai:4012345.1"}},
      {{"type", "rfid_read"}, {"reader", "r"}, {"epc", "e"}, {"antenna", 2}, {"rssi", -55}, {"count", 3}},
      {{"type", "fire_alarm"}, {"active", false}},
      {{"type", "fire_alarm"}, {"zone", "compute-hall"}, {"active", true}},
      {{"type", "occupancy"}, {"mantrap", "mt-hall"}, {"count", 2}},
      {{"type", "credential"},
       {"reader", "r"},
       {"card", {{"facility", 1}, {"number", 2}, {"format", "facility_number"}}}},
  };
  for (const auto& e : good) EXPECT_NO_THROW(validate_event(e, "event")) << e.dump();
  EXPECT_THROW(validate_event({{"type", "occupancy"}, {"mantrap", "m"}, {"count", 1001}}, "event"),
               ScenarioError);
  EXPECT_THROW(
      validate_event({{"type", "biometric"}, {"reader", "r"}, {"template_id", "t"}, {"score", 1}}, "event"),
      ScenarioError);
}

TEST(Timeline, OrdersByTimeKeepingFileOrderForTies) {
  const Scenario s = parse_scenario(minimal().dump());
  const auto t = build_timeline(s);
  ASSERT_EQ(t.size(), 3U);
  EXPECT_EQ(t[0].step, 1U);  // at 100, first in the file
  EXPECT_EQ(t[1].step, 2U);  // at 100, second
  EXPECT_EQ(t[2].step, 0U);  // at 500
  EXPECT_EQ(t[0].at_ms, 100);
  EXPECT_EQ(round_length_ms(s), 500 + 2000);
}

TEST(Timeline, DueOffsetsScaleWithSpeedAndRound) {
  using std::chrono::microseconds;
  EXPECT_EQ(due_offset(1200, 0, 5000, 1.0), microseconds{1'200'000});
  EXPECT_EQ(due_offset(1200, 0, 5000, 4.0), microseconds{300'000});
  EXPECT_EQ(due_offset(1200, 2, 5000, 1.0), microseconds{11'200'000});
  EXPECT_EQ(due_offset(0, 1, 5000, 0.5), microseconds{10'000'000});
  EXPECT_THROW((void)due_offset(0, 0, 1, 0.0), std::invalid_argument);
}

TEST(Wire, BodyAddsDeviceSeqAndTime) {
  const auto t = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27} + std::chrono::hours{10} +
                 std::chrono::milliseconds{7};
  const auto body = json::parse(event_body("ctl-lobby", 17, t, {{"type", "heartbeat"}}));
  EXPECT_EQ(body["device_id"], "ctl-lobby");
  EXPECT_EQ(body["seq"], 17);
  EXPECT_EQ(body["time"], "2026-11-27T10:00:00.007Z");
  EXPECT_EQ(body["type"], "heartbeat");
  EXPECT_EQ(body.size(), 4U);
}

TEST(Check, ComparesVerdictReasonNeededAndAlarms) {
  const auto pending = json::parse(
      R"({"decision":{"verdict":"pending","reason":"missing_factor","needed":"pin"},"alarms":[]})");
  Expectation e;
  e.verdict = "pending";
  e.needed = "pin";
  EXPECT_TRUE(check_outcome(e, pending).empty());
  e.needed = "biometric";
  ASSERT_EQ(check_outcome(e, pending).size(), 1U);
  EXPECT_EQ(check_outcome(e, pending)[0], "expected needed biometric, got pin");

  Expectation alarm;
  alarm.alarms = {"door_forced"};
  const auto forced = json::parse(
      R"({"decision":null,"alarms":[{"kind":"door_forced","severity":"high","subject":"office-door"}]})");
  EXPECT_TRUE(check_outcome(alarm, forced).empty());
  EXPECT_EQ(check_outcome(alarm, pending),
            std::vector<std::string>{"expected alarm door_forced, not raised"});

  Expectation grant;
  grant.verdict = "grant";
  EXPECT_EQ(check_outcome(grant, forced),
            std::vector<std::string>{"expected verdict grant, got no decision"});
  EXPECT_EQ(summarize_outcome(pending), "pending/missing_factor needs pin");
  EXPECT_EQ(summarize_outcome(forced), "- +alarm:door_forced");
}

}  // namespace
}  // namespace portcullis::sim
