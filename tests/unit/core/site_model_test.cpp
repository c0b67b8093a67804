// Validation reports every problem with its JSON path; a valid definition builds an indexed model.
#include <gtest/gtest.h>

#include <algorithm>

#include "portcullis/core/model/validate.hpp"
#include "test_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

bool has(const Problems& problems, const std::string& path, const std::string& words) {
  return std::any_of(problems.begin(), problems.end(), [&](const Problem& p) {
    return p.json_path == path && p.message.find(words) != std::string::npos;
  });
}

std::string dump(const Problems& problems) {
  std::string s;
  for (const auto& p : problems) s += p.json_path + ": " + p.message + "\n";
  return s;
}

TEST(Validate, TestSiteIsValid) {
  EXPECT_EQ(dump(validate(test_site_definition())), "");
}

TEST(Validate, ReportsEveryProblemWithItsPath) {
  SiteDefinition s = test_site_definition();
  s.version.clear();
  s.zones[5].parent = ZoneId{"nowhere"};  // unknown zone
  s.zones.push_back({ZoneId{"loop-a"}, "A", ZoneId{"loop-b"}, 1, ApbMode::None, 0, 0});
  s.zones.push_back({ZoneId{"loop-b"}, "B", ZoneId{"loop-a"}, 1, ApbMode::None, 0, 0});
  s.zones.push_back({ZoneId{"vault"}, "Vault", ZoneId{"hall"}, 7, ApbMode::Timed, 0, 0});  // tier 7 undefined
  s.portals[1].to = ZoneId{"lobby"};  // joins lobby to itself
  s.people[1].cards[0].number = 1;    // bob's badge duplicates ada's
  s.people[1].cards[0].format = CardFormat::H10301_26;
  s.people[1].cards[0].raw_bits = "11";
  s.groups[0].members.push_back(PersonId{"zed"});
  s.grants[2].schedule = ScheduleId{"nights"};
  s.grants[3].person = PersonId{"zed"};
  s.grants[4].group = GroupId{"staff"};  // person and group
  s.devices[0].token_sha256 = "not-a-hash";
  s.tiers[1].any_of.clear();
  s.schedules[0].windows.push_back({0x01, 600, 500});
  s.portals[4].readers.push_back(reader("front-in", ReaderSide::Entry));  // duplicate reader id

  const Problems p = validate(s);
  const std::string all = dump(p);
  EXPECT_TRUE(has(p, "$.version", "missing")) << all;
  EXPECT_TRUE(has(p, "$.zones[5].parent", "unknown zone \"nowhere\"")) << all;
  EXPECT_TRUE(has(p, "$.zones[6].parent", "cycle")) << all;
  EXPECT_TRUE(has(p, "$.zones[7].parent", "cycle")) << all;
  EXPECT_TRUE(has(p, "$.zones[8].tier", "no requirements")) << all;
  EXPECT_TRUE(has(p, "$.zones[8].apb_timeout_s", "timeout")) << all;
  EXPECT_TRUE(has(p, "$.portals[1].to", "to itself")) << all;
  EXPECT_TRUE(has(p, "$.people[1].cards[0]", "duplicate badge")) << all;
  EXPECT_TRUE(has(p, "$.people[1].cards[0].raw_bits", "do not decode")) << all;
  EXPECT_TRUE(has(p, "$.groups[0].members[6]", "unknown person \"zed\"")) << all;
  EXPECT_TRUE(has(p, "$.grants[2].schedule", "unknown schedule")) << all;
  EXPECT_TRUE(has(p, "$.grants[3].person", "unknown person")) << all;
  EXPECT_TRUE(has(p, "$.grants[4]", "exactly one of person or group")) << all;
  EXPECT_TRUE(has(p, "$.devices[0].token_sha256", "64")) << all;
  EXPECT_TRUE(has(p, "$.tiers[1].any_of", "no acceptable factor set")) << all;
  EXPECT_TRUE(has(p, "$.schedules[0].windows[1]", "start < end")) << all;
  EXPECT_TRUE(has(p, "$.portals[4].readers[2].id", "duplicate reader")) << all;
  EXPECT_FALSE(SiteModel::build(s).model);
}

// Raw bits on a badge are checked with the one Wiegand codec (device-adapters): parity, length, and that
// they carry the badge's own numbers. H10301 facility 1 / card 1 is the published boundary vector.
TEST(Validate, RawBitsMustDecodeToTheBadgesNumbers) {
  SiteDefinition s = test_site_definition();
  auto& card = s.people[1].cards[0];
  card.format = CardFormat::H10301_26;
  card.facility = 1;
  card.number = 1;
  card.raw_bits = "10000000100000000000000010";
  EXPECT_FALSE(has(validate(s), "$.people[1].cards[0].raw_bits", "")) << dump(validate(s));
  card.number = 2;
  EXPECT_TRUE(has(validate(s), "$.people[1].cards[0].raw_bits", "decode to facility 1 number 1"))
      << dump(validate(s));
  card.number = 1;
  card.raw_bits = "10000000100000000000000011";  // trailing odd parity wrong
  EXPECT_TRUE(has(validate(s), "$.people[1].cards[0].raw_bits", "do not decode")) << dump(validate(s));
  card.format = CardFormat::H10304_37;
  card.facility = 40000;
  card.number = 500000;
  card.raw_bits = "1100111000100000011110100001001000001";
  EXPECT_FALSE(has(validate(s), "$.people[1].cards[0].raw_bits", "")) << dump(validate(s));
}

TEST(Validate, ZoneTreeNeedsOneRoot) {
  SiteDefinition s = test_site_definition();
  s.zones[1].parent = ZoneId{};
  EXPECT_TRUE(has(validate(s), "$.zones", "exactly one root"));
}

TEST(SiteModel, IndexesAndExpandsCoverage) {
  const auto m = build_or_throw(test_site_definition());
  const Index hall = m->zone_index(ZoneId{"hall"});
  const Index office = m->zone_index(ZoneId{"office"});
  EXPECT_TRUE(m->is_within(hall, office));
  EXPECT_FALSE(m->is_within(office, hall));
  EXPECT_NE(m->card_credential(10, 1), kNoIndex);
  EXPECT_EQ(m->card_credential(11, 1), kNoIndex);
  EXPECT_EQ(m->person(m->credential(m->card_credential(10, 1)).person).id, PersonId{"ada"});
  EXPECT_EQ(m->version(), "1");
  // An include_subzones grant covers the subtree.
  SiteDefinition s = test_site_definition();
  s.grants[0].include_subzones = true;
  const auto wide = build_or_throw(s);
  const GrantNode& g = wide->grant(wide->grant_index(GrantId{"g-staff"}));
  EXPECT_EQ(g.zones.size(), 6U);
}

}  // namespace
}  // namespace portcullis::core
