#pragma once
// Plain request/response values: route handlers see these, never Beast types, so they compile fast
// and can be tested without a socket.
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
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

// A response body produced piece by piece on another thread (a report of any size). The connection sends
// it with chunked transfer encoding as the pieces come; at most `capacity` pieces wait in between, so memory
// stays bounded whatever the size of the body, and a slow client slows the producer down.
class BodyChannel {
 public:
  explicit BodyChannel(std::size_t capacity = 4) : capacity_(capacity) {}

  // Producer: blocks while `capacity` pieces are waiting. False when the connection is gone: stop producing.
  bool push(std::string piece);
  // Producer: the body is complete (`ok`), or broken: then the connection is closed without the final
  // chunk, so the client sees an incomplete body rather than a short one that looks whole.
  void close(bool ok);
  // Consumer (the connection): `next` is called exactly once, with the next piece, or with nothing at the
  // end (`ok` as given to close). It may run at once or later on the producer's thread.
  using Next = std::function<void(std::optional<std::string> piece, bool ok)>;
  void pull(Next next);
  // Consumer: the client is gone; push() returns false from now on.
  void cancel();

 private:
  std::mutex mutex_;
  std::condition_variable space_;
  std::deque<std::string> pieces_;
  std::size_t capacity_;
  Next waiting_;
  bool closed_ = false;
  bool ok_ = true;
  bool cancelled_ = false;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body comes from here (chunked) and `body` is ignored.
  std::shared_ptr<BodyChannel> body_stream;
};

// Called exactly once, from any thread; the connection takes it back to its own executor.
using Responder = std::function<void(HttpResponse)>;

// A JSON body (already serialized) with the given status, 200 unless told.
[[nodiscard]] HttpResponse json_response(std::string body, int status = 200);
// {"error": {"field": ..., "message": ...}} with the given status.
[[nodiscard]] HttpResponse json_error(int status, const std::string& field, const std::string& message);
[[nodiscard]] std::string json_escape(const std::string& text);

}  // namespace portcullis::http
