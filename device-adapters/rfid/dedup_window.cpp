#include <algorithm>
#include <limits>

#include "portcullis/adapters/rfid_dedup.hpp"

namespace portcullis::adapters::rfid {
namespace {

Result<bool> check_identifier(std::string_view what, std::string_view id) {
  if (id.empty()) return make_error(ErrorCode::BadIdentifier, std::string(what) + " is empty");
  if (id.size() > kMaxIdentifierLength) {
    return make_error(ErrorCode::BadIdentifier, std::string(what) + " is " + std::to_string(id.size()) +
                                                    " characters, maximum " +
                                                    std::to_string(kMaxIdentifierLength));
  }
  return true;
}

// True when `to` is at least `span` after `from` (requires to >= from). Unsigned arithmetic keeps
// the difference exact over the whole int64 range, where a signed subtraction could overflow.
bool at_least_after(std::chrono::microseconds from, std::chrono::microseconds to,
                    std::chrono::microseconds span) {
  const auto diff = static_cast<std::uint64_t>(to.count()) - static_cast<std::uint64_t>(from.count());
  return diff >= static_cast<std::uint64_t>(span.count());
}

std::uint32_t saturating_increment(std::uint32_t v) {
  return v == std::numeric_limits<std::uint32_t>::max() ? v : v + 1;
}

}  // namespace

ReadDeduplicator::ReadDeduplicator(DedupOptions options) : options_(options) {
  options_.window = std::max(options_.window, std::chrono::microseconds{1});
  options_.max_entries = std::max<std::size_t>(options_.max_entries, 1);
}

Result<ReadDecision> ReadDeduplicator::observe(std::string_view epc, std::string_view reader,
                                               std::chrono::microseconds now) {
  if (auto r = check_identifier("EPC", epc); !r) return r.error();
  if (auto r = check_identifier("reader id", reader); !r) return r.error();

  // Length-prefixed so ("ab", "c") and ("a", "bc") are different keys whatever the characters.
  std::string key = std::to_string(epc.size()) + ':';
  key.append(epc);
  key.append(reader);

  if (auto found = index_.find(key); found != index_.end()) {
    const auto it = found->second;
    lru_.splice(lru_.begin(), lru_, it);  // iterators and the key's storage stay valid
    Entry& e = *it;
    e.last_seen = std::max(e.last_seen, now);
    if (now < e.window_start) {
      e.window_start = now;
      e.suppressed = saturating_increment(e.suppressed);
      return ReadDecision{false, e.suppressed};
    }
    if (!at_least_after(e.window_start, now, options_.window)) {
      e.suppressed = saturating_increment(e.suppressed);
      return ReadDecision{false, e.suppressed};
    }
    const std::uint32_t closed = e.suppressed;
    e.window_start = now;
    e.suppressed = 0;
    return ReadDecision{true, closed};
  }

  if (index_.size() >= options_.max_entries) {
    // Oldest by last read is at the back of the list.
    index_.erase(lru_.back().key);
    lru_.pop_back();
    ++evictions_;
  }
  lru_.push_front(Entry{std::move(key), now, now, 0});
  index_.emplace(lru_.front().key, lru_.begin());
  return ReadDecision{true, 0};
}

std::size_t ReadDeduplicator::prune(std::chrono::microseconds now) {
  std::size_t dropped = 0;
  // The list is ordered by most recent read; stop at the first entry still active.
  while (!lru_.empty()) {
    const Entry& e = lru_.back();
    const bool window_over = now >= e.window_start && at_least_after(e.window_start, now, options_.window);
    const bool idle = now >= e.last_seen && at_least_after(e.last_seen, now, options_.window);
    if (!(window_over && idle)) break;
    index_.erase(e.key);
    lru_.pop_back();
    ++dropped;
  }
  return dropped;
}

}  // namespace portcullis::adapters::rfid
