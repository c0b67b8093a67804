#pragma once
// Time in the core is always a value passed in, never read from the system: decisions are
// reproducible, replayable over stored history and testable without sleeping.
#include <chrono>
#include <cstdint>

namespace portcullis::core {

using Duration = std::chrono::microseconds;
using Timestamp = std::chrono::sys_time<Duration>;

[[nodiscard]] constexpr std::int64_t to_unix_micros(Timestamp t) noexcept {
  return t.time_since_epoch().count();
}
[[nodiscard]] constexpr Timestamp from_unix_micros(std::int64_t us) noexcept {
  return Timestamp{Duration{us}};
}

// The one place the adapters ask for "now". Tests inject a manual clock.
class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] Timestamp now() const override {
    return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(start) {}
  [[nodiscard]] Timestamp now() const override { return now_; }
  void advance(Duration d) { now_ += d; }
  void set(Timestamp t) { now_ = t; }

 private:
  Timestamp now_;
};

}  // namespace portcullis::core
