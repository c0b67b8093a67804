// The forwarder against a plain TCP listener of the test's own: octet-counted frames in order, a receiver
// that goes away and comes back, and a full queue that drops (and counts) instead of blocking the caller.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "portcullis/siem/syslog_forwarder.hpp"

namespace portcullis::siem {
namespace {

// A listening socket on 127.0.0.1 and a free port.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 4);
    socklen_t length = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &length);
    port_ = ntohs(a.sin_port);
  }
  ~Listener() { ::close(fd_); }
  [[nodiscard]] std::string port() const { return std::to_string(port_); }
  // The next connection, or -1 after `wait`.
  int accept_one(std::chrono::milliseconds wait) const {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) != 1) return -1;
    return ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
  }

 private:
  int fd_ = -1;
  unsigned short port_ = 0;
};

// Reads from `fd` until `bytes` arrived or 5 s passed.
std::string read_bytes(int fd, std::size_t bytes) {
  std::string got;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (got.size() < bytes && std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) != 1) continue;
    char buffer[4096];
    const auto n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    got.append(buffer, static_cast<std::size_t>(n));
  }
  return got;
}

ForwarderConfig config_for(const Listener& listener) {
  ForwarderConfig c;
  c.host = "127.0.0.1";
  c.port = listener.port();
  c.first_retry = std::chrono::milliseconds(20);
  c.longest_retry = std::chrono::milliseconds(100);
  return c;
}

TEST(SyslogForwarder, SendsOctetCountedFramesInOrder) {
  Listener listener;
  metrics::SiemMetrics metrics;
  SyslogForwarder forwarder{config_for(listener), metrics};
  forwarder.start();
  ASSERT_TRUE(forwarder.enqueue("<84>1 - - - - - - first"));
  ASSERT_TRUE(forwarder.enqueue("<84>1 - - - - - - second"));
  const int connection = listener.accept_one(std::chrono::seconds(5));
  ASSERT_GE(connection, 0);
  EXPECT_EQ(read_bytes(connection, 53), "23 <84>1 - - - - - - first24 <84>1 - - - - - - second");
  forwarder.stop();
  EXPECT_EQ(metrics.forwarded.value(), 2u);
  EXPECT_EQ(metrics.dropped.value(), 0u);
  ::close(connection);
}

TEST(SyslogForwarder, AReceiverThatClosesTheConnectionGetsTheNextMessagesOnANewOne) {
  Listener listener;
  metrics::SiemMetrics metrics;
  SyslogForwarder forwarder{config_for(listener), metrics};
  forwarder.start();
  ASSERT_TRUE(forwarder.enqueue("one"));
  const int first = listener.accept_one(std::chrono::seconds(5));
  ASSERT_GE(first, 0);
  EXPECT_EQ(read_bytes(first, 5), "3 one");
  ::close(first);  // the receiver restarts
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(forwarder.enqueue("two"));
  const int second = listener.accept_one(std::chrono::seconds(5));
  ASSERT_GE(second, 0) << "no reconnection";
  EXPECT_EQ(read_bytes(second, 5), "3 two");
  forwarder.stop();
  ::close(second);
}

TEST(SyslogForwarder, AFullQueueDropsAndCountsWithoutBlockingTheCaller) {
  ForwarderConfig c;
  c.host = "127.0.0.1";
  c.port = "1";  // nothing listens on port 1 here: every connection is refused
  c.queue_capacity = 3;
  c.drain_at_stop = std::chrono::milliseconds(10);
  metrics::SiemMetrics metrics;
  SyslogForwarder forwarder{c, metrics};
  forwarder.start();
  const auto began = std::chrono::steady_clock::now();
  int accepted = 0;
  for (int i = 0; i < 10; ++i) accepted += forwarder.enqueue("m" + std::to_string(i)) ? 1 : 0;
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::milliseconds(100));
  EXPECT_EQ(accepted, 3);
  EXPECT_EQ(metrics.dropped.value(), 7u);
  forwarder.stop();
  EXPECT_EQ(metrics.dropped.value(), 10u) << "what was still queued at stop is counted too";
  EXPECT_GE(metrics.connect_failures.value(), 1u);
}

TEST(SyslogTarget, MalformedTargetsNameTheSetting) {
  EXPECT_EQ(parse_syslog_target("siem.example:6514").host, "siem.example");
  EXPECT_EQ(parse_syslog_target("[::1]:514").host, "::1");
  for (const char* bad : {"siem.example", "siem.example:", ":514", "siem.example:0", "siem.example:70000",
                          "siem.example:51x"}) {
    try {
      (void)parse_syslog_target(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string{e.what()}.find("syslog_target"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace portcullis::siem
