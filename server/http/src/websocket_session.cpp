// One live-stream client over TLS WebSocket. Writes go through a bounded queue (after the Beast chat
// example, with a cap): a client that cannot keep up is resynchronized by the endpoint, never buffered
// without bound. Deltas waiting in the queue when a write starts go out together as one
// `{"type":"batch","messages":[...]}` frame, so the cost (frame, TLS record, syscall) is per write, not
// per delta; messages are shared buffers, serialized once for every client.
#include <boost/beast/websocket/ssl.hpp>

#include <deque>
#include <mutex>
#include <string_view>
#include <vector>

#include "portcullis/http/websocket_endpoint.hpp"
#include "websocket_upgrade.hpp"

namespace portcullis::http::detail {
namespace {

namespace websocket = beast::websocket;
constexpr std::size_t kMaxQueuedMessages = 1024;
constexpr std::size_t kMaxIncomingMessage = 16 * 1024;
// A batch frame holds deltas up to about this many bytes (a lone larger delta still goes out whole).
constexpr std::size_t kMaxBatchBytes = 256 * 1024;
constexpr std::string_view kBatchOpen = R"({"type":"batch","messages":[)";
constexpr std::string_view kBatchClose = "]}";

class WebSocketSession : public StreamConnection, public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(TlsStream stream, std::unique_ptr<ConnectionSlot> slot)
      : ws_(std::move(stream)), slot_(std::move(slot)) {}

