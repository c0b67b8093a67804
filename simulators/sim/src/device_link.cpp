#include "device_link.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "portcullis/sim/scenario.hpp"

namespace portcullis::sim {

ServerAddress parse_server_url(const std::string& url) {
  const std::string scheme = "https://";
  if (url.rfind(scheme, 0) != 0)
    throw std::invalid_argument("--server must start with https://, got '" + url + "'");
  std::string rest = url.substr(scheme.size());
  if (const auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
  ServerAddress a;
  const auto colon = rest.rfind(':');
  const auto bracket = rest.find(']');
  if (colon == std::string::npos || (bracket != std::string::npos && colon < bracket)) {
    a.host = rest;
    a.port = 443;
  } else {
    a.host = rest.substr(0, colon);
    int port = -1;
    try {
      std::size_t used = 0;
      port = std::stoi(rest.substr(colon + 1), &used);
      if (used != rest.size() - colon - 1) port = -1;
    } catch (const std::exception&) {
    }
    if (port <= 0 || port > 65535) throw std::invalid_argument("bad port in --server '" + url + "'");
    a.port = static_cast<unsigned short>(port);
  }
  if (a.host.size() > 2 && a.host.front() == '[' && a.host.back() == ']')
    a.host = a.host.substr(1, a.host.size() - 2);
  if (a.host.empty()) throw std::invalid_argument("no host in --server '" + url + "'");
  return a;
}

std::string read_token_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read token file " + path);
  std::stringstream s;
  s << in.rdbuf();
  std::string token = s.str();
  const auto first = token.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) throw std::runtime_error("token file " + path + " is empty");
  const auto last = token.find_last_not_of(" \t\r\n");
  return token.substr(first, last - first + 1);
}

DeviceLink::DeviceLink(std::string device_id, std::string token, const ServerAddress& server,
                       client::ClientTls tls, std::int64_t first_seq, std::size_t buffer_capacity,
                       bool clock_seq)
    : state_(std::move(device_id), first_seq, buffer_capacity),
      token_(std::move(token)),
      client_(server.host, server.port, std::move(tls)),
      clock_seq_(clock_seq) {}

std::int64_t DeviceLink::enqueue(const nlohmann::json& event, std::uint64_t tag) {
  const std::int64_t seq = state_.next_seq(clock_seq_ ? default_first_seq() : 0);
  PendingEvent pending;
  pending.seq = seq;
  pending.tag = tag;
  pending.body = event_body(state_.id(), seq, std::chrono::system_clock::now(), event);
  auto& buffer = state_.buffer();
  if (auto dropped = buffer.push(std::move(pending)); dropped && notice_) {
    // Every drop is counted; printed for the 1st, 2nd, 4th, 8th... and every 1000th, to stay readable.
    const auto n = buffer.dropped();
    if ((n & (n - 1)) == 0 || n % 1000 == 0) {
      notice_(state_.id() + ": store-and-forward buffer full (" + std::to_string(buffer.capacity()) +
              " events), dropped the oldest, seq " + std::to_string(dropped->seq) + " (" + std::to_string(n) +
              " dropped so far)");
    }
  }
  return seq;
}

void DeviceLink::fail_and_wait(const std::string& why) {
  const auto delay = backoff_.next();
  retry_at_ = Clock::now() + delay;
  if (!was_down_ && notice_) {
    notice_(state_.id() + ": " + why + "; buffering (" + std::to_string(state_.buffer().size()) +
            " waiting), retrying with backoff");
  }
  was_down_ = true;
}

bool DeviceLink::pump(const OnDelivery& on_delivery, std::size_t max_events) {
  auto& buffer = state_.buffer();
  for (std::size_t sent = 0; sent < max_events; ++sent) {
    PendingEvent* next = buffer.front();
    if (next == nullptr) break;
    if (Clock::now() < retry_at_) return false;
    if (next->attempts > 0) ++retries;
    ++next->attempts;
    const auto started = Clock::now();
    client::HttpReply reply;
    try {
      reply = client_.post_json("/api/v1/events", next->body, token_);
    } catch (const std::exception& e) {
      ++network_errors;
      std::string why = e.what();
      if (const auto detail = why.find(" [system:"); detail != std::string::npos) why.resize(detail);
      fail_and_wait("server unreachable (" + why + ")");
      return false;
    }
    const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
    if (reply.status == 503) {
      ++unavailable;
      fail_and_wait("server busy (503)");
      return false;
    }
    Delivery d;
    d.tag = next->tag;
    d.seq = next->seq;
    d.http_status = reply.status;
    d.latency_us = static_cast<std::uint64_t>(latency.count());
    d.attempts = next->attempts;
    if (reply.status == 200) {
      auto answer = nlohmann::json::parse(reply.body, nullptr, false);
      const auto status = answer.is_object() ? answer.value("status", std::string{}) : std::string{};
      const auto seq = answer.is_object() ? answer.value("seq", std::int64_t{0}) : 0;
      if ((status == "stored" || status == "duplicate") && seq == next->seq) {
        d.status = status == "stored" ? Delivery::Status::Stored : Delivery::Status::Duplicate;
        d.outcome = answer.value("outcome", nlohmann::json{});
        buffer.acknowledge(d.seq);
      } else {
        d.status = Delivery::Status::Rejected;
        d.error = "unexpected answer: " + reply.body.substr(0, 300);
        buffer.reject_front();
      }
    } else {
      // 4xx (or another 5xx): resending the same event cannot succeed; drop it and report.
      d.status = Delivery::Status::Rejected;
      d.error = reply.body.substr(0, 300);
      buffer.reject_front();
    }
    if (was_down_ && notice_)
      notice_(state_.id() + ": server answering again, replaying buffered events in order");
    was_down_ = false;
    backoff_.reset();
    retry_at_ = Clock::time_point::min();
    if (on_delivery) on_delivery(d);
  }
  return buffer.empty();
}

}  // namespace portcullis::sim
