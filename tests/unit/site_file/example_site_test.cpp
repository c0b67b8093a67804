// The example data center validates, loads and decides as documented; a broken copy is rejected with the
// JSON paths of its errors and yields no model.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "crypto/pin_hash.hpp"
#include "portcullis/core/engine.hpp"
#include "portcullis/site_file/site_file.hpp"

namespace portcullis::site_file {
namespace {
using namespace std::chrono_literals;
using core::Timestamp;

std::string example_text() {
  std::ifstream in(PORTCULLIS_EXAMPLE_SITE);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string dump(const core::Problems& problems) {
  std::string s;
  for (const auto& p : problems) s += p.json_path + ": " + p.message + "\n";
  return s;
}

bool has_path(const core::Problems& problems, const std::string& path) {
  for (const auto& p : problems) {
    if (p.json_path == path) return true;
  }
  return false;
}

TEST(ExampleSite, ValidatesAndLoads) {
  const LoadResult loaded = load_site_file(PORTCULLIS_EXAMPLE_SITE);
  ASSERT_TRUE(loaded.model) << dump(loaded.problems);
  EXPECT_EQ(loaded.model->site_id(), "ams-dc1");
  EXPECT_EQ(loaded.model->version(), "2026-11-27.1");
  EXPECT_EQ(loaded.model->person_count(), 12U);
}

TEST(ExampleSite, CheckSiteReportsOk) {
  const SiteCheckReport report = check_site_file(PORTCULLIS_EXAMPLE_SITE);
  EXPECT_TRUE(report.ok) << report.summary;
  EXPECT_NE(report.summary.find("OK: site \"ams-dc1\""), std::string::npos) << report.summary;
}

TEST(ExampleSite, BrokenCopyIsRejectedWithEveryPath) {
  auto j = nlohmann::json::parse(example_text());
  j["zones"][3]["tier"] = "high";                // type error
  j["zones"][5]["parent"] = "nowhere";           // unknown zone
  j["portals"][1]["to"] = "reception";           // joins reception to itself
  j["people"][1]["cards"][0]["number"] = 10001;  // duplicate of alice's badge
  j["people"][1]["cards"][0].erase("raw_bits");
  j["grants"][0]["schedule"] = "weekends";             // unknown schedule
  j["groups"][0]["members"].push_back("zoe-unknown");  // unknown person
  j["tiers"][2]["any_of"] = nlohmann::json::array();   // tier without requirements
  j["zones"][0]["colour"] = "blue";                    // unknown field
  j["zones"].push_back({{"id", "loop-a"}, {"parent", "loop-b"}, {"tier", 1}});
  j["zones"].push_back({{"id", "loop-b"}, {"parent", "loop-a"}, {"tier", 1}});
  const ParseResult parsed = parse_site_json(j.dump());
  const std::string all = dump(parsed.problems);
  EXPECT_TRUE(has_path(parsed.problems, "$.zones[3].tier")) << all;
  EXPECT_TRUE(has_path(parsed.problems, "$.zones[5].parent")) << all;
  EXPECT_TRUE(has_path(parsed.problems, "$.portals[1].to")) << all;
  EXPECT_TRUE(has_path(parsed.problems, "$.people[1].cards[0]")) << all;
  EXPECT_TRUE(has_path(parsed.problems, "$.grants[0].schedule")) << all;
  EXPECT_TRUE(has_path(parsed.problems, "$.groups[0].members[10]")) << all;
  EXPECT_TRUE(has_path(parsed.problems, "$.tiers[2].any_of")) << all;
  EXPECT_TRUE(has_path(parsed.problems, "$.zones[0].colour")) << all;
  EXPECT_TRUE(has_path(parsed.problems, "$.zones[7].parent")) << all;
  EXPECT_NE(all.find("$.zones[3].tier: expected integer, found string"), std::string::npos) << all;
  EXPECT_FALSE(load_site_text(j.dump()).model);
}

class ExampleDecisions : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = load_site_file(PORTCULLIS_EXAMPLE_SITE);
    ASSERT_TRUE(loaded.model);
    engine = std::make_unique<core::Engine>(loaded.model, std::make_shared<crypto::Pbkdf2PinVerifier>());
    // The mantrap controller reports its doors closed as it comes up: without a contact state the interlock
    // fails closed.
    report(core::DoorContact{core::PortalId{"mantrap-outer"}, core::RackId{}, core::ContactState::Closed});
    report(core::DoorContact{core::PortalId{"mantrap-inner"}, core::RackId{}, core::ContactState::Closed});
  }
  // The device of the example site that lists the reader (device binding is always on).
  core::DeviceId device_of(const core::ReaderId& reader) const {
    const auto& model = engine->model();
    const core::Index r = model.reader_index(reader);
    for (std::size_t i = 0; i < model.device_count(); ++i) {
      const auto& readers = model.device(static_cast<core::Index>(i)).readers;
      if (std::find(readers.begin(), readers.end(), r) != readers.end())
        return model.device(static_cast<core::Index>(i)).id;
    }
    return core::DeviceId{"ctl-mantrap"};
  }
  std::string at(core::DevicePayload payload) {
    t += 2s;
    core::DeviceEvent e;
    e.device = std::visit(
        [&](const auto& p) {
          if constexpr (requires { p.reader; }) {
            return device_of(p.reader);
          } else {
            return core::DeviceId{"ctl-mantrap"};
          }
        },
        payload);
    e.payload = std::move(payload);
    last = engine->apply(e, t);
    std::string s{core::to_string(last.decision->verdict)};
    s += "/";
    s += core::to_string(last.decision->reason);
    return s;
  }
  // A device report without a decision (sensor, contact): returns the alarm kinds it raised.
  std::string report(core::DevicePayload payload) {
    t += 2s;
    core::DeviceEvent e;
    e.device = core::DeviceId{"ctl-mantrap"};
    e.payload = std::move(payload);
    last = engine->apply(e, t);
    std::string kinds;
    for (const auto& a : last.alarms) kinds += (kinds.empty() ? "" : ",") + a.kind;
    return kinds;
  }
  static core::OccupancyReport vestibule(std::uint32_t count) {
    return core::OccupancyReport{core::MantrapId{"mt-hall"}, count};
  }
  static core::BiometricMatch finger(const char* reader, const char* tpl) {
    return core::BiometricMatch{core::ReaderId{reader}, tpl, 91, true};
  }
  static core::CardPresented badge(const char* reader, std::uint64_t number, std::uint32_t facility = 42) {
    return core::CardPresented{core::ReaderId{reader},
                               core::Card{core::CardFormat::H10301_26, facility, number, ""}};
  }
  static core::PinEntered pin(const char* reader, const char* digits) {
    return core::PinEntered{core::ReaderId{reader}, digits, std::nullopt, core::PersonId{}};
  }
  std::unique_ptr<core::Engine> engine;
  // Tuesday 2026-12-01 10:00 in Amsterdam (UTC+1).
  Timestamp t = Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + 9h};
  core::Outcome last;
};

