// Type and shape errors name their JSON path; limits are enforced; a bad file never yields a model.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "portcullis/site_file/site_file.hpp"

namespace portcullis::site_file {
namespace {

const char* kMinimal = R"({
  "format": "portcullis-site/1", "site_id": "s", "version": "1",
  "time_zone": {"utc_offset": "+00:00"},
  "tiers": [{"tier": 0, "any_of": [["badge"]]}],
  "zones": [{"id": "out", "parent": null, "tier": 0}, {"id": "in", "parent": "out", "tier": 0}],
  "portals": [{"id": "p", "from": "out", "to": "in", "readers": [{"id": "r", "side": "entry", "reads": ["badge"]}]}]
})";

std::string first(const ParseResult& r) {
  return r.problems.empty() ? "" : r.problems.front().json_path + ": " + r.problems.front().message;
}

TEST(ShapeErrors, MinimalSiteIsValid) {
  const auto r = parse_site_json(kMinimal);
  EXPECT_TRUE(r.problems.empty()) << first(r);
  EXPECT_TRUE(load_site_text(kMinimal).model);
}

TEST(ShapeErrors, NotJson) {
  const auto r = parse_site_json("{\"zones\": [");
  ASSERT_EQ(r.problems.size(), 1U);
  EXPECT_EQ(r.problems[0].json_path, "$");
  EXPECT_NE(r.problems[0].message.find("invalid JSON"), std::string::npos);
}

TEST(ShapeErrors, RootMustBeAnObject) {
  EXPECT_EQ(first(parse_site_json("[]")), "$: expected object, found array");
}

struct ShapeCase {
  const char* from;
  const char* to;
  const char* expected;
};

class Shapes : public ::testing::TestWithParam<ShapeCase> {};

TEST_P(Shapes, ReportThePath) {
  std::string text = kMinimal;
  const auto pos = text.find(GetParam().from);
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, std::string{GetParam().from}.size(), GetParam().to);
  const auto r = parse_site_json(text);
  EXPECT_EQ(first(r), GetParam().expected);
  EXPECT_FALSE(load_site_text(text).model);
}

INSTANTIATE_TEST_SUITE_P(
    Site, Shapes,
    ::testing::Values(
        ShapeCase{R"("id": "in", "parent": "out", "tier": 0)", R"("id": "in", "parent": "out", "tier": "0")",
                  "$.zones[1].tier: expected integer, found string"},
        ShapeCase{R"("tier": 0, "any_of")", R"("tier": 12, "any_of")", "$.tiers[0].tier: must be 0..9"},
        ShapeCase{R"("reads": ["badge"])", R"("reads": ["badge", "retina"])",
                  "$.portals[0].readers[0].reads: unknown reader capability \"retina\""},
        ShapeCase{R"("side": "entry")", R"("side": "inwards")",
                  "$.portals[0].readers[0].side: unknown value \"inwards\" (expected one of: entry, exit)"},
        ShapeCase{R"("version": "1",)", "", "$.version: missing required field"},
        ShapeCase{R"("utc_offset": "+00:00")", R"("utc_offset": "CET")",
                  "$.time_zone.utc_offset: expected +hh:mm or -hh:mm"},
        ShapeCase{R"("portals": [)", R"("portal": [)", "$.portal: unknown field"},
        ShapeCase{R"("format": "portcullis-site/1")", R"("format": "portcullis-site/9")",
                  "$.format: unsupported format \"portcullis-site/9\" (expected \"portcullis-site/1\")"},
        ShapeCase{R"("zones": [)", R"("zones": 5, "z": [)", "$.zones: expected array, found integer"}));

TEST(Limits, FileSizeAndCounts) {
  Limits small;
  small.max_file_bytes = 100;
  EXPECT_EQ(first(parse_site_json(kMinimal, small)).rfind("$: site file larger than 100 bytes", 0), 0U);
  Limits few;
  few.max_zones = 1;
  EXPECT_EQ(first(parse_site_json(kMinimal, few)), "$.zones: more than 1 elements");
}

TEST(CheckSite, MissingFileIsAProblemNotAnException) {
  const auto report = check_site_file("/nonexistent/site.json");
  EXPECT_FALSE(report.ok);
  ASSERT_EQ(report.problems.size(), 1U);
  EXPECT_NE(report.summary.find("REJECTED"), std::string::npos);
}

}  // namespace
}  // namespace portcullis::site_file

