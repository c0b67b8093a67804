#include "portcullis/sim/forward_buffer.hpp"

#include <algorithm>
#include <stdexcept>

namespace portcullis::sim {

ForwardBuffer::ForwardBuffer(std::size_t capacity) : capacity_(capacity) {
  if (capacity_ == 0)
    throw std::invalid_argument("a store-and-forward buffer needs room for at least one event");
}

std::optional<PendingEvent> ForwardBuffer::push(PendingEvent event) {
  if (event.seq <= last_seq_) {
    throw std::logic_error("seq " + std::to_string(event.seq) + " does not follow " +
                           std::to_string(last_seq_));
  }
  last_seq_ = event.seq;
  ++pushed_;
  std::optional<PendingEvent> dropped;
  if (events_.size() == capacity_) {
    dropped = std::move(events_.front());
    events_.pop_front();
    ++dropped_;
  }
  events_.push_back(std::move(event));
  return dropped;
}

bool ForwardBuffer::acknowledge(std::int64_t seq) {
  if (events_.empty() || events_.front().seq != seq) return false;
  events_.pop_front();
  ++acknowledged_;
  return true;
}

bool ForwardBuffer::reject_front() {
  if (events_.empty()) return false;
  events_.pop_front();
  ++rejected_;
  return true;
}

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max)
    : initial_(initial), max_(std::max(initial, max)), current_(initial) {}

std::chrono::milliseconds Backoff::next() noexcept {
  const auto delay = current_;
  current_ = std::min(max_, current_ * 2);
  return delay;
}

DeviceState::DeviceState(std::string id, std::int64_t first_seq, std::size_t buffer_capacity)
    : id_(std::move(id)), next_seq_(first_seq), buffer_(buffer_capacity) {
  if (first_seq < 1) throw std::invalid_argument("seq starts at 1 or later");
}

std::int64_t default_first_seq() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace portcullis::sim