TEST_F(ExampleDecisions, EngineerWalksToTheComputeHallWithHerPin) {
  EXPECT_EQ(at(badge("rdr-lobby-in", 10001)), "grant/granted");
  EXPECT_EQ(at(badge("rdr-office-in", 10001)), "grant/granted");
  EXPECT_EQ(at(badge("rdr-mantrap-outer-in", 10001)), "grant/granted");
  // The outer door is still released for her (5 s): her own release does not block the inner door.
  EXPECT_EQ(at(badge("rdr-hall-in", 10001)), "pending/missing_factor");
  EXPECT_EQ(at(pin("rdr-hall-in", "482916")), "grant/granted");
  EXPECT_EQ(last.pin_verdict, core::PinVerdict::Match);
}

TEST_F(ExampleDecisions, SupervisorThenCustodianOpenTheTwoPersonCage) {
  // Dana (supervisor, custodian) and Chen (custodian) walk in through the mantrap one at a time.
  for (const auto& [number, tpl] : {std::pair{10004, "tpl-dana-kowalski"}, std::pair{10003, "tpl-chen-li"}}) {
    EXPECT_EQ(at(badge("rdr-lobby-in", number)), "grant/granted");
    EXPECT_EQ(at(badge("rdr-office-in", number)), "grant/granted");
    EXPECT_EQ(at(badge("rdr-mantrap-outer-in", number)), "grant/granted");
    EXPECT_EQ(report(vestibule(1)), "");
    EXPECT_EQ(at(badge("rdr-hall-in", number)), "pending/missing_factor");
    EXPECT_EQ(at(finger("bio-hall-in", tpl)), "grant/granted");
    EXPECT_EQ(report(vestibule(0)), "");
  }
  // Ordered cage: a custodian who is not a supervisor cannot go first.
  EXPECT_EQ(at(badge("rdr-cage-in", 10003)), "pending/missing_factor");
  EXPECT_EQ(at(finger("bio-cage-in", "tpl-chen-li")), "deny/two_person_order");
  EXPECT_EQ(at(badge("rdr-cage-in", 10004)), "pending/missing_factor");
  EXPECT_EQ(at(finger("bio-cage-in", "tpl-dana-kowalski")), "pending/second_person_pending");
  EXPECT_EQ(at(badge("rdr-cage-in", 10003)), "pending/missing_factor");
  EXPECT_EQ(at(finger("bio-cage-in", "tpl-chen-li")), "grant/granted");
  ASSERT_TRUE(last.first_person);
  EXPECT_EQ(last.first_person->person.str(), "dana-kowalski");
  EXPECT_EQ(engine->state().occupancy.at(core::ZoneId{"weights-cage"}), 2U);
}

