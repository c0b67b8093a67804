// The shipped day scenario against the real policy: every step goes through the device API's JSON parser and
// the core engine loaded with examples/datacenter.site.json (with PBKDF2 PIN checks), and every "expect" must
// hold at any hour (the checked steps must not depend on the server's clock) and in every --loop round.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "crypto/pin_hash.hpp"
#include "portcullis/core/engine.hpp"
#include "portcullis/json/device_event_json.hpp"
#include "portcullis/ledger/records/device_event_record.hpp"
#include "portcullis/sim/scenario.hpp"
#include "portcullis/site_file/site_file.hpp"

namespace portcullis::sim {
namespace {
using namespace std::chrono_literals;

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Played {
  std::vector<std::string> failures;
  std::vector<std::string> outcomes;  // per step of the last round, summarize_outcome
  std::size_t checked = 0;
};

// Plays `rounds` rounds of the scenario through one engine, starting at `start` (UTC).
Played play(const Scenario& s, core::Timestamp start, int rounds) {
  auto loaded = site_file::load_site_file(PORTCULLIS_EXAMPLE_SITE);
  EXPECT_TRUE(loaded.model);
  core::Engine engine{loaded.model, std::make_shared<crypto::Pbkdf2PinVerifier>()};
  Played out;
  std::int64_t seq = 1;
  const auto timeline = build_timeline(s);
  for (int round = 0; round < rounds; ++round) {
    out.outcomes.assign(s.steps.size(), "");
    for (const auto& entry : timeline) {
      const Step& step = s.steps[entry.step];
      const auto now = start + std::chrono::milliseconds{round * round_length_ms(s) + step.at_ms};
      const auto body = event_body(step.device, seq++,
                                   std::chrono::system_clock::time_point{now.time_since_epoch()}, step.event);
      auto parsed = json::parse_event_request(body);
      if (auto* error = std::get_if<json::FieldError>(&parsed)) {
        out.failures.push_back("step " + std::to_string(step.index) +
                               ": the server would refuse it: " + error->field + " " + error->message);
        continue;
      }
      auto event = std::get<json::EventRequest>(parsed).events.at(0);
      event.received_at = now;
      const auto outcome = nlohmann::json::parse(json::outcome_json(engine.apply(event, now)));
      out.outcomes[entry.step] = summarize_outcome(outcome);
      if (step.expect.empty()) continue;
      ++out.checked;
      for (const auto& p : check_outcome(step.expect, outcome)) {
        out.failures.push_back("round " + std::to_string(round + 1) + " step " + std::to_string(step.index) +
                               " (" + describe_event(step.event) + "): " + p);
      }
    }
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

class DayScenario : public ::testing::Test {
 protected:
  void SetUp() override {
    scenario = parse_scenario(read(PORTCULLIS_SCENARIO_DIR "/day-in-a-datacenter.json"));
  }
  static core::Timestamp utc(int y, unsigned m, unsigned d, int h) {
    return core::Timestamp{std::chrono::sys_days{std::chrono::year{y} / m / d} + std::chrono::hours{h}};
  }
  Scenario scenario;
};

TEST_F(DayScenario, ParsesAndCoversTheStory) {
  EXPECT_EQ(scenario.devices.size(), 6U);
  std::set<std::string> types;
  std::size_t heartbeats = 0, checked = 0;
  for (const auto& st : scenario.steps) {
    types.insert(st.event["type"].get<std::string>());
    heartbeats += st.event["type"] == "heartbeat";
    checked += !st.expect.empty();
  }
  EXPECT_EQ(heartbeats, scenario.devices.size());
  for (const char* t :
       {"credential", "pin", "biometric", "door_contact", "occupancy", "rfid_read", "heartbeat"}) {
    EXPECT_TRUE(types.contains(t)) << t;
  }
  EXPECT_GE(checked, 40U);
}

// Every reader, portal and mantrap a step names is in the site, on the device that reports it (the server may
// bind readers to devices), and every scenario device is a device of the site.
TEST_F(DayScenario, DevicesReadersAndPortalsMatchTheSite) {
  const auto site = nlohmann::json::parse(read(PORTCULLIS_EXAMPLE_SITE));
  std::map<std::string, std::set<std::string>> readers, portals;  // device -> ids it serves
  for (const auto& d : site["devices"]) {
    readers[d["id"].get<std::string>()];  // a device without readers (RFID portal) is still a site device
    for (const auto& r : d["readers"]) readers[d["id"]].insert(r.get<std::string>());
    for (const auto& p : d["portals"]) portals[d["id"]].insert(p.get<std::string>());
  }
  std::set<std::string> mantraps;
  for (const auto& m : site["mantraps"]) mantraps.insert(m["id"].get<std::string>());
  for (const auto& d : scenario.devices)
    EXPECT_TRUE(readers.contains(d.id)) << d.id << " is not a site device";
  for (const auto& st : scenario.steps) {
    const auto& e = st.event;
    const auto type = e["type"].get<std::string>();
    if (e.contains("reader") && type != "rfid_read") {
      EXPECT_TRUE(readers[st.device].contains(e["reader"].get<std::string>()))
          << "step " << st.index << ": " << st.device << " does not serve " << e["reader"];
    }
    if (e.contains("portal")) {
      bool known = false;
      for (const auto& p : site["portals"]) known = known || p["id"] == e["portal"];
      EXPECT_TRUE(known) << "step " << st.index << ": unknown portal " << e["portal"];
    }
    if (e.contains("mantrap")) {
      EXPECT_TRUE(mantraps.contains(e["mantrap"].get<std::string>())) << st.index;
    }
  }
}

// Tuesday 2026-12-01 10:00 in Amsterdam: business hours, during the visitor's visit. Two rounds (--loop).
TEST_F(DayScenario, ExpectationsHoldOnAWeekdayMorning) {
  const auto played = play(scenario, utc(2026, 12, 1, 9), 2);
  EXPECT_TRUE(played.failures.empty()) << joined(played.failures);
  EXPECT_GE(played.checked, 80U);
  // The unchecked, clock-dependent steps do what the story says during business hours.
  for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
    const auto& e = scenario.steps[i].event;
    if (e["type"] == "pin") {
      EXPECT_EQ(played.outcomes[i], "grant/granted") << "Alice's badge + PIN";
    }
    if (e["type"] == "credential" && e["card"]["facility"] == 1200 && e["reader"] == "rdr-office-in") {
      EXPECT_EQ(played.outcomes[i], "grant/granted") << "the escorted visitor";
    }
  }
}

// The same checks at night, on a weekend and on the day this was written (before the visit): nothing that is
// checked may depend on the server's clock.
TEST_F(DayScenario, ExpectationsDoNotDependOnTheClock) {
  for (const auto start :
       {utc(2026, 11, 29, 2) /* Sunday 03:00 local */, utc(2026, 11, 27, 20) /* Fri 21:00 */,
        utc(2026, 12, 25, 11) /* holiday */, utc(2027, 1, 5, 23) /* 00:00 local */}) {
    const auto played = play(scenario, start, 3);
    EXPECT_TRUE(played.failures.empty()) << joined(played.failures);
  }
}

}  // namespace
}  // namespace portcullis::sim
