// Latency histogram: exact below 128 us, bounded relative error above, nearest-rank percentiles, merge.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "portcullis/sim/histogram.hpp"

namespace portcullis::sim {
namespace {

TEST(Histogram, EmptyIsZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0U);
  EXPECT_EQ(h.percentile(50), 0U);
  EXPECT_EQ(h.max(), 0U);
  EXPECT_NE(h.render().find("0 samples"), std::string::npos);
}

TEST(Histogram, NearestRankPercentilesOnSmallValuesAreExact) {
  LatencyHistogram h;
  for (std::uint64_t v = 100; v >= 1; --v) h.record(v);  // 1..100 us, any order
  EXPECT_EQ(h.count(), 100U);
  EXPECT_EQ(h.percentile(50), 50U);
  EXPECT_EQ(h.percentile(90), 90U);
  EXPECT_EQ(h.percentile(99), 99U);
  EXPECT_EQ(h.percentile(100), 100U);
  EXPECT_EQ(h.percentile(0), 1U);
  EXPECT_EQ(h.min(), 1U);
  EXPECT_EQ(h.max(), 100U);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(Histogram, SingleValueAndOutlier) {
  LatencyHistogram h;
  for (int i = 0; i < 99; ++i) h.record(2000);
  h.record(1'000'000);
  EXPECT_NEAR(static_cast<double>(h.percentile(50)), 2000.0, 2000.0 / 64);
  EXPECT_NEAR(static_cast<double>(h.percentile(99)), 2000.0, 2000.0 / 64);
  EXPECT_EQ(h.percentile(100), 1'000'000U);
  EXPECT_EQ(h.max(), 1'000'000U);
}

TEST(Histogram, BucketsCoverEveryValueWithBoundedError) {
  for (std::uint64_t v :
       {0ULL, 1ULL, 127ULL, 128ULL, 129ULL, 255ULL, 256ULL, 1000ULL, 123456ULL, 1ULL << 40, ~0ULL}) {
    const auto b = LatencyHistogram::bucket_of(v);
    const auto upper = LatencyHistogram::bucket_upper(b);
    EXPECT_GE(upper, v) << v;
    EXPECT_LE(static_cast<double>(upper - v), static_cast<double>(v) / 64.0) << v;
    if (b > 0) {
      EXPECT_LT(LatencyHistogram::bucket_upper(b - 1), v) << v;  // buckets are contiguous
    }
  }
}

TEST(Histogram, PercentilesMatchSortedSamplesWithinTheBucketError) {
  std::mt19937_64 rng{7};
  std::lognormal_distribution<double> latency{8.0, 1.0};  // around 3 ms with a long tail
  std::vector<std::uint64_t> samples;
  LatencyHistogram a, b;
  for (int i = 0; i < 20000; ++i) {
    const auto v = static_cast<std::uint64_t>(latency(rng));
    samples.push_back(v);
    (i % 2 == 0 ? a : b).record(v);  // two threads' histograms
  }
  a.merge(b);
  std::sort(samples.begin(), samples.end());
  ASSERT_EQ(a.count(), samples.size());
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(samples.size())));
    const auto exact = samples[rank - 1];
    const auto got = a.percentile(p);
    EXPECT_GE(got, exact) << p;
    EXPECT_LE(static_cast<double>(got - exact), static_cast<double>(exact) / 64.0 + 1.0) << p;
  }
  EXPECT_EQ(a.max(), samples.back());
  EXPECT_EQ(a.min(), samples.front());
  const auto text = a.render();
  EXPECT_NE(text.find("p50"), std::string::npos);
  EXPECT_NE(text.find("p99"), std::string::npos);
  EXPECT_NE(text.find("max"), std::string::npos);
}

TEST(Histogram, FormatsUnits) {
  EXPECT_EQ(format_micros(850), "850 us");
  EXPECT_EQ(format_micros(1234), "1.234 ms");
  EXPECT_EQ(format_micros(2'100'000), "2.100 s");
}

}  // namespace
}  // namespace portcullis::sim