TEST_F(ExampleDecisions, TerminatedVisitorAndPendingClearance) {
  EXPECT_EQ(at(badge("rdr-lobby-in", 10012)), "deny/credential_revoked");
  EXPECT_EQ(at(badge("rdr-lobby-in", 7, 1200)), "grant/granted");  // visitor, H10304, during the visit
  EXPECT_EQ(at(badge("rdr-office-in", 10009)), "grant/granted");
  EXPECT_EQ(at(badge("rdr-mantrap-outer-in", 10009)), "deny/no_grant");
  EXPECT_EQ(at(badge("rdr-hall-in", 10010)), "deny/clearance_expired");
}

}  // namespace
}  // namespace portcullis::site_file

namespace portcullis::site_file {
namespace {

TEST(WriteSite, RoundTripsTheExample) {
  const ParseResult first = parse_site_json(example_text());
  ASSERT_TRUE(first.problems.empty());
  const std::string written = write_site_json(first.definition);
  const ParseResult second = parse_site_json(written);
  EXPECT_TRUE(second.problems.empty()) << dump(second.problems);
  EXPECT_TRUE(second.definition == first.definition);
  EXPECT_EQ(write_site_json(second.definition), written);  // stable output
}

TEST(WriteSite, AnAdminChangeIsANewSiteVersion) {
  ParseResult parsed = parse_site_json(example_text());
  core::PersonDef newcomer;
  newcomer.id = core::PersonId{"mia-jensen"};
  newcomer.name = "Mia Jensen";
  newcomer.cards = {core::CardDef{core::CredentialId{"mia-jensen-badge"}, core::CardFormat::H10301_26, 42,
                                  10013, "", false}};
  parsed.definition.people.push_back(newcomer);
  parsed.definition.groups[0].members.push_back(newcomer.id);
  parsed.definition.version = "2026-11-27.2";
  const LoadResult loaded = load_site_text(write_site_json(parsed.definition));
  ASSERT_TRUE(loaded.model) << dump(loaded.problems);
  EXPECT_EQ(loaded.model->version(), "2026-11-27.2");
  EXPECT_NE(loaded.model->card_credential(42, 10013), core::kNoIndex);
}

}  // namespace
}  // namespace portcullis::site_file

