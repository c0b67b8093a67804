#pragma once
// A simulated device's connection to the server: its DeviceState (seq, store-and-forward buffer) plus one
// keep-alive HTTPS client. Only the oldest buffered event is in flight; 503 and network failures keep it
// buffered and schedule a retry with exponential backoff; any other refusal drops it (counted, reported).
#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "portcullis/client/https_client.hpp"
#include "portcullis/sim/forward_buffer.hpp"

namespace portcullis::sim {

struct ServerAddress {
  std::string host;
  unsigned short port = 8443;
};
// "https://host:port" (port optional, default 443). Throws std::invalid_argument.
ServerAddress parse_server_url(const std::string& url);
// Reads a token file and trims whitespace. Throws std::runtime_error naming the file.
std::string read_token_file(const std::string& path);

struct Delivery {
  enum class Status { Stored, Duplicate, Rejected };
  Status status = Status::Stored;
  std::uint64_t tag = 0;
  std::int64_t seq = 0;
  int http_status = 0;
  nlohmann::json outcome;        // the answer's "outcome" (stored/duplicate)
  std::string error;             // for Rejected: the server's error body
  std::uint64_t latency_us = 0;  // of the request that got this answer
  int attempts = 0;
};

class DeviceLink {
 public:
  using Clock = std::chrono::steady_clock;
  using OnDelivery = std::function<void(const Delivery&)>;
  using OnNotice = std::function<void(const std::string&)>;

  DeviceLink(std::string device_id, std::string token, const ServerAddress& server, client::ClientTls tls,
             std::int64_t first_seq, std::size_t buffer_capacity, bool clock_seq);

  // Records an event now (assigns seq and device time) into the buffer. Returns the seq.
  std::int64_t enqueue(const nlohmann::json& event, std::uint64_t tag);
  // Sends buffered events in order (at most max_events) while the server accepts them and no retry is
  // pending. Never throws for network or server trouble. Returns true when the buffer is empty afterwards.
  bool pump(const OnDelivery& on_delivery, std::size_t max_events = SIZE_MAX);
  // The caller's tag of the oldest buffered event (the next to send), or UINT64_MAX when empty.
  [[nodiscard]] std::uint64_t front_tag() const noexcept {
    const auto* f = state_.buffer().front();
    return f == nullptr ? UINT64_MAX : f->tag;
  }
  // When the next retry is due (Clock::time_point::min() when not waiting).
  [[nodiscard]] Clock::time_point retry_at() const noexcept { return retry_at_; }
  [[nodiscard]] const DeviceState& state() const noexcept { return state_; }
  [[nodiscard]] const std::string& id() const noexcept { return state_.id(); }
  void set_notice(OnNotice notice) { notice_ = std::move(notice); }

  std::uint64_t unavailable = 0;  // 503 answers
  std::uint64_t network_errors = 0;
  std::uint64_t retries = 0;

 private:
  void fail_and_wait(const std::string& why);

  DeviceState state_;
  std::string token_;
  client::HttpsClient client_;
  Backoff backoff_;
  Clock::time_point retry_at_ = Clock::time_point::min();
  bool was_down_ = false;
  bool clock_seq_ = false;  // seqs follow the wall clock in microseconds (no --seq-base given)
  OnNotice notice_;
};

}  // namespace portcullis::sim
