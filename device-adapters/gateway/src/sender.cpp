#include "portcullis/gateway/sender.hpp"

#include <exception>
#include <optional>

namespace portcullis::gateway {

using Steady = std::chrono::steady_clock;

Sender::Sender(OutboundBuffer& buffer, Post post, Log log)
    : buffer_(buffer), post_(std::move(post)), log_(std::move(log)) {}

std::size_t Sender::add(std::vector<nlohmann::json> events, std::vector<std::int64_t>* seqs) {
  if (events.empty()) return 0;
  std::size_t added = 0;
  {
    std::lock_guard lock{mutex_};
    for (auto& e : events) {
      try {
        const auto seq = buffer_.enqueue(std::move(e));
        if (seqs != nullptr) seqs->push_back(seq);
        ++added;
      } catch (const std::exception& ex) {
        if (seqs != nullptr) seqs->push_back(-1);
        if (log_) log_(std::string("ALARM: event lost: ") + ex.what());
      }
    }
  }
  wake_.notify_all();
  return added;
}

void Sender::finish(Steady::duration drain) {
  {
    std::lock_guard lock{mutex_};
    input_done_ = true;
    drain_deadline_ = Steady::now() + drain;
  }
  wake_.notify_all();
}

std::size_t Sender::buffered() const {
  std::lock_guard lock{mutex_};
  return buffer_.size();
}

OutboundCounters Sender::counters() const {
  std::lock_guard lock{mutex_};
  return buffer_.counters();
}

void Sender::run() {
  std::unique_lock lock{mutex_};
  for (;;) {
    const auto now = Steady::now();
    if (input_done_ && now >= drain_deadline_) return;
    auto batch = buffer_.next_batch(now);
    if (!batch) {
      if (input_done_ && buffer_.empty()) return;
      auto until = buffer_.empty() ? now + std::chrono::seconds{1} : std::max(buffer_.retry_at(), now);
      wake_.wait_until(lock, std::min(until, drain_deadline_));
      continue;
    }
    lock.unlock();
    std::optional<PostAnswer> answer;
    std::string failure;
    try {
      answer = post_(batch->body);
    } catch (const std::exception& e) {
      failure = e.what();
      if (const auto detail = failure.find(" [system:"); detail != std::string::npos) failure.resize(detail);
    }
    lock.lock();
    if (answer)
      buffer_.on_answer(*batch, answer->status, answer->body, Steady::now());
    else
      buffer_.on_network_error(*batch, failure, Steady::now());
  }
}

}  // namespace portcullis::gateway