namespace portcullis::site_file {
namespace {

TEST(CheckSite, SummaryNamesFilePathAndEveryProblem) {
  const auto path = std::filesystem::temp_directory_path() / "portcullis-broken.site.json";
  {
    std::ofstream out(path);
    std::string text = kMinimal;
    const std::string from = R"("id": "in", "parent": "out", "tier": 0)";
    text.replace(text.find(from), from.size(), R"("id": "in", "parent": "nope", "tier": true)");
    out << text;
  }
  const auto report = check_site_file(path);
  std::filesystem::remove(path);
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.summary.find(path.string() + ": $.zones[1].tier: expected integer, found boolean\n"),
            std::string::npos)
      << report.summary;
  EXPECT_NE(report.summary.find(path.string() + ": $.zones[1].parent: unknown zone \"nope\"\n"),
            std::string::npos)
      << report.summary;
  EXPECT_NE(report.summary.find("REJECTED: 2 problem(s)"), std::string::npos) << report.summary;
}

}  // namespace
}  // namespace portcullis::site_file

namespace portcullis::site_file {
namespace {

// Fields of the mantrap and two-person policy: two-person rules, door timings, heartbeats, lone-person policy.
TEST(Issue4Fields, ParsedAndValidatedWithPaths) {
  auto j = nlohmann::json::parse(kMinimal);
  j["settings"] = {
      {"lone_person_policy", "deny_exit"}, {"lone_person_grace_s", 45}, {"contact_debounce_ms", 100}};
  j["zones"][1]["min_occupancy"] = 2;
  j["zones"][1]["two_person_rule"] = {{"mode", "ordered"}, {"first_group", "sups"}, {"window_s", 20}};
  j["groups"] = nlohmann::json::array({{{"id", "sups"}, {"members", nlohmann::json::array()}}});
  j["portals"][0]["unlock_s"] = 7;
  j["portals"][0]["fail_safe"] = true;
  j["devices"] = nlohmann::json::array({{{"id", "d"},
                                         {"kind", "door_controller"},
                                         {"token_sha256", std::string(64, 'a')},
                                         {"heartbeat_s", 90}}});
  const auto ok = parse_site_json(j.dump());
  ASSERT_TRUE(ok.problems.empty()) << first(ok);
  const core::SiteDefinition& d = ok.definition;
  EXPECT_EQ(d.settings.lone_person_policy, core::LonePersonPolicy::DenyExit);
  EXPECT_EQ(d.settings.lone_person_grace_s, 45);
  EXPECT_EQ(d.settings.contact_debounce_ms, 100);
  EXPECT_EQ(d.two_person_rules.at(0).zone, core::ZoneId{"in"});
  EXPECT_EQ(d.two_person_rules.at(0).mode, core::TwoPersonMode::Ordered);
  EXPECT_EQ(d.two_person_rules.at(0).first_group, core::GroupId{"sups"});
  EXPECT_EQ(d.two_person_rules.at(0).window_s, 20);
  EXPECT_EQ(d.portals[0].unlock_s, 7);
  EXPECT_TRUE(d.portals[0].fail_safe);
  EXPECT_EQ(d.devices[0].heartbeat_s, 90);
  EXPECT_TRUE(load_site_text(j.dump()).model);
  EXPECT_EQ(write_site_json(parse_site_json(write_site_json(d)).definition), write_site_json(d));

  j["zones"][1]["two_person_rule"] = {{"mode", "ordered"}, {"first_group", "nobody"}};
  EXPECT_EQ(first(parse_site_json(j.dump())),
            "$.zones[1].two_person_rule.first_group: unknown group \"nobody\"");
  j["zones"][1]["two_person_rule"] = {{"mode", "sideways"}};
  EXPECT_EQ(
      first(parse_site_json(j.dump())),
      "$.zones[1].two_person_rule.mode: unknown value \"sideways\" (expected one of: any_order, ordered)");
  j["zones"][1]["two_person_rule"] = {{"mode", "ordered"}};
  EXPECT_EQ(
      first(parse_site_json(j.dump())),
      "$.zones[1].two_person_rule.first_group: ordered two-person entry needs the group that goes first");
}

}  // namespace
}  // namespace portcullis::site_file
