#pragma once
// Bytes exactly as given, over one TLS connection: for requests an HTTP client library would refuse to
// send (invalid UTF-8 in the target, conflicting framing headers, a second request smuggled in a body).
#include <chrono>
#include <string>
#include <vector>

namespace portcullis::testing {

// Sends `bytes` to localhost:`port` (trusting `ca_file`) and returns everything the server sends back
// until it closes the connection, `quiet` passes without a byte, or four times `quiet` have passed.
std::string raw_tls_exchange(unsigned short port, const std::string& ca_file, const std::string& bytes,
                             std::chrono::milliseconds quiet = std::chrono::milliseconds(1500));

// The status codes of every HTTP response in `replies` ("HTTP/1.1 400 ..." lines), in order.
std::vector<int> response_statuses(const std::string& replies);

}  // namespace portcullis::testing

namespace portcullis::testing {

// One client connection held open from a chosen loopback source address (127.0.0.2, 127.0.0.3, ...): every
// address in 127/8 reaches a server listening on 127.0.0.1, so one machine can play many clients that the
// server tells apart by address. Plain sockets and OpenSSL (no event loop per connection), so a test can hold
// hundreds of them.
class HeldConnection {
 public:
  // Connects over TCP from `source_address`; nothing is sent (a TLS handshake not started). Throws when the
  // connection cannot be made at all.
  HeldConnection(unsigned short port, const std::string& source_address);
  ~HeldConnection();
  HeldConnection(HeldConnection&& other) noexcept;
  HeldConnection& operator=(HeldConnection&&) = delete;
  HeldConnection(const HeldConnection&) = delete;
  HeldConnection& operator=(const HeldConnection&) = delete;

  // Completes a TLS handshake trusting `ca_file`; false when the server refuses or closes the connection.
  bool handshake(const std::string& ca_file, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Sends bytes (over TLS once the handshake is done); false when the connection is gone.
  bool send(const std::string& bytes);
  // True when the server closed (or reset) the connection, waiting up to `wait` for it.
  bool closed_by_server(std::chrono::milliseconds wait);
  // What the server sends within `wait` (less when it closes the connection first).
  std::string receive(std::chrono::milliseconds wait);

 private:
  // Reads what is there within `wait`: false when the connection is closed.
  bool read_some(std::string& into, std::chrono::milliseconds wait);

  int fd_ = -1;
  void* tls_context_ = nullptr;  // SSL_CTX*, kept out of this header
  void* tls_ = nullptr;          // SSL*
};

}  // namespace portcullis::testing
