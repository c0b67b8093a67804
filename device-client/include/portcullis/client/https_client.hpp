#pragma once
// A small blocking HTTPS/1.1 client with keep-alive, used by simulated devices, the edge gateway, the
// benchmark and the end-to-end tests. It trusts exactly the given CA (never "ignore TLS errors").
#include <memory>
#include <optional>
#include <string>

namespace portcullis::client {

struct ClientTls {
  std::string ca_file;           // verifies the server
  std::string certificate_file;  // optional client certificate (device mTLS)
  std::string private_key_file;
};

struct HttpReply {
  int status = 0;
  std::string body;
};

class HttpsClient {
 public:
  HttpsClient(std::string host, unsigned short port, ClientTls tls);
  ~HttpsClient();
  HttpsClient(HttpsClient&&) noexcept;
  HttpsClient& operator=(HttpsClient&&) noexcept;

  // Throws std::runtime_error on connection or TLS failure; the next call reconnects.
  HttpReply request(const std::string& method, const std::string& target, const std::string& body,
                    const std::string& bearer_token = {});
  HttpReply post_json(const std::string& target, const std::string& body,
                      const std::string& bearer_token = {}) {
    return request("POST", target, body, bearer_token);
  }
  HttpReply get(const std::string& target, const std::string& bearer_token = {}) {
    return request("GET", target, {}, bearer_token);
  }
  void disconnect();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portcullis::client
