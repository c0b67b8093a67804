#pragma once
// Sign-in attempts per source address: a token bucket per address, so one client cannot keep the password
// hashing pool busy (each attempt costs a deliberately slow scrypt hash) and starve everyone else's
// sign-ins. Complements the per-account throttle (login_throttle.hpp), which an attacker spraying many
// names would never trip. Pure: time is passed in; the table is bounded (the least recently seen address
// is forgotten first), so an attacker with many addresses cannot grow memory. Numbers: docs/api.md.
#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>

#include "portcullis/core/time.hpp"

namespace portcullis::operators {

struct SourceThrottlePolicy {
  int burst = 10;                                         // attempts an address may make at once...
  core::Duration refill_every = std::chrono::seconds{6};  // ...then one more per this (10 a minute)
  std::size_t max_sources = 4096;                         // addresses remembered at once
};

struct SourceVerdict {
  bool allowed = true;
  core::Duration retry_after{0};  // when refused: until the address has an attempt again
};

class SourceThrottle {
 public:
  explicit SourceThrottle(SourceThrottlePolicy policy = {}) : policy_(policy) {}
  // Takes one attempt from the address's bucket, or says how long until it has one. Not thread-safe.
  [[nodiscard]] SourceVerdict take(const std::string& source, core::Timestamp now);
  [[nodiscard]] std::size_t size() const noexcept { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens = 0;
    core::Timestamp updated{};
    std::list<std::string>::iterator recency;
  };
  SourceThrottlePolicy policy_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> recency_;  // most recently seen first
};

}  // namespace portcullis::operators
