#pragma once
// A small blocking TLS WebSocket client for the live stream (tests, benchmark, tools). Trusts exactly the
// given CA; sends the session token in the Authorization header of the upgrade request.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace portcullis::client {

class WssClient {
 public:
  WssClient(std::string host, unsigned short port, std::string ca_file);
  ~WssClient();

  // Throws std::runtime_error with the HTTP status when the upgrade is refused.
  void connect(const std::string& target, const std::string& bearer_token);
  // nullopt on timeout; throws when the connection closed.
  std::optional<std::string> read(std::chrono::milliseconds timeout);
  void send(const std::string& text);
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portcullis::client
