#include "portcullis/siem/syslog_forwarder.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "portcullis/logging/log.hpp"
#include "portcullis/siem/syslog_message.hpp"

namespace portcullis::siem {
namespace {

int milliseconds(std::chrono::milliseconds d) {
  return static_cast<int>(d.count());
}

}  // namespace

ForwarderConfig parse_syslog_target(const std::string& target) {
  ForwarderConfig config;
  const auto colon = target.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == target.size())
    throw std::runtime_error("syslog_target must be HOST:PORT, got '" + target + "'");
  config.host = target.substr(0, colon);
  config.port = target.substr(colon + 1);
  if (config.host.size() > 2 && config.host.front() == '[' && config.host.back() == ']')
    config.host = config.host.substr(1, config.host.size() - 2);
  int port = 0;
  try {
    std::size_t used = 0;
    port = std::stoi(config.port, &used);
    if (used != config.port.size()) port = 0;
  } catch (const std::exception&) {
    port = 0;
  }
  if (port < 1 || port > 65535)
    throw std::runtime_error("syslog_target port must be 1 to 65535, got '" + target + "'");
  return config;
}

SyslogForwarder::SyslogForwarder(ForwarderConfig config, metrics::SiemMetrics& metrics)
    : config_(std::move(config)), metrics_(metrics) {}

SyslogForwarder::~SyslogForwarder() {
  stop();
}

void SyslogForwarder::start() {
  thread_ = std::thread([this] { run(); });
}

void SyslogForwarder::stop() {
  {
    std::lock_guard lock{mutex_};
    if (stopping_) return;
    stopping_ = true;
    stop_deadline_ = std::chrono::steady_clock::now() + config_.drain_at_stop;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock{mutex_};
  metrics_.dropped.add(queue_.size());
  queue_.clear();
  metrics_.queue_depth.set(0);
  disconnect();
}

bool SyslogForwarder::enqueue(std::string message) {
  {
    std::lock_guard lock{mutex_};
    if (stopping_ || queue_.size() >= config_.queue_capacity) {
      metrics_.dropped.add();
      return false;
    }
    queue_.push_back(std::move(message));
    metrics_.queue_depth.set(static_cast<std::int64_t>(queue_.size()));
  }
  wake_.notify_one();
  return true;
}

void SyslogForwarder::disconnect() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  metrics_.connected.set(0);
}

bool SyslogForwarder::connect_once() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(config_.host.c_str(), config_.port.c_str(), &hints, &found) != 0) return false;
  for (auto* a = found; a != nullptr && fd_ < 0; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    bool connected = ::connect(fd, a->ai_addr, a->ai_addrlen) == 0;
    if (!connected && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      int error = 0;
      socklen_t length = sizeof error;
      connected = ::poll(&p, 1, milliseconds(config_.io_timeout)) == 1 &&
                  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0;
    }
    if (connected) {
      fd_ = fd;
    } else {
      ::close(fd);
    }
  }
  ::freeaddrinfo(found);
  if (fd_ >= 0) metrics_.connected.set(1);
  return fd_ >= 0;
}

// Whether the receiver closed its side: the feed never reads, so a readable socket means an end of stream
// (or bytes the receiver should not send). Checked before each send so a message is not written into a
// connection that is already gone (its loss would only show as an error on the send after it).
bool SyslogForwarder::peer_closed() const {
  pollfd p{fd_, POLLIN | POLLRDHUP, 0};
  if (::poll(&p, 1, 0) != 1) return false;
  return (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLIN)) != 0;
}

bool SyslogForwarder::send_framed(const std::string& frame) {
  std::size_t sent = 0;
  while (sent < frame.size()) {
    const auto n = ::send(fd_, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, milliseconds(config_.io_timeout)) == 1 && (p.revents & POLLOUT) != 0) continue;
    }
    return false;
  }
  return true;
}

void SyslogForwarder::run() {
  auto pause = config_.first_retry;
  bool reported_down = false;
  for (;;) {
    std::string next;
    {
      std::unique_lock lock{mutex_};
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping with nothing left
      if (stopping_ && std::chrono::steady_clock::now() >= stop_deadline_) return;
      next = queue_.front();
    }
    if (fd_ >= 0 && peer_closed()) disconnect();
    if (fd_ < 0 && !connect_once()) {
      metrics_.connect_failures.add();
      if (!reported_down) {
        logging::warn("siem", "cannot reach the syslog receiver; queueing and retrying",
                      {{"target", config_.host + ":" + config_.port}});
        reported_down = true;
      }
      std::unique_lock lock{mutex_};
      if (stopping_) return;  // nothing can be sent: the rest is counted as dropped by stop()
      wake_.wait_for(lock, pause, [&] { return stopping_; });
      pause = std::min(pause * 2, config_.longest_retry);
      continue;
    }
    if (reported_down) {
      logging::info("siem", "connected to the syslog receiver",
                    {{"target", config_.host + ":" + config_.port}});
      reported_down = false;
    }
    pause = config_.first_retry;
    if (!send_framed(octet_counted(next))) {
      disconnect();  // sent again on the next connection
      continue;
    }
    std::lock_guard lock{mutex_};
    queue_.pop_front();
    metrics_.forwarded.add();
    metrics_.queue_depth.set(static_cast<std::int64_t>(queue_.size()));
  }
}

}  // namespace portcullis::siem
