#pragma once
// The HTTPS listener (Boost.Beast + OpenSSL). Everything Beast-specific stays behind this interface.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "portcullis/http/connection_book.hpp"
#include "portcullis/http/router.hpp"

namespace portcullis::http {

struct WebSocketEndpoint;  // see websocket_endpoint.hpp

struct ServerConfig {
  std::string address = "127.0.0.1";
  unsigned short port = 8443;  // 0: any free port (tests)
  int threads = 2;
  std::string certificate_file;  // PEM chain
  std::string private_key_file;  // PEM
  std::string device_ca_file;    // PEM; when set, devices may authenticate with client certificates
  ConnectionLimits connections;  // checked at accept, before a TLS handshake is spent on the connection
  std::size_t body_limit = 1024 * 1024;
  // A body over this many bytes is read only when the request's header carries a valid credential (see
  // HttpsServer::set_credential_check); without one it is answered 401 unread.
  std::size_t unauthenticated_body_limit = 64 * 1024;
  std::size_t header_limit = 8 * 1024;
  std::chrono::seconds handshake_timeout{10};
  // The TLS handshake and the first request's header, from the accept; the header of every later request on
  // the connection, from its first byte. Never reset by a byte arriving: a header trickled a byte at a time
  // is cut off like a silent one.
  std::chrono::seconds header_timeout{20};
  std::chrono::seconds body_timeout{30};     // the whole body, from the end of its header
  std::chrono::seconds request_timeout{30};  // each write of the answer
  std::chrono::seconds idle_timeout{60};     // keep-alive between requests, until the next one's first byte
};

// Whether a request's header carries a valid credential: a device's bearer token or client certificate, or an
// operator's session. Sees only the Authorization header, the client certificate's name and the address (no
// body); runs on the network threads, so it must answer from memory, without blocking.
using CredentialCheck = std::function<bool(const HttpRequest&)>;

class HttpsServer {
 public:
  HttpsServer(ServerConfig config, const Router& router);
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  // Loads the certificates and binds; returns the bound port. Throws with a clear message on failure.
  unsigned short bind();
  // Serves on config.threads threads until stop(); blocks the caller (which is one of the threads).
  void run();
  void stop();

  // Upgrades on this path go to the WebSocket endpoint (the live stream). Set before bind().
  void set_websocket(std::string path, std::shared_ptr<WebSocketEndpoint> endpoint);
  // How a request's credential is checked before its body is read, and its address becomes known to the
  // connection limits. Without one no request carries a credential. Set before bind().
  void set_credential_check(CredentialCheck check);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portcullis::http
