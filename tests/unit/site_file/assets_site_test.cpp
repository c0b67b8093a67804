// Assets in the site file: assets, seals, area RFID readers and "rfid" reader capability parse, validate
// with JSON paths, write back unchanged, and the example data center's asset registry drives an AssetBook.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "portcullis/core/assets/asset_book.hpp"
#include "portcullis/site_file/site_file.hpp"

namespace portcullis::site_file {
namespace {

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

bool has_problem(const core::Problems& problems, const std::string& path, const std::string& fragment) {
  for (const auto& p : problems) {
    if (p.json_path == path && p.message.find(fragment) != std::string::npos) return true;
  }
  return false;
}

TEST(AssetSiteFile, TheExampleHasRacksWithAssetsSealsAndRfidReaders) {
  const ParseResult parsed = parse_site_json(example_text());
  ASSERT_TRUE(parsed.problems.empty()) << dump(parsed.problems);
  const core::SiteDefinition& d = parsed.definition;
  EXPECT_GE(d.assets.size(), 8U);
  EXPECT_GE(d.seals.size(), 2U);
  EXPECT_FALSE(d.area_readers.empty());
  EXPECT_EQ(d.settings.rfid_dedup_window_ms, 2000);
  EXPECT_EQ(d.settings.asset_missing_after_s, 900);
  int weights = 0;
  for (const auto& a : d.assets) weights += a.holds_model_weights ? 1 : 0;
  EXPECT_GE(weights, 3);
  bool dock = false;
  for (const auto& p : d.portals) {
    for (const auto& r : p.readers) {
      dock = dock || (r.id == core::ReaderId{"rfid-loading-dock"} && r.reads == core::kReadsRfid &&
                      r.side == core::ReaderSide::Exit);
    }
  }
  EXPECT_TRUE(dock);
}

TEST(AssetSiteFile, RoundTripsAssetsSealsAndAreaReaders) {
  const ParseResult first = parse_site_json(example_text());
  ASSERT_TRUE(first.problems.empty()) << dump(first.problems);
  const std::string written = write_site_json(first.definition);
  const ParseResult second = parse_site_json(written);
  ASSERT_TRUE(second.problems.empty()) << dump(second.problems);
  EXPECT_EQ(second.definition.assets, first.definition.assets);
  EXPECT_EQ(second.definition.seals, first.definition.seals);
  EXPECT_EQ(second.definition.area_readers, first.definition.area_readers);
  EXPECT_TRUE(second.definition == first.definition);
}

TEST(AssetSiteFile, ShapeAndSemanticProblemsNameTheirPath) {
  auto j = nlohmann::ordered_json::parse(example_text());
  j["assets"][0]["kind"] = "toaster";
  j["assets"][1]["lifecycle"] = "lost";
  j["assets"][2]["epc"] = "GPU-7";
  j["assets"][3]["home_rack"] = "rack-z99";
  j["assets"][4]["epc"] = j["assets"][5]["epc"];
  j["seals"][0]["asset"] = "hsm-w01";  // and its rack
  j["seals"][1]["serial"] = j["seals"][2]["serial"];
  j["area_readers"][0]["zone"] = "attic";
  j["racks"][0]["readers"][1]["reads"] = {"rfid", "sonar"};
  j["settings"]["rfid_dedup_window_ms"] = 120000;
  const ParseResult parsed = parse_site_json(j.dump());
  const auto& p = parsed.problems;
  EXPECT_TRUE(has_problem(p, "$.assets[0].kind", "unknown asset kind \"toaster\"")) << dump(p);
  EXPECT_TRUE(has_problem(p, "$.assets[1].lifecycle", "unknown lifecycle state \"lost\"")) << dump(p);
  EXPECT_TRUE(has_problem(p, "$.assets[2].epc", "EPC pure-identity URN")) << dump(p);
  EXPECT_TRUE(has_problem(p, "$.assets[3].home_rack", "unknown rack \"rack-z99\"")) << dump(p);
  EXPECT_TRUE(has_problem(p, "$.assets[5].epc", "duplicate EPC")) << dump(p);
  EXPECT_TRUE(has_problem(p, "$.seals[0]", "exactly one of rack or asset")) << dump(p);
  EXPECT_TRUE(has_problem(p, "$.seals[2].serial", "duplicate seal serial")) << dump(p);
  EXPECT_TRUE(has_problem(p, "$.area_readers[0].zone", "unknown zone \"attic\"")) << dump(p);
  EXPECT_TRUE(has_problem(p, "$.racks[0].readers[1].reads", "unknown reader capability \"sonar\""))
      << dump(p);
  EXPECT_TRUE(has_problem(p, "$.settings.rfid_dedup_window_ms", "")) << dump(p);
  EXPECT_FALSE(load_site_text(j.dump()).model);
}

// The day scenario's tagged drive from W01 carried out through the loading dock without a move order.
TEST(AssetSiteFile, TheExampleDriveAtTheLoadingDockIsACriticalAlarm) {
  const LoadResult loaded = load_site_text(example_text());
  ASSERT_TRUE(loaded.model) << dump(loaded.problems);
  const core::Timestamp t0 = core::from_unix_micros(1'795'000'000'000'000);
  core::AssetBook book{loaded.model, t0};
  core::RfidObservation read;
  read.device = core::DeviceId{"rack-ctl-w01"};
  read.reader = core::ReaderId{"rfid-rack-w01"};
  read.epc = "urn:epc:id:giai:4012345.DRV-W01-0042";
  ASSERT_EQ(book.observe(read, t0).result, core::ReadResult::Moved);
  EXPECT_EQ(book.assets_in_rack(core::RackId{"rack-w01"}).size(), 1U);
  read.device = core::DeviceId{"rfid-loading-dock"};
  read.reader = core::ReaderId{"rfid-loading-dock"};
  read.count = 3;
  const core::Observation obs = book.observe(read, t0 + std::chrono::minutes{5});
  ASSERT_EQ(obs.result, core::ReadResult::Moved);
  EXPECT_EQ(obs.movement->to.zone, core::ZoneId{"public"});
  ASSERT_EQ(obs.outcome.alarms.size(), 1U);
  EXPECT_EQ(obs.outcome.alarms[0].kind, "asset_unauthorized_movement");
  EXPECT_EQ(obs.outcome.alarms[0].severity, core::Severity::Critical);
  EXPECT_EQ(obs.outcome.alarms[0].subject, "drv-w01-0042");
}

}  // namespace
}  // namespace portcullis::site_file
