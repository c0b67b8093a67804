#pragma once
// Process-wide counters and histograms, rendered in the Prometheus text format.
// Lock-free on the hot path: every update is a relaxed atomic add.
#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace portcullis::metrics {

class Counter {
 public:
  void add(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(std::int64_t v) noexcept { value_.store(v, std::memory_order_relaxed); }
  [[nodiscard]] std::int64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// Fixed upper bounds chosen at construction (e.g. seconds or batch sizes).
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value) noexcept;
  void render(std::string& out, const std::string& name, const std::string& help) const;

 private:
  std::vector<double> bounds_;
  std::vector<std::atomic<std::uint64_t>> buckets_;  // one per bound, plus +Inf
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micro_{0};  // sum * 1e6, to keep it an integer atomic
};

// The SIEM feed (server/siem): messages the receiver accepted, messages lost (queue full while it was down
// or slow, or still queued at stop), failed connection attempts, the queue and whether it is connected.
struct SiemMetrics {
  Counter forwarded;
  Counter dropped;
  Counter connect_failures;
  Gauge queue_depth;
  Gauge connected;
};

struct ServerMetrics {
  Counter events_accepted;       // stored for the first time
  Counter events_duplicate;      // retries answered from history
  Counter events_rejected;       // bad input, refused before storage
  Counter requests_unavailable;  // 503: queue full or storage down
  Counter auth_failures;
  Counter commits;
  Counter commit_failures;
  // Engine snapshots (docs/event-store.md, "Snapshots"): written, failed to write, and refused at start-up
  // (unknown format, digest or chain mismatch); the records the last start-up replayed after its snapshot
  // (or from zero).
  Counter snapshots_written;
  Counter snapshot_write_failures;
  Counter snapshots_refused;
  Gauge startup_replayed_records;
  Gauge queue_depth;
  Histogram batch_size{{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}};
  Histogram commit_seconds{{0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1}};
  Histogram ingest_seconds{{0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1}};
  SiemMetrics siem;

  [[nodiscard]] std::string render() const;
};

}  // namespace portcullis::metrics
