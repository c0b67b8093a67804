// Sign-in attempts per source address (source_throttle.hpp): one address cannot keep the hashing pool busy,
// others are not affected, and the table stays bounded however many addresses try.
#include "portcullis/operators/source_throttle.hpp"

#include <gtest/gtest.h>

namespace portcullis::operators {
namespace {
using namespace std::chrono_literals;

const core::Timestamp t0 = core::Timestamp{} + 1000h;

TEST(SourceThrottle, OneAddressGetsItsBurstThenOneAttemptPerRefillWithRetryAfter) {
  SourceThrottle throttle{{3, 6s, 16}};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(throttle.take("10.0.0.1", t0).allowed);
  const auto refused = throttle.take("10.0.0.1", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 6s);
  EXPECT_FALSE(throttle.take("10.0.0.1", t0 + 5s).allowed);
  EXPECT_TRUE(throttle.take("10.0.0.1", t0 + 6s).allowed);
  EXPECT_FALSE(throttle.take("10.0.0.1", t0 + 7s).allowed);
}

TEST(SourceThrottle, AnotherAddressIsNotSlowedByAFloodingOne) {
  SourceThrottle throttle{{2, 6s, 16}};
  for (int i = 0; i < 50; ++i) (void)throttle.take("203.0.113.9", t0);
  EXPECT_TRUE(throttle.take("10.0.0.2", t0).allowed);
}

TEST(SourceThrottle, TheTableIsBoundedAndForgetsTheLeastRecentlySeenAddress) {
  SourceThrottle throttle{{1, 60s, 4}};
  EXPECT_TRUE(throttle.take("a", t0).allowed);
  for (int i = 0; i < 1000; ++i) (void)throttle.take("spray-" + std::to_string(i), t0);
  EXPECT_EQ(throttle.size(), 4U);
  // A recently seen address stays refused while the spray goes on around it.
  SourceThrottle kept{{1, 60s, 4}};
  EXPECT_TRUE(kept.take("a", t0).allowed);
  for (int i = 0; i < 10; ++i) {
    EXPECT_FALSE(kept.take("a", t0).allowed);
    (void)kept.take("spray-" + std::to_string(i), t0);
  }
}

}  // namespace
}  // namespace portcullis::operators
