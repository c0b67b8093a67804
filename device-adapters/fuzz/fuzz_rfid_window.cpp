// Fuzz the RFID de-duplication window with byte-driven reads, time steps and prunes. When the
// entry bound cannot be reached, compare against a straightforward reference model.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>

#include "fuzz_check.hpp"
#include "portcullis/adapters/rfid_dedup.hpp"

namespace rfid = portcullis::adapters::rfid;
using std::chrono::microseconds;

namespace {

// Reference arithmetic: is `to` at least `span` after `from`, exactly, for any int64 values.
bool span_reached(std::int64_t from, std::int64_t to, std::int64_t span) {
  if (to < from) return false;
  const std::uint64_t diff = static_cast<std::uint64_t>(to) - static_cast<std::uint64_t>(from);
  return diff >= static_cast<std::uint64_t>(span);
}

struct ModelEntry {
  std::int64_t window_start;
  std::int64_t last_seen;
  std::uint64_t recency;  // larger = read more recently
  std::uint32_t suppressed;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const std::int64_t window =
      1 + (static_cast<std::int64_t>(data[0]) | (static_cast<std::int64_t>(data[1]) << 8));
  const std::size_t max_entries = 1 + data[2] % 80U;  // 16 tags x 4 readers = 64 keys
  const bool model_valid = max_entries >= 64;
  rfid::ReadDeduplicator d(rfid::DedupOptions{microseconds{window}, max_entries});
  std::map<std::pair<int, int>, ModelEntry> model;

  std::int64_t now = 1'000'000;
  std::uint64_t recency = 0;
  for (std::size_t i = 3; i + 1 < size; i += 2) {
    const std::uint8_t op = data[i];
    const std::uint8_t arg = data[i + 1];
    if (op == 0xFF) {
      const std::size_t dropped = d.prune(microseconds{now});
      FUZZ_CHECK(d.size() <= max_entries);
      if (!model_valid) continue;
      // Mirror prune: walk from the least recently read key, stop at the first still active.
      std::size_t model_dropped = 0;
      while (!model.empty()) {
        auto oldest = model.begin();
        for (auto it = model.begin(); it != model.end(); ++it) {
          if (it->second.recency < oldest->second.recency) oldest = it;
        }
        const auto& e = oldest->second;
        const bool over = span_reached(e.window_start, now, window);
        const bool idle = span_reached(e.last_seen, now, window);
        if (!(over && idle)) break;
        model.erase(oldest);
        ++model_dropped;
      }
      FUZZ_CHECK(dropped == model_dropped);
      FUZZ_CHECK(d.size() == model.size());
      continue;
    }
    // Time step: mostly forward, sometimes backward (clock step), rarely to either end of the
    // representable range to catch overflow in window arithmetic.
    if (arg == 0xFE) {
      now = std::numeric_limits<std::int64_t>::max() - 4096;
    } else if (arg == 0xFD) {
      now = std::numeric_limits<std::int64_t>::min() + 4096;
    } else {
      const std::int64_t step =
          (op & 0x40) != 0 ? -static_cast<std::int64_t>(arg) * 37 : static_cast<std::int64_t>(arg) * 13;
      std::int64_t next = 0;
      if (!__builtin_add_overflow(now, step, &next)) now = next;
    }
    const int tag = op % 16;
    const int reader = (op >> 4) % 4;
    const auto r = d.observe("urn:epc:id:giai:fuzz." + std::to_string(tag),
                             "reader-" + std::to_string(reader), microseconds{now});
    FUZZ_CHECK(r.ok());
    FUZZ_CHECK(d.size() <= max_entries);
    if (!model_valid) continue;

    ++recency;
    auto [it, inserted] = model.try_emplace({tag, reader}, ModelEntry{now, now, recency, 0});
    it->second.recency = recency;
    it->second.last_seen = std::max(it->second.last_seen, now);
    rfid::ReadDecision expected;
    if (inserted) {
      expected = {true, 0};
    } else if (now < it->second.window_start) {
      it->second.window_start = now;
      expected = {false, ++it->second.suppressed};
    } else if (!span_reached(it->second.window_start, now, window)) {
      expected = {false, ++it->second.suppressed};
    } else {
      expected = {true, it->second.suppressed};
      it->second.window_start = now;
      it->second.suppressed = 0;
    }
    FUZZ_CHECK(r.value() == expected);
  }
  return 0;
}
