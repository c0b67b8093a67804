#pragma once
// Per-device state of a simulated device: its seq counter and its store-and-forward buffer.
//
// Semantics (docs/simulator.md): every event gets the next seq of its device when it happens and is kept in
// the buffer until the server acknowledges that seq ("stored" or "duplicate"). Events leave in seq order;
// only the oldest unacknowledged event is in flight, so a lost answer makes the device resend the same
// (device, seq), which the server answers as "duplicate": each event is stored exactly once. The buffer is
// bounded: when it is full the oldest event is dropped and counted (a real controller's memory is finite
// too); the caller prints it.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace portcullis::sim {

struct PendingEvent {
  std::int64_t seq = 0;
  std::string body;       // the exact request body, resent unchanged (same seq and device time)
  std::uint64_t tag = 0;  // caller's reference, e.g. the scenario step
  int attempts = 0;       // sends so far
};

class ForwardBuffer {
 public:
  explicit ForwardBuffer(std::size_t capacity);

  // Appends an event; its seq must be greater than every seq pushed before (throws std::logic_error).
  // When the buffer is full the oldest event is removed and returned (and counted in dropped()).
  std::optional<PendingEvent> push(PendingEvent event);
  // The oldest unacknowledged event, the one to send next; null when empty.
  [[nodiscard]] PendingEvent* front() noexcept { return events_.empty() ? nullptr : &events_.front(); }
  [[nodiscard]] const PendingEvent* front() const noexcept {
    return events_.empty() ? nullptr : &events_.front();
  }
  // The server acknowledged `seq`: removes it when it is the oldest event. Returns false (and changes
  // nothing) for any other seq, e.g. a late second answer for an event already acknowledged.
  bool acknowledge(std::int64_t seq);
  // The server refused the oldest event for good (4xx other than 503): removes it, counted in rejected().
  bool reject_front();

  [[nodiscard]] std::size_t size() const noexcept { return events_.size(); }
  [[nodiscard]] bool empty() const noexcept { return events_.empty(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] std::uint64_t dropped() const noexcept { return dropped_; }
  [[nodiscard]] std::uint64_t acknowledged() const noexcept { return acknowledged_; }
  [[nodiscard]] std::uint64_t rejected() const noexcept { return rejected_; }
  [[nodiscard]] std::uint64_t pushed() const noexcept { return pushed_; }

 private:
  std::size_t capacity_;
  std::deque<PendingEvent> events_;
  std::int64_t last_seq_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t acknowledged_ = 0;
  std::uint64_t rejected_ = 0;
  std::uint64_t pushed_ = 0;
};

// Exponential retry delay: initial, doubled after each failure up to max; reset after a success.
class Backoff {
 public:
  explicit Backoff(std::chrono::milliseconds initial = std::chrono::milliseconds{100},
                   std::chrono::milliseconds max = std::chrono::milliseconds{5000});
  // The delay before the next retry; each call doubles the following one.
  std::chrono::milliseconds next() noexcept;
  void reset() noexcept { current_ = initial_; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds current_;
};

// A simulated device: id, seq counter and buffer. Seqs strictly increase from `first_seq`; with a `floor`
// (the wall clock in microseconds, see default_first_seq) they also never lag behind the clock, so a device
// id shared with another clock-based sender (a restarted simulator, the demo's curl example) keeps going.
class DeviceState {
 public:
  DeviceState(std::string id, std::int64_t first_seq, std::size_t buffer_capacity);
  [[nodiscard]] const std::string& id() const noexcept { return id_; }
  // Assigns the next seq: max(previous + 1, floor).
  [[nodiscard]] std::int64_t next_seq(std::int64_t floor = 0) noexcept {
    const std::int64_t seq = next_seq_ > floor ? next_seq_ : floor;
    next_seq_ = seq + 1;
    return seq;
  }
  [[nodiscard]] std::int64_t peek_seq() const noexcept { return next_seq_; }
  ForwardBuffer& buffer() noexcept { return buffer_; }
  [[nodiscard]] const ForwardBuffer& buffer() const noexcept { return buffer_; }

 private:
  std::string id_;
  std::int64_t next_seq_;
  ForwardBuffer buffer_;
};

[[nodiscard]] std::int64_t default_first_seq();

}  // namespace portcullis::sim
