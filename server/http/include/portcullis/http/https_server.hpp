#pragma once
// The HTTPS listener (Boost.Beast + OpenSSL). Everything Beast-specific stays behind this interface.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

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
  std::size_t max_connections = 2048;
  std::size_t body_limit = 1024 * 1024;
  std::size_t header_limit = 8 * 1024;
  std::chrono::seconds handshake_timeout{10};
  std::chrono::seconds request_timeout{30};  // whole request, from first byte
  std::chrono::seconds idle_timeout{60};     // keep-alive between requests
};

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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portcullis::http
