#pragma once
// Latency histogram in microseconds with bounded relative error: values below 128 us are exact; above, each
// power of two is split into 64 buckets (error under 1.6%). Percentiles use the nearest-rank definition and
// report the bucket's upper bound (never above the largest recorded value). Merge per-thread histograms.
#include <cstdint>
#include <string>
#include <vector>

namespace portcullis::sim {

class LatencyHistogram {
 public:
  LatencyHistogram();
  void record(std::uint64_t micros);
  void merge(const LatencyHistogram& other);

  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] std::uint64_t min() const noexcept { return count_ == 0 ? 0 : min_; }
  [[nodiscard]] std::uint64_t max() const noexcept { return max_; }
  [[nodiscard]] double mean() const noexcept;
  // p in [0, 100]; 0 for an empty histogram. percentile(100) == max().
  [[nodiscard]] std::uint64_t percentile(double p) const;
  // Printable summary: count, p50/p90/p99/max and a bar per power-of-two range that holds samples.
  [[nodiscard]] std::string render() const;

  // Bucket arithmetic, exposed for tests.
  [[nodiscard]] static std::size_t bucket_of(std::uint64_t micros) noexcept;
  [[nodiscard]] static std::uint64_t bucket_upper(std::size_t bucket) noexcept;

 private:
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::uint64_t min_ = 0;
  std::uint64_t max_ = 0;
  long double sum_ = 0;
};

// "1.234 ms", "850 us", "2.10 s"
[[nodiscard]] std::string format_micros(std::uint64_t micros);

}  // namespace portcullis::sim