namespace portcullis::site_file {
namespace {

// The demo PINs docs/site-file.md lists must open the example site's hashes (a reader follows the docs).
TEST(ExamplePins, TheDemoPinsInTheDocsMatchTheExampleSite) {
  const std::string site_path = PORTCULLIS_EXAMPLE_SITE;
  std::ifstream docs_file(site_path.substr(0, site_path.rfind("/examples/")) + "/docs/site-file.md");
  std::stringstream docs;
  docs << docs_file.rdbuf();
  const std::string text = docs.str();
  const auto start = text.find("Example PINs (demo only):");
  ASSERT_NE(start, std::string::npos);
  const std::string line = text.substr(start, text.find("\n\n", start) - start);
  auto loaded = load_site_file(site_path);
  ASSERT_TRUE(loaded.model);
  const crypto::Pbkdf2PinVerifier verifier;
  int checked = 0;
  const std::regex entry{R"(([A-Z][a-z]+) (\d{6})(\s+\(duress\s+(\d{6})\))?)"};
  for (std::sregex_iterator it{line.begin(), line.end(), entry}, end; it != end; ++it) {
    const std::string first_name = (*it)[1];
    const core::PersonNode* person = nullptr;
    for (std::size_t i = 0; i < loaded.model->person_count(); ++i) {
      const auto& p = loaded.model->person(static_cast<core::Index>(i));
      if (p.name.rfind(first_name + " ", 0) == 0) person = &p;
    }
    ASSERT_NE(person, nullptr) << first_name;
    EXPECT_EQ(verifier.verify(person->pin_hash, (*it)[2].str()), core::PinMatch::Match) << first_name;
    if ((*it)[4].matched) {
      EXPECT_EQ(verifier.verify(person->duress_pin_hash, (*it)[4].str()), core::PinMatch::Match)
          << first_name;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 6);
}

}  // namespace
}  // namespace portcullis::site_file

namespace portcullis::site_file {
namespace {

// check-site explains what no device may speak for: the JSON path and what to add.
TEST(CheckSite, ExplainsAVestibuleAReaderAndZonesNoDeviceSpeaksFor) {
  auto j = nlohmann::json::parse(example_text());
  for (auto& device : j["devices"]) {
    if (device["id"] == "ctl-mantrap") {
      device.erase("mantraps");
      device["readers"].erase(0);  // rdr-mantrap-outer-in
    }
  }
  auto& devices = j["devices"];
  for (std::size_t i = 0; i < devices.size(); ++i) {
    if (devices[i]["kind"] == "fire_panel") {
      devices.erase(i);
      break;
    }
  }
  const auto path = std::filesystem::temp_directory_path() / "portcullis-unbound.site.json";
  {
    std::ofstream out(path);
    out << j.dump(2);
  }
  const auto report = check_site_file(path);
  std::filesystem::remove(path);
  EXPECT_FALSE(report.ok);
  EXPECT_NE(
      report.summary.find(": $.mantraps[0]: no device reports the occupancy of mantrap \"mt-hall\": add it "
                          "to the \"mantraps\" of its door controller or occupancy sensor"),
      std::string::npos)
      << report.summary;
  EXPECT_NE(report.summary.find("no device lists reader \"rdr-mantrap-outer-in\": add it to the \"readers\""),
            std::string::npos)
      << report.summary;
  EXPECT_NE(
      report.summary.find(": $.zones[0]: 7 zone(s) have no fire panel covering them: add a device of kind "
                          "\"fire_panel\" with \"zones\": [\"public\"]"),
      std::string::npos)
      << report.summary;
  EXPECT_TRUE(load_site_text(j.dump()).model) << "the server still loads it; those events are refused";
}

}  // namespace
}  // namespace portcullis::site_file
