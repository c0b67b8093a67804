#include "portcullis/sim/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>

namespace portcullis::sim {
namespace {
constexpr std::size_t kExact = 128;  // values below are their own bucket
constexpr std::size_t kSub = 64;     // buckets per power of two above
constexpr std::size_t kBuckets = kExact + 58 * kSub;
}  // namespace

std::size_t LatencyHistogram::bucket_of(std::uint64_t v) noexcept {
  if (v < kExact) return static_cast<std::size_t>(v);
  const auto shift = static_cast<unsigned>(std::bit_width(v)) - 7U;  // v >> shift in [64, 127]
  const std::size_t top = static_cast<std::size_t>(v >> shift) - kSub;
  return kExact + (shift - 1U) * kSub + top;
}

std::uint64_t LatencyHistogram::bucket_upper(std::size_t bucket) noexcept {
  if (bucket < kExact) return bucket;
  const std::size_t shift = (bucket - kExact) / kSub + 1;
  const std::uint64_t top = (bucket - kExact) % kSub + kSub;
  return ((top + 1) << shift) - 1;
}

LatencyHistogram::LatencyHistogram() : buckets_(kBuckets, 0) {}

void LatencyHistogram::record(std::uint64_t micros) {
  ++buckets_[std::min(bucket_of(micros), kBuckets - 1)];
  min_ = count_ == 0 ? micros : std::min(min_, micros);
  max_ = std::max(max_, micros);
  ++count_;
  sum_ += static_cast<long double>(micros);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  for (std::size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
}

double LatencyHistogram::mean() const noexcept {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_ / static_cast<long double>(count_));
}

std::uint64_t LatencyHistogram::percentile(double p) const {
  if (count_ == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_)));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::clamp(bucket_upper(i), min_, max_);
  }
  return max_;
}

std::string format_micros(std::uint64_t micros) {
  char buf[32];
  if (micros < 1000) {
    std::snprintf(buf, sizeof buf, "%llu us", static_cast<unsigned long long>(micros));
  } else if (micros < 1'000'000) {
    std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(micros) / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.3f s", static_cast<double>(micros) / 1e6);
  }
  return buf;
}

std::string LatencyHistogram::render() const {
  std::string out;
  out += "latency: " + std::to_string(count_) + " samples";
  if (count_ == 0) return out + "\n";
  out +=
      ", min " + format_micros(min()) + ", mean " + format_micros(static_cast<std::uint64_t>(mean())) + "\n";
  out += "  p50 " + format_micros(percentile(50)) + "  p90 " + format_micros(percentile(90)) + "  p99 " +
         format_micros(percentile(99)) + "  max " + format_micros(max_) + "\n";
  // One row per power-of-two range [2^k, 2^(k+1)) us.
  std::vector<std::uint64_t> rows(65, 0);
  for (std::size_t i = 0; i < kBuckets; ++i) {
    if (buckets_[i] == 0) continue;
    const std::uint64_t upper = bucket_upper(i);
    rows[static_cast<std::size_t>(std::bit_width(upper))] += buckets_[i];
  }
  const std::uint64_t peak = *std::max_element(rows.begin(), rows.end());
  std::uint64_t cumulative = 0;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (rows[k] == 0) continue;
    cumulative += rows[k];
    const std::uint64_t lo = k == 0 ? 0 : (std::uint64_t{1} << (k - 1));
    const std::uint64_t hi = k == 0 ? 1 : (std::uint64_t{1} << k);
    const auto bar = static_cast<std::size_t>(
        std::llround(40.0 * static_cast<double>(rows[k]) / static_cast<double>(peak)));
    char line[160];
    std::snprintf(line, sizeof line, "  %10s .. %-10s %9llu %6.2f%% |%s\n", format_micros(lo).c_str(),
                  format_micros(hi).c_str(), static_cast<unsigned long long>(rows[k]),
                  100.0 * static_cast<double>(cumulative) / static_cast<double>(count_),
                  std::string(std::max<std::size_t>(bar, 1), '#').c_str());
    out += line;
  }
  return out;
}

}  // namespace portcullis::sim
