#pragma once
// Who may open a connection, decided when it is accepted, before a TLS handshake is spent on it: a limit per
// source address, a rate of new connections per address, and a share of the server's connections kept for
// addresses that have shown a credential. Every connection counts from its accept to its close, whatever it
// is doing: a TLS handshake, a request being read or answered, an idle keep-alive or a WebSocket stream.
// Standard library only, time passed in: tested without a socket.
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace portcullis::http {

struct ConnectionLimits {
  std::size_t max_connections = 2048;
  std::size_t max_per_address = 64;
  // The last `reserved_for_known` of max_connections go only to known addresses: a flood from many addresses
  // cannot keep door controllers and consoles that reconnect out.
  std::size_t reserved_for_known = 512;
  // New connections per second from an address that is not known (twice as many at once); known addresses
  // are not held to it (a controller reconnecting after a network blip must get in).
  double new_per_second = 50.0;
  // An address is known for this long after a request from it carried a valid credential (a device token or
  // certificate, an operator session); at most `remembered_addresses` are remembered (the oldest go first).
  std::chrono::hours known_for{24};
  std::size_t remembered_addresses = 4096;
};

enum class Admission {
  admitted,
  over_address_limit,  // the address holds max_per_address connections
  over_address_rate,   // an unknown address opening connections faster than new_per_second
  over_shared_limit,   // an unknown address, and only the share reserved for known addresses is left
  over_limit,          // max_connections are open
};

class ConnectionBook {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ConnectionBook(ConnectionLimits limits);

  // Counts a new connection from `address` when the limits allow it.
  Admission admit(const std::string& address, Clock::time_point now);
  // The connection from `address` that admit() counted has closed.
  void release(const std::string& address);
  // A request from `address` carried a valid credential.
  void mark_known(const std::string& address, Clock::time_point now);

  [[nodiscard]] std::size_t open() const;
  [[nodiscard]] std::size_t open_from(const std::string& address) const;
  [[nodiscard]] bool known(const std::string& address, Clock::time_point now) const;
  [[nodiscard]] const ConnectionLimits& limits() const noexcept { return limits_; }
  // Addresses the book holds state for (open connections, or a rate still being paid off).
  [[nodiscard]] std::size_t tracked_addresses() const;

 private:
  struct Address {
    std::size_t open = 0;
    double tokens = 0;  // new connections it may still open at once
    Clock::time_point refilled{};
  };
  [[nodiscard]] bool known_locked(const std::string& address, Clock::time_point now) const;
  void forget_idle_addresses(Clock::time_point now);

  const ConnectionLimits limits_;
  mutable std::mutex mutex_;
  std::size_t open_ = 0;
  std::unordered_map<std::string, Address> addresses_;
  std::unordered_map<std::string, Clock::time_point> known_;  // address -> last credential seen
};

// One admitted connection's place in the book, given back when it is destroyed. Moves with the connection
// from its HTTP session to the WebSocket stream it may become.
class ConnectionSlot {
 public:
  ConnectionSlot(std::shared_ptr<ConnectionBook> book, std::string address)
      : book_(std::move(book)), address_(std::move(address)) {}
  ~ConnectionSlot() { book_->release(address_); }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

  void mark_known() { book_->mark_known(address_, ConnectionBook::Clock::now()); }
  [[nodiscard]] const std::string& address() const noexcept { return address_; }

 private:
  std::shared_ptr<ConnectionBook> book_;
  std::string address_;
};

}  // namespace portcullis::http
