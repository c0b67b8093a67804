#pragma once
// RFID read de-duplication: fixed readers report the same tag many times a second; downstream
// (asset movement, EPCIS events) wants one observation per tag per reader per window.
//
// Per (EPC, reader) key:
//   - the first read is emitted and opens a window of `window` length;
//   - reads inside the window are counted, not emitted;
//   - the first read at or after the window's end is emitted, carrying how many repeats were
//     suppressed in the window it closes, and opens a new window.
// Time is passed in (any monotonic microsecond count, e.g. core::Timestamp::time_since_epoch());
// the class never reads a clock. A read stamped before the open window started (the caller's
// clock stepped back) restarts the window at that time and is counted, so a backwards step
// delays emission by at most one window instead of silencing the tag.
//
// Memory is bounded: at most `max_entries` keys are tracked; inserting beyond that evicts the
// key whose last read is oldest (its pending repeat count is lost and counted in evictions()).
//
// Not thread-safe: one instance per ingest thread (or guard it with the caller's lock).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

#include "portcullis/adapters/result.hpp"

namespace portcullis::adapters::rfid {

// EPCs are at most 496 bits (124 hex digits) in Gen2; URNs are longer but still short.
inline constexpr std::size_t kMaxIdentifierLength = 256;

struct DedupOptions {
  std::chrono::microseconds window{std::chrono::seconds{2}};  // must be > 0; 0 is treated as 1 us
  std::size_t max_entries = 10'000;                           // must be > 0; 0 is treated as 1
};

struct ReadDecision {
  bool emit = false;
  // When emit: repeats suppressed in the window this read closes (0 for a first read).
  // When not emit: repeats suppressed so far in the current window, including this one.
  std::uint32_t suppressed = 0;
  friend bool operator==(const ReadDecision&, const ReadDecision&) = default;
};

class ReadDeduplicator {
 public:
  explicit ReadDeduplicator(DedupOptions options = {});

  // Errors: BadIdentifier for an empty or over-long EPC or reader id (nothing is recorded).
  [[nodiscard]] Result<ReadDecision> observe(std::string_view epc, std::string_view reader,
                                             std::chrono::microseconds now);

  // Forget keys whose window has ended and that saw no read since `now - window`; their next
  // read would be emitted anyway. Returns how many were dropped.
  std::size_t prune(std::chrono::microseconds now);

  [[nodiscard]] std::size_t size() const noexcept { return index_.size(); }
  [[nodiscard]] std::uint64_t evictions() const noexcept { return evictions_; }
  [[nodiscard]] const DedupOptions& options() const noexcept { return options_; }

 private:
  struct Entry {
    std::string key;
    std::chrono::microseconds window_start{};
    std::chrono::microseconds last_seen{};
    std::uint32_t suppressed = 0;
  };
  using Lru = std::list<Entry>;  // front = most recently read

  DedupOptions options_;
  Lru lru_;
  std::unordered_map<std::string_view, Lru::iterator> index_;  // views into Entry::key
  std::uint64_t evictions_ = 0;
};

}  // namespace portcullis::adapters::rfid
