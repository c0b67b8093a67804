// Admin API bodies read by the site file's own code (parse_*_fragment): same fields, formats, ranges and
// unknown-field checks as a site file, problems named by path under "$".
#include <gtest/gtest.h>

#include <algorithm>

#include "portcullis/site_file/site_file.hpp"

namespace portcullis::site_file {
namespace {

TEST(Fragments, APersonReadsLikeInTheFile) {
  const auto p = parse_person_fragment(
      R"({"id":"zoe-park","name":"Zoe Park","role":"engineer","clearance":{"status":"cleared","expires":"2028-01-01T00:00:00Z"}})");
  ASSERT_TRUE(p.value) << p.problems.front().json_path;
  EXPECT_EQ(p.value->id.str(), "zoe-park");
  EXPECT_EQ(p.value->clearance.status, core::ClearanceStatus::Cleared);
  ASSERT_TRUE(p.value->clearance.expires);
  const auto bad =
      parse_person_fragment(R"({"id":"x","name":"X","clearance":{"status":"maybe"},"colour":"red"})");
  EXPECT_FALSE(bad.value);
  std::vector<std::string> paths;
  for (const auto& problem : bad.problems) paths.push_back(problem.json_path);
  EXPECT_NE(std::find(paths.begin(), paths.end(), "$.clearance.status"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "$.colour"), paths.end());
}

TEST(Fragments, ACardIsNamedByItsOwnFields) {
  const auto c = parse_card_fragment(R"({"id":"b1","format":"H10301","facility":42,"number":20001})");
  ASSERT_TRUE(c.value);
  EXPECT_EQ(c.value->format, core::CardFormat::H10301_26);
  EXPECT_EQ(c.value->number, 20001U);
  const auto missing = parse_card_fragment(R"({"id":"b1","format":"H10301","facility":42})");
  ASSERT_FALSE(missing.value);
  EXPECT_EQ(missing.problems.front().json_path, "$.number");
  const auto format = parse_card_fragment(R"({"id":"b1","format":"H99","facility":1,"number":2})");
  ASSERT_FALSE(format.value);
  EXPECT_EQ(format.problems.front().json_path, "$.format");
  EXPECT_FALSE(parse_card_fragment("[1,2]").value);
  EXPECT_FALSE(parse_card_fragment("{not json").value);
}

TEST(Fragments, BiometricAndGrant) {
  const auto b = parse_biometric_fragment(R"({"id":"bio-1","template_id":"tpl-9"})");
  ASSERT_TRUE(b.value);
  EXPECT_EQ(b.value->template_id, "tpl-9");
  const auto g = parse_grant_fragment(
      R"({"id":"g-1","person":"zoe-park","zones":["office"],"valid_until":"2027-01-01T00:00:00Z"})");
  ASSERT_TRUE(g.value);
  EXPECT_EQ(g.value->zones.size(), 1U);
  ASSERT_TRUE(g.value->valid_until);
  const auto bad = parse_grant_fragment(R"({"id":"g-1","person":"zoe","zones":"office"})");
  ASSERT_FALSE(bad.value);
  EXPECT_EQ(bad.problems.front().json_path, "$.zones");
}

}  // namespace
}  // namespace portcullis::site_file
