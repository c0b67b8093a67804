// Short labels on zones, portals, racks and mantraps, and per-alarm-kind response instructions: read, checked
// with their JSON path, written back only when present (a site without them keeps its exact shape), and
// handed to consoles by the site summary (GET /api/v1/site).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "portcullis/json/operator_json.hpp"
#include "portcullis/site_file/site_file.hpp"

namespace portcullis::site_file {
namespace {

using nlohmann::json;

json minimal() {
  return json::parse(R"({
  "format": "portcullis-site/1", "site_id": "s", "version": "1",
  "time_zone": {"utc_offset": "+00:00"},
  "tiers": [{"tier": 0, "any_of": [["badge"]]}],
  "zones": [{"id": "out", "parent": null, "tier": 0},
            {"id": "vest", "name": "Hall mantrap vestibule", "parent": "out", "tier": 0},
            {"id": "in", "name": "Hall", "parent": "vest", "tier": 0}],
  "portals": [{"id": "outer", "name": "Hall mantrap, outer door", "from": "out", "to": "vest",
               "readers": [{"id": "r1", "side": "entry", "reads": ["badge"]}]},
              {"id": "inner", "name": "Hall mantrap, inner door", "from": "vest", "to": "in",
               "readers": [{"id": "r2", "side": "entry", "reads": ["badge"]}]}],
  "mantraps": [{"id": "mt", "vestibule": "vest", "portals": ["outer", "inner"]}],
  "racks": [{"id": "rack-a", "name": "Training rack A01", "zone": "in", "tier": 0}]
})");
}

std::string problems_of(const ParseResult& r) {
  std::string s;
  for (const auto& p : r.problems) s += p.json_path + ": " + p.message + "\n";
  return s;
}

TEST(SiteLabels, AreReadFromZonesPortalsRacksAndMantraps) {
  auto site = minimal();
  site["zones"][1]["label"] = "Vestibule";
  site["portals"][0]["label"] = "Outer door";
  site["portals"][1]["label"] = "Inner door";
  site["racks"][0]["label"] = "A01";
  site["mantraps"][0]["label"] = "Hall mantrap";
  const auto r = parse_site_json(site.dump());
  ASSERT_TRUE(r.problems.empty()) << problems_of(r);
  EXPECT_EQ(r.definition.zones[1].label, "Vestibule");
  EXPECT_EQ(r.definition.zones[0].label, "");
  EXPECT_EQ(r.definition.portals[0].label, "Outer door");
  EXPECT_EQ(r.definition.portals[1].label, "Inner door");
  EXPECT_EQ(r.definition.racks[0].label, "A01");
  EXPECT_EQ(r.definition.mantraps[0].label, "Hall mantrap");
  // Written back and read again unchanged.
  const auto again = parse_site_json(write_site_json(r.definition));
  ASSERT_TRUE(again.problems.empty()) << problems_of(again);
  EXPECT_TRUE(again.definition == r.definition);
}

TEST(SiteLabels, ATooLongOrWrongTypedLabelNamesItsPath) {
  auto site = minimal();
  site["portals"][1]["label"] = std::string(41, 'x');
  site["racks"][0]["label"] = 7;
  const auto r = parse_site_json(site.dump());
  ASSERT_EQ(r.problems.size(), 2U) << problems_of(r);
  EXPECT_EQ(r.problems[0].json_path, "$.portals[1].label");
  EXPECT_NE(r.problems[0].message.find("at most 40"), std::string::npos);
  EXPECT_EQ(r.problems[1].json_path, "$.racks[0].label");
}

TEST(SiteLabels, ASiteWithoutThemIsWrittenWithoutThem) {
  const auto r = parse_site_json(minimal().dump());
  ASSERT_TRUE(r.problems.empty()) << problems_of(r);
  const auto written = write_site_json(r.definition);
  EXPECT_EQ(written.find("\"label\""), std::string::npos);
  EXPECT_EQ(written.find("alarm_responses"), std::string::npos);
}

TEST(AlarmResponses, AreReadPerKindAndRoundTrip) {
  auto site = minimal();
  site["alarm_responses"] = json::array(
      {{{"kind", "door_forced"}, {"response", "Send the nearest guard; check the camera first."}},
       {{"kind", "asset_missing"}, {"response", "Call the duty engineer and hold the exits."}}});
  const auto r = parse_site_json(site.dump());
  ASSERT_TRUE(r.problems.empty()) << problems_of(r);
  ASSERT_EQ(r.definition.alarm_responses.size(), 2U);
  EXPECT_EQ(r.definition.alarm_responses[0].kind, "door_forced");
  EXPECT_EQ(r.definition.alarm_responses[1].response, "Call the duty engineer and hold the exits.");
  const auto again = parse_site_json(write_site_json(r.definition));
  ASSERT_TRUE(again.problems.empty()) << problems_of(again);
  EXPECT_TRUE(again.definition == r.definition);
}

TEST(AlarmResponses, BadEntriesNameTheirPath) {
  auto site = minimal();
  site["alarm_responses"] = json::array({{{"kind", "door_forced"}, {"response", "a"}},
                                         {{"kind", "door_forced"}, {"response", "b"}},
                                         {{"kind", "Door Forced"}, {"response", "c"}},
                                         {{"kind", "door_held"}},
                                         {{"kind", "tamper"}, {"response", "d"}, {"reponse", "typo"}}});
  const auto r = parse_site_json(site.dump());
  const auto text = problems_of(r);
  EXPECT_NE(text.find("$.alarm_responses[1].kind: a second response for \"door_forced\""), std::string::npos)
      << text;
  EXPECT_NE(text.find("$.alarm_responses[2].kind"), std::string::npos) << text;
  EXPECT_NE(text.find("$.alarm_responses[3].response"), std::string::npos) << text;
  EXPECT_NE(text.find("$.alarm_responses[4].reponse"), std::string::npos) << text;
}

TEST(SiteSummary, CarriesLabelsResponsesAndSealsForConsoles) {
  auto site = minimal();
  site["portals"][0]["label"] = "Outer door";
  site["racks"][0]["label"] = "A01";
  site["mantraps"][0]["label"] = "Hall mantrap";
  site["alarm_responses"] = json::array({{{"kind", "door_forced"}, {"response", "Go and look."}}});
  const auto summary = json::parse(::portcullis::json::site_summary_json(site.dump()));
  EXPECT_EQ(summary["portals"][0]["label"], "Outer door");
  EXPECT_FALSE(summary["portals"][1].contains("label"));
  EXPECT_EQ(summary["racks"][0]["label"], "A01");
  EXPECT_EQ(summary["racks"][0]["tier"], 0);
  EXPECT_EQ(summary["mantraps"][0]["label"], "Hall mantrap");
  EXPECT_EQ(summary["alarm_responses"][0]["kind"], "door_forced");
  EXPECT_EQ(summary["alarm_responses"][0]["response"], "Go and look.");
  EXPECT_TRUE(summary["seals"].is_array());
}

}  // namespace
}  // namespace portcullis::site_file
