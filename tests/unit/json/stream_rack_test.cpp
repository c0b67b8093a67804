// Rack entries of the live stream: assets located in a rack (RFID) and assets expected there (home rack,
// in service), so the console can show "present / expected" before any tag has been read.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "portcullis/json/stream_json.hpp"

namespace portcullis::json {
namespace {

core::AssetState asset(const std::string& id, const std::string& home, const std::string& located,
                       core::AssetLifecycle lifecycle = core::AssetLifecycle::InService) {
  core::AssetState a;
  a.def.id = core::AssetId{id};
  a.def.home_rack = core::RackId{home};
  a.def.lifecycle = lifecycle;
  if (!located.empty()) {
    a.location.rack = core::RackId{located};
    a.location.zone = core::ZoneId{"hall"};
  }
  return a;
}

core::RackDef rack(const std::string& id) {
  core::RackDef r;
  r.id = core::RackId{id};
  r.name = "Rack " + id;
  r.zone = core::ZoneId{"hall"};
  r.tier = 3;
  return r;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(StreamRackTest, ExpectedAssetsCountBeforeAnyRead) {
  RackContents contents;
  EXPECT_EQ(contents.update(asset("a1", "r1", "")), std::vector<std::string>{"r1"});
  contents.update(asset("a2", "r1", ""));
  contents.update(asset("a3", "r2", ""));
  const auto t = contents.tally("r1");
  EXPECT_TRUE(t.located.empty());
  EXPECT_EQ(t.expected, 2u);
  EXPECT_EQ(t.present, 0u);
  EXPECT_EQ(t.away, (std::vector<std::string>{"a1", "a2"}));

  const auto j = nlohmann::json::parse(rack_json(rack("r1"), t, "intact"));
  EXPECT_EQ(j.at("asset_count"), 0);
  EXPECT_EQ(j.at("assets"), nlohmann::json::array());
  EXPECT_EQ(j.at("expected_count"), 2);
  EXPECT_EQ(j.at("present_count"), 0);
  EXPECT_EQ(j.at("away_count"), 2);
  EXPECT_EQ(j.at("away"), (nlohmann::json{"a1", "a2"}));
  EXPECT_EQ(j.at("unseen_count"), 2) << "never read anywhere: not read yet rather than away";
  EXPECT_EQ(j.at("seal"), "intact");
  EXPECT_EQ(j.at("name"), "Rack r1");
  EXPECT_EQ(j.at("zone"), "hall");
  EXPECT_EQ(j.at("tier"), 3);
}

TEST(StreamRackTest, ReadsMakeExpectedAssetsPresentAndStrangersDoNotCount) {
  RackContents contents;
  contents.update(asset("a1", "r1", ""));
  contents.update(asset("a2", "r1", ""));
  // a1 read in its home rack: r1 changes (located and present).
  EXPECT_EQ(contents.update(asset("a1", "r1", "r1")), std::vector<std::string>{"r1"});
  // An asset of r2 placed in r1: located in r1, but not expected there; r2 misses it.
  EXPECT_EQ(sorted(contents.update(asset("x", "r2", "r1"))), (std::vector<std::string>{"r1", "r2"}));
  auto t = contents.tally("r1");
  EXPECT_EQ(t.located, (std::vector<std::string>{"a1", "x"}));
  EXPECT_EQ(t.expected, 2u);
  EXPECT_EQ(t.present, 1u);
  EXPECT_EQ(t.away, std::vector<std::string>{"a2"});
  t = contents.tally("r2");
  EXPECT_EQ(t.expected, 1u);
  EXPECT_EQ(t.present, 0u);
  EXPECT_EQ(t.away, std::vector<std::string>{"x"});

  // a1 leaves for r2: both racks change; r1 now has 0 of 2 present.
  EXPECT_EQ(sorted(contents.update(asset("a1", "r1", "r2"))), (std::vector<std::string>{"r1", "r2"}));
  t = contents.tally("r1");
  EXPECT_EQ(t.present, 0u);
  EXPECT_EQ(t.away, (std::vector<std::string>{"a1", "a2"}));
  // A rack nobody mentioned.
  t = contents.tally("r9");
  EXPECT_TRUE(t.located.empty());
  EXPECT_EQ(t.expected, 0u);
}

TEST(StreamRackTest, OnlyInServiceAssetsAreExpectedAndHomeChangesMoveTheExpectation) {
  RackContents contents;
  contents.update(asset("a1", "r1", "r1"));
  contents.update(asset("spare", "", ""));  // no home rack: expected nowhere
  EXPECT_EQ(contents.tally("r1").expected, 1u);
  // Into maintenance: no longer expected (nor missed), still located in r1.
  EXPECT_EQ(contents.update(asset("a1", "r1", "r1", core::AssetLifecycle::Maintenance)),
            std::vector<std::string>{"r1"});
  auto t = contents.tally("r1");
  EXPECT_EQ(t.expected, 0u);
  EXPECT_EQ(t.located, std::vector<std::string>{"a1"});
  // Back in service with a new home: r2 expects it, r1 does not.
  EXPECT_EQ(sorted(contents.update(asset("a1", "r2", "r1"))), (std::vector<std::string>{"r2"}));
  EXPECT_EQ(contents.tally("r1").expected, 0u);
  t = contents.tally("r2");
  EXPECT_EQ(t.expected, 1u);
  EXPECT_EQ(t.away, std::vector<std::string>{"a1"});
  // The same state again changes nothing.
  EXPECT_TRUE(contents.update(asset("a1", "r2", "r1")).empty());
  contents.clear();
  EXPECT_EQ(contents.tally("r2").expected, 0u);
  EXPECT_TRUE(contents.tally("r1").located.empty());
}

TEST(StreamRackTest, AnAssetReadElsewhereIsAwayAndNoLongerUnread) {
  RackContents contents;
  contents.update(asset("a1", "r1", ""));
  contents.update(asset("a2", "r1", ""));
  EXPECT_EQ(contents.tally("r1").unseen, 2u);
  // a1 read in another rack: away (seen); a2 still never read.
  EXPECT_EQ(contents.update(asset("a1", "r1", "r2")), (std::vector<std::string>{"r1", "r2"}));
  auto t = contents.tally("r1");
  EXPECT_EQ(t.away.size(), 2u);
  EXPECT_EQ(t.unseen, 1u);
  // Read at home: present. A zone read outside any rack still counts as seen.
  contents.update(asset("a1", "r1", "r1"));
  core::AssetState in_aisle = asset("a2", "r1", "");
  in_aisle.location.zone = core::ZoneId{"hall"};
  EXPECT_EQ(contents.update(in_aisle), std::vector<std::string>{"r1"}) << "its home's unread count changed";
  t = contents.tally("r1");
  EXPECT_EQ(t.present, 1u);
  EXPECT_EQ(t.away, std::vector<std::string>{"a2"});
  EXPECT_EQ(t.unseen, 0u);
  const auto j = nlohmann::json::parse(rack_json(rack("r1"), contents, "none"));
  EXPECT_EQ(j.at("unseen_count"), 0);
  EXPECT_EQ(j.at("away_count"), 1);
}

}  // namespace
}  // namespace portcullis::json
