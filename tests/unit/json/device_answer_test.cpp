// A device's answer carries the verdict and the door action only: never a silent duress alarm, never other
// places' alarms or the people they name (docs/api.md, "Answer").
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../core/scenario_site.hpp"
#include "portcullis/json/device_answer_json.hpp"
#include "portcullis/ledger/records/device_event_record.hpp"

namespace portcullis::json {
namespace {
using nlohmann::json;

TEST(DeviceAnswer, DeviceAnswerCarriesSilentAlarms) {
  core::Outcome outcome;
  core::Decision d;
  d.verdict = core::Verdict::Grant;
  d.reason = core::Reason::Granted;
  d.person = core::PersonId{"ada"};
  d.portal = core::PortalId{"front"};
  d.destination = core::ZoneId{"lobby"};
  outcome.decision = d;
  outcome.alarms = {{"lone_person", core::Severity::High, "cage", "bob alone in cage", false},
                    {"duress", core::Severity::Critical, "ada", "duress PIN at front", true}};
  const auto stored = outcome_json(outcome);  // what the chain keeps: everything
  ASSERT_NE(stored.find("duress"), std::string::npos);
  const auto model = core::testing::build_or_throw(core::testing::scenario_site_definition());
  const auto answer = device_answer_outcome_json(stored, model.get());
  EXPECT_EQ(answer.find("duress"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("alarms"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("ada"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("bob"), std::string::npos) << answer;
  const auto j = json::parse(answer);
  EXPECT_EQ(j, json::parse(R"({"decision":{"verdict":"grant","reason":"granted"},
                               "door":{"action":"unlock","portal":"front","unlock_s":5}})"));
}

TEST(DeviceAnswer, ADenialOrAPendingAttemptHasNoDoorAction) {
  core::Outcome outcome;
  core::Decision d;
  d.verdict = core::Verdict::Pending;
  d.reason = core::Reason::MissingFactor;
  d.needed = core::Factor::Pin;
  d.person = core::PersonId{"ada"};
  d.portal = core::PortalId{"front"};
  outcome.decision = d;
  EXPECT_EQ(json::parse(device_answer_outcome_json(outcome_json(outcome), nullptr)),
            json::parse(R"({"decision":{"verdict":"pending","reason":"missing_factor","needed":"pin"}})"));
  core::Outcome tick;  // no decision (a door contact, a heartbeat), with alarms due
  tick.alarms = {{"door_held", core::Severity::Medium, "cage-door", "", false}};
  EXPECT_EQ(device_answer_outcome_json(outcome_json(tick), nullptr), R"({"decision":null})");
}

}  // namespace
}  // namespace portcullis::json
