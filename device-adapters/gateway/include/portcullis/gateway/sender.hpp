#pragma once
// Sender: the thread-safe shell around an OutboundBuffer. The bus-reading thread adds events (never blocking
// on the network); one sender thread runs run(), posting batches through `post` (HttpsClient in the gateway,
// a fake in tests) and applying the answers. finish() ends the input: run() then returns once the buffer is
// empty or the drain deadline has passed.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "portcullis/gateway/outbound_buffer.hpp"

namespace portcullis::gateway {

struct PostAnswer {
  int status = 0;
  std::string body;
};

class Sender {
 public:
  // Posts one request body to /api/v1/events; throws std::exception on a network failure.
  using Post = std::function<PostAnswer(const std::string& body)>;
  using Log = std::function<void(const std::string&)>;

  Sender(OutboundBuffer& buffer, Post post, Log log = {});

  // From the reading thread. Returns how many were buffered (an event whose seq cannot be saved is logged
  // and lost: see OutboundBuffer::enqueue).
  // `seqs`, when given, receives each event's seq in order (-1 for a lost one).
  std::size_t add(std::vector<nlohmann::json> events, std::vector<std::int64_t>* seqs = nullptr);
  // The sender thread's loop.
  void run();
  // No more input: run() delivers what is buffered for at most `drain` and returns.
  void finish(std::chrono::steady_clock::duration drain);

  // Snapshot under the lock.
  [[nodiscard]] std::size_t buffered() const;
  [[nodiscard]] OutboundCounters counters() const;

 private:
  OutboundBuffer& buffer_;
  Post post_;
  Log log_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool input_done_ = false;
  std::chrono::steady_clock::time_point drain_deadline_ = std::chrono::steady_clock::time_point::max();
};

}  // namespace portcullis::gateway
