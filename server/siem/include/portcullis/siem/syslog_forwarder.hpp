#pragma once
// Sends syslog messages to one receiver over TCP with RFC 6587 octet-counting framing, from a thread of its
// own. enqueue() never blocks: it only takes a short lock to append to a bounded queue; when the queue is
// full (the receiver down or slower than the site) the message is dropped and counted
// (portcullis_siem_messages_dropped_total), because an access decision must never wait for a SIEM.
// While the receiver is unreachable the thread reconnects with a growing pause (0.5 s to 30 s); a message
// whose send failed is sent again on the next connection (at least once: the SIEM may see a message twice,
// and the site_seq in its structured data tells them apart).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "portcullis/metrics/metrics.hpp"

namespace portcullis::siem {

struct ForwarderConfig {
  std::string host;
  std::string port;
  std::size_t queue_capacity = 10000;
  std::chrono::milliseconds first_retry{500};
  std::chrono::milliseconds longest_retry{30000};
  // A connect or a send that takes longer ends the connection (a receiver that stopped reading).
  std::chrono::milliseconds io_timeout{5000};
  // At stop, how long queued messages may still be sent before the rest are counted as dropped.
  std::chrono::milliseconds drain_at_stop{2000};
};

// "host:port" or "[v6]:port"; throws std::runtime_error naming the setting when malformed.
[[nodiscard]] ForwarderConfig parse_syslog_target(const std::string& target);

class SyslogForwarder {
 public:
  SyslogForwarder(ForwarderConfig config, metrics::SiemMetrics& metrics);
  ~SyslogForwarder();
  SyslogForwarder(const SyslogForwarder&) = delete;
  SyslogForwarder& operator=(const SyslogForwarder&) = delete;

  void start();
  // Sends what it can within drain_at_stop, then stops the thread.
  void stop();
  // `message` is one RFC 5424 message, without framing. False when it was dropped (queue full or stopped).
  bool enqueue(std::string message);

 private:
  void run();
  bool connect_once();
  bool send_framed(const std::string& frame);
  bool peer_closed() const;
  void disconnect();

  ForwarderConfig config_;
  metrics::SiemMetrics& metrics_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> queue_;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point stop_deadline_{};
  int fd_ = -1;
  std::thread thread_;
};

}  // namespace portcullis::siem
