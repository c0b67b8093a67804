#include "raw_tls.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace portcullis::testing {

namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

std::string raw_tls_exchange(unsigned short port, const std::string& ca_file, const std::string& bytes,
                             std::chrono::milliseconds quiet) {
  net::io_context io;
  ssl::context tls{ssl::context::tls_client};
  tls.set_verify_mode(ssl::verify_peer);
  tls.load_verify_file(ca_file);
  ssl::stream<tcp::socket> stream{io, tls};
  tcp::resolver resolver{io};
  net::connect(stream.next_layer(), resolver.resolve("localhost", std::to_string(port)));
  timeval timeout{};
  timeout.tv_sec = static_cast<time_t>(quiet.count() / 1000);
  timeout.tv_usec = static_cast<suseconds_t>((quiet.count() % 1000) * 1000);
  setsockopt(stream.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  stream.handshake(ssl::stream_base::client);
  net::write(stream, net::buffer(bytes));
  std::string out;
  std::array<char, 16 * 1024> buffer{};
  // A server that keeps talking (a WebSocket it should have refused) still ends the exchange.
  const auto deadline = std::chrono::steady_clock::now() + 4 * quiet;
  while (std::chrono::steady_clock::now() < deadline) {
    boost::system::error_code ec;
    const auto n = stream.read_some(net::buffer(buffer), ec);
    out.append(buffer.data(), n);
    if (ec) break;  // closed, reset, or quiet for too long
  }
  return out;
}

std::vector<int> response_statuses(const std::string& replies) {
  std::vector<int> out;
  for (std::size_t at = replies.find("HTTP/1.1 "); at != std::string::npos;
       at = replies.find("HTTP/1.1 ", at + 1)) {
    if (at != 0 && replies[at - 1] != '\n') continue;
    out.push_back(std::stoi(replies.substr(at + 9, 3)));
  }
  return out;
}

}  // namespace portcullis::testing

namespace portcullis::testing {
namespace {

SSL* as_ssl(void* p) {
  return static_cast<SSL*>(p);
}

// Waits until `fd` is readable (or closed) within `wait`.
bool readable(int fd, std::chrono::milliseconds wait) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(wait.count())) > 0;
}

std::chrono::milliseconds time_left(std::chrono::steady_clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

}  // namespace

HeldConnection::HeldConnection(unsigned short port, const std::string& source_address) {
  // A write to a connection the server has closed must fail, not end the test process.
  ::signal(SIGPIPE, SIG_IGN);
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
  sockaddr_in local{};
  local.sin_family = AF_INET;
  if (::inet_pton(AF_INET, source_address.c_str(), &local.sin_addr) != 1 ||
      ::bind(fd_, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
    ::close(fd_);
    throw std::runtime_error("cannot bind to " + source_address);
  }
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0) {
    const auto why = std::string(std::strerror(errno));
    ::close(fd_);
    throw std::runtime_error("cannot connect from " + source_address + ": " + why);
  }
}

HeldConnection::HeldConnection(HeldConnection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      tls_context_(std::exchange(other.tls_context_, nullptr)),
      tls_(std::exchange(other.tls_, nullptr)) {}

HeldConnection::~HeldConnection() {
  if (tls_ != nullptr) SSL_free(as_ssl(tls_));
  if (tls_context_ != nullptr) SSL_CTX_free(static_cast<SSL_CTX*>(tls_context_));
  if (fd_ >= 0) ::close(fd_);
}

bool HeldConnection::handshake(const std::string& ca_file, std::chrono::milliseconds timeout) {
  auto* context = SSL_CTX_new(TLS_client_method());
  tls_context_ = context;
  SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_load_verify_locations(context, ca_file.c_str(), nullptr) != 1)
    throw std::runtime_error("cannot load " + ca_file);
  auto* ssl = SSL_new(context);
  tls_ = ssl;
  SSL_set_fd(ssl, fd_);
  timeval limit{};
  limit.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  limit.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  if (SSL_connect(ssl) != 1) return false;
  // From now on reads only take what has arrived (poll tells when): a record that is not application data (a
  // TLS 1.3 session ticket) must not leave SSL_read waiting for more.
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  return true;
}

bool HeldConnection::send(const std::string& bytes) {
  if (bytes.empty()) return true;
  if (tls_ != nullptr) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {  // non-blocking: wait for room when the socket buffer is full
      const int n = SSL_write(as_ssl(tls_), bytes.data() + sent, static_cast<int>(bytes.size() - sent));
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
        continue;
      }
      const int error = SSL_get_error(as_ssl(tls_), n);
      if (error != SSL_ERROR_WANT_WRITE && error != SSL_ERROR_WANT_READ) return false;
      pollfd p{fd_, static_cast<short>(error == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN), 0};
      if (::poll(&p, 1, 5000) <= 0) return false;
    }
    return true;
  }
  return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

bool HeldConnection::read_some(std::string& into, std::chrono::milliseconds wait) {
  std::array<char, 16 * 1024> buffer{};
  if (tls_ != nullptr && SSL_pending(as_ssl(tls_)) == 0 && !readable(fd_, wait)) return true;
  if (tls_ == nullptr && !readable(fd_, wait)) return true;
  if (tls_ != nullptr) {
    const int n = SSL_read(as_ssl(tls_), buffer.data(), static_cast<int>(buffer.size()));
    if (n > 0) {
      into.append(buffer.data(), static_cast<std::size_t>(n));
      return true;
    }
    const int error = SSL_get_error(as_ssl(tls_), n);
    return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE;
  }
  const auto n = ::recv(fd_, buffer.data(), buffer.size(), 0);
  if (n > 0) {
    into.append(buffer.data(), static_cast<std::size_t>(n));
    return true;
  }
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

bool HeldConnection::closed_by_server(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  std::string ignored;
  do {  // at least one look, however short the wait
    if (!read_some(ignored, time_left(deadline))) return true;
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

std::string HeldConnection::receive(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  std::string out;
  do {
    if (!read_some(out, time_left(deadline))) break;
  } while (std::chrono::steady_clock::now() < deadline);
  return out;
}

}  // namespace portcullis::testing
