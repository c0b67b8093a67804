#pragma once
// The live stream's contract with the WebSocket transport, free of Beast types.
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "portcullis/http/http_types.hpp"

namespace portcullis::http {

// The transport side of one connected client, given to the endpoint.
class StreamConnection {
 public:
  // A serialized message, shared by every client it goes to (serialized once, never copied per client).
  using Message = std::shared_ptr<const std::string>;

  virtual ~StreamConnection() = default;
  // Queues a text message that always goes out as a frame of its own (a snapshot, a heartbeat).
  // Returns false when the client's queue is over its cap: the endpoint should then resynchronize it
  // (or close it) instead of queueing more.
  virtual bool send(Message message) = 0;
  bool send(std::string message) { return send(std::make_shared<const std::string>(std::move(message))); }
  // Queues deltas, all or none (false: over the cap). Deltas waiting together are coalesced into one
  // `{"type":"batch","messages":[...]}` frame per write; a lone delta goes out as it is.
  virtual bool send_deltas(const std::vector<Message>& deltas) = 0;
  virtual void close(std::string reason) = 0;
  // Messages queued and not yet written.
  [[nodiscard]] virtual std::size_t queued() const = 0;
};

// The application side of one connected client.
class StreamClient {
 public:
  virtual ~StreamClient() = default;
  virtual void on_open(std::shared_ptr<StreamConnection> connection) = 0;
  virtual void on_message(const std::string& text) = 0;
  virtual void on_close() = 0;
};

struct WebSocketEndpoint {
  virtual ~WebSocketEndpoint() = default;
  // Decides at the handshake (token, Origin): a client, or the HTTP response refusing the upgrade.
  virtual std::variant<std::shared_ptr<StreamClient>, HttpResponse> accept(const HttpRequest& upgrade) = 0;
};

}  // namespace portcullis::http
