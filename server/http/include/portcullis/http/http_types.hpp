#pragma once
// Plain request/response values: route handlers see these, never Beast types, so they compile fast
// and can be tested without a socket.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace portcullis::http {

struct HttpRequest {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // without the query
  std::string query;                           // after '?', undecoded
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote_address;
  // Common name of a client certificate that verified against the device CA (mutual TLS).
  std::optional<std::string> client_certificate_cn;

  [[nodiscard]] const std::string* header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? nullptr : &it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Called exactly once, from any thread; the connection takes it back to its own executor.
using Responder = std::function<void(HttpResponse)>;

// {"error": {"field": ..., "message": ...}} with the given status.
[[nodiscard]] HttpResponse json_error(int status, const std::string& field, const std::string& message);
[[nodiscard]] std::string json_escape(const std::string& text);

}  // namespace portcullis::http
