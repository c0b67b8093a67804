#include "portcullis/util/bearer.hpp"

#include <gtest/gtest.h>

namespace portcullis::util {
namespace {

TEST(Bearer, ReadsTheToken) {
  EXPECT_EQ(bearer_token("Bearer pcd_abc-DEF_123"), "pcd_abc-DEF_123");
}

TEST(Bearer, MatchesTheSchemeWithoutRegardToCase) {
  EXPECT_EQ(bearer_token("bearer t"), "t");
  EXPECT_EQ(bearer_token("BEARER t"), "t");
  EXPECT_EQ(bearer_token("BeArEr t"), "t");
}

TEST(Bearer, IgnoresSpacesAndTabsAroundTheToken) {
  EXPECT_EQ(bearer_token("Bearer   t"), "t");
  EXPECT_EQ(bearer_token("Bearer\tt"), "t");
  EXPECT_EQ(bearer_token("  Bearer t \t"), "t");
}

TEST(Bearer, RefusesWhatIsNotABearerCredential) {
  for (const char* bad : {"", "Bearer", "Bearer ", "Bearer   ", "Bearert", "Basic dXNlcjpwYXNz", "Bearer a b",
                          "Token t", "Bearer\x01t", "Bear t"}) {
    EXPECT_FALSE(bearer_token(bad)) << bad;
  }
  EXPECT_FALSE(bearer_token(std::string_view{"Bearer t\0u", 10}));
}

}  // namespace
}  // namespace portcullis::util