  void start(UpgradeRequest request, std::shared_ptr<SharedContext> shared) {
    HttpRequest plain;
    plain.method = std::string(request.method_string());
    const std::string target{request.target()};
    const auto q = target.find('?');
    plain.path = target.substr(0, q);
    if (q != std::string::npos) plain.query = target.substr(q + 1);
    beast::error_code ignored;
    const auto remote = beast::get_lowest_layer(ws_).socket().remote_endpoint(ignored);
    plain.remote_address = ignored ? "" : remote.address().to_string();
    for (const auto& field : request) {
      std::string name{field.name_string()};
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      plain.headers[name] = std::string(field.value());
    }
    auto decision = shared->websocket->accept(plain);
    if (auto* refusal = std::get_if<HttpResponse>(&decision)) {
      refuse(std::move(*refusal), request);
      return;
    }
    client_ = std::get<std::shared_ptr<StreamClient>>(decision);
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(kMaxIncomingMessage);
    // One frame per write, however large: Beast's default fragments at 4 KiB, one TLS write per fragment.
    // permessage-deflate stays off (Beast's default): compression would cost CPU per client per frame.
    ws_.auto_fragment(false);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(beast::http::field::server, "portcullisd"); }));
    ws_.async_accept(request, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->client_->on_open(self);
      self->read();
    });
  }

  using StreamConnection::send;

  bool send(Message message) override {
    std::lock_guard lock{mutex_};
    if (closed_ || queue_.size() >= kMaxQueuedMessages) return false;
    queue_.push_back(Outgoing{std::move(message), false});
    schedule();
    return true;
  }

  bool send_deltas(const std::vector<Message>& deltas) override {
    if (deltas.empty()) return true;
    std::lock_guard lock{mutex_};
    if (closed_ || queue_.size() + deltas.size() > kMaxQueuedMessages) return false;
    for (const auto& d : deltas) queue_.push_back(Outgoing{d, true});
    schedule();
    return true;
  }

  void close(std::string reason) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), reason = std::move(reason)] {
      {
        std::lock_guard lock{self->mutex_};
        if (self->closed_) return;
        self->closed_ = true;
      }
      self->ws_.async_close(websocket::close_reason{websocket::close_code::policy_error, reason},
                            [self](beast::error_code) {});
    });
  }

  [[nodiscard]] std::size_t queued() const override {
    std::lock_guard lock{mutex_};
    return queue_.size();
  }

 private:
  void refuse(HttpResponse refusal, const UpgradeRequest& request) {
    auto res = std::make_shared<beast::http::response<beast::http::string_body>>();
    res->version(request.version());
    res->result(static_cast<unsigned>(refusal.status));
    res->set(beast::http::field::content_type, refusal.content_type);
    res->keep_alive(false);
    res->body() = std::move(refusal.body);
    res->prepare_payload();
    beast::http::async_write(ws_.next_layer(), *res,
                             [self = shared_from_this(), res](beast::error_code, std::size_t) {
                               self->ws_.next_layer().async_shutdown([self](beast::error_code) {});
                             });
  }

  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish();
      self->client_->on_message(beast::buffers_to_string(self->buffer_.data()));
      self->buffer_.consume(self->buffer_.size());
      self->read();
    });
  }

  // With mutex_ held: starts the write loop unless it is running.
  void schedule() {
    if (active_) return;
    active_ = true;
    net::post(ws_.get_executor(), [self = shared_from_this()] { self->write_next(); });
  }

  // Takes what the queue holds: a snapshot or heartbeat alone, else the run of deltas at its front (one
  // batch frame, or the delta itself when it is alone).
  void write_next() {
    std::size_t bytes = 0;
    {
      std::lock_guard lock{mutex_};
      in_flight_.clear();
      if (queue_.empty() || closed_) {
        active_ = false;
        return;
      }
      if (!queue_.front().delta) {
        in_flight_.push_back(std::move(queue_.front().text));
        queue_.pop_front();
      } else {
        while (!queue_.empty() && queue_.front().delta &&
               (in_flight_.empty() || bytes + queue_.front().text->size() <= kMaxBatchBytes)) {
          bytes += queue_.front().text->size() + 1;
          in_flight_.push_back(std::move(queue_.front().text));
          queue_.pop_front();
        }
      }
    }
    net::const_buffer payload;
    if (in_flight_.size() == 1) {
      payload = net::buffer(*in_flight_.front());
    } else {
      frame_.clear();
      frame_.reserve(kBatchOpen.size() + bytes + kBatchClose.size());
      frame_ += kBatchOpen;
      for (std::size_t i = 0; i < in_flight_.size(); ++i) {
        if (i) frame_ += ',';
        frame_ += *in_flight_[i];
      }
      frame_ += kBatchClose;
      payload = net::buffer(frame_);
    }
    ws_.text(true);
    ws_.async_write(payload, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish();
      self->write_next();
    });
  }

  void finish() {
    {
      std::lock_guard lock{mutex_};
      if (finished_) return;
      finished_ = true;
      closed_ = true;
      active_ = false;
      queue_.clear();
    }
    // The client holds this connection until its hub lets it go: let go of the client too, or the two keep
    // each other (and the connection's slot in the connection limits) alive for good.
    const auto client = std::move(client_);
    if (client) client->on_close();
  }

  websocket::stream<TlsStream> ws_;
  std::unique_ptr<ConnectionSlot> slot_;  // given back when the stream ends
  beast::flat_buffer buffer_;
  std::shared_ptr<StreamClient> client_;
  struct Outgoing {
    Message text;
    bool delta = false;  // may share a batch frame with the deltas next to it
  };
  mutable std::mutex mutex_;
  std::deque<Outgoing> queue_;
  bool active_ = false;             // a write is posted or in progress
  std::vector<Message> in_flight_;  // the messages of the frame being written (write loop only)
  std::string frame_;               // the batch frame being written (write loop only)
  bool closed_ = false;
  bool finished_ = false;
};

}  // namespace

void hand_over_to_websocket(TlsStream stream, UpgradeRequest request, std::unique_ptr<ConnectionSlot> slot,
                            std::shared_ptr<SharedContext> shared) {
  std::make_shared<WebSocketSession>(std::move(stream), std::move(slot))
      ->start(std::move(request), std::move(shared));
}

}  // namespace portcullis::http::detail
