#include "portcullis/util/result.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace portcullis::util {
namespace {

Result<int> half(int n) {
  if (n % 2 != 0) return Error{std::to_string(n) + " is odd"};
  return n / 2;
}

TEST(Result, HoldsAValueOrAnError) {
  const auto ok = half(4);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 2);
  const auto bad = half(3);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "3 is odd");
}

TEST(Result, TakesAnyErrorTypeAndMoveOnlyValues) {
  struct Refusal {
    int code;
  };
  Result<std::unique_ptr<int>, Refusal> owned{std::make_unique<int>(7)};
  ASSERT_TRUE(owned);
  const auto taken = std::move(owned).value();
  EXPECT_EQ(*taken, 7);
  const Result<std::string, Refusal> refused{Refusal{404}};
  EXPECT_EQ(refused.error().code, 404);
}

TEST(ResultDeathTest, ReadingTheMissingAlternativeStops) {
  EXPECT_DEATH((void)half(3).value(), "");
  EXPECT_DEATH((void)half(4).error(), "");
}

}  // namespace
}  // namespace portcullis::util
