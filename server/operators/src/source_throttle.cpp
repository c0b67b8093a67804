#include "portcullis/operators/source_throttle.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace portcullis::operators {

SourceVerdict SourceThrottle::take(const std::string& source, core::Timestamp now) {
  const double burst = std::max(1, policy_.burst);
  const double refill_s = std::max(1e-3, std::chrono::duration<double>(policy_.refill_every).count());
  auto it = buckets_.find(source);
  if (it == buckets_.end()) {
    if (buckets_.size() >= std::max<std::size_t>(1, policy_.max_sources)) {
      buckets_.erase(recency_.back());  // forgotten: it starts again with a full bucket
      recency_.pop_back();
    }
    recency_.push_front(source);
    it = buckets_.emplace(source, Bucket{burst, now, recency_.begin()}).first;
  } else {
    recency_.splice(recency_.begin(), recency_, it->second.recency);
  }
  Bucket& b = it->second;
  const double elapsed = std::max(0.0, std::chrono::duration<double>(now - b.updated).count());
  b.tokens = std::min(burst, b.tokens + elapsed / refill_s);
  b.updated = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  const double wait_s = (1.0 - b.tokens) * refill_s;
  const auto wait =
      std::chrono::duration_cast<core::Duration>(std::chrono::duration<double>(std::ceil(wait_s)));
  return {false, std::max<core::Duration>(wait, std::chrono::seconds{1})};
}

}  // namespace portcullis::operators
