// One live-stream client over TLS WebSocket. Writes go through a bounded queue (after the Beast chat
// example, with a cap): a client that cannot keep up is resynchronized by the endpoint, never buffered
// without bound.
#include <boost/beast/websocket/ssl.hpp>

#include <deque>
#include <mutex>

#include "portcullis/http/websocket_endpoint.hpp"
#include "websocket_upgrade.hpp"

namespace portcullis::http::detail {
namespace {

namespace websocket = beast::websocket;
constexpr std::size_t kMaxQueuedMessages = 1024;
constexpr std::size_t kMaxIncomingMessage = 16 * 1024;

class WebSocketSession : public StreamConnection, public std::enable_shared_from_this<WebSocketSession> {
 public:
  explicit WebSocketSession(TlsStream stream) : ws_(std::move(stream)) {}

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
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(beast::http::field::server, "portcullisd"); }));
    ws_.async_accept(request, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->client_->on_open(self);
      self->read();
    });
  }

  bool send(std::string message) override {
    std::lock_guard lock{mutex_};
    if (closed_ || queue_.size() >= kMaxQueuedMessages) return false;
    queue_.push_back(std::move(message));
    if (queue_.size() == 1) {
      net::post(ws_.get_executor(), [self = shared_from_this()] { self->write_next(); });
    }
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

  void write_next() {
    std::string* front = nullptr;
    {
      std::lock_guard lock{mutex_};
      if (queue_.empty() || writing_) return;
      writing_ = true;
      front = &queue_.front();
    }
    ws_.text(true);
    ws_.async_write(net::buffer(*front), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      bool more = false;
      {
        std::lock_guard lock{self->mutex_};
        self->writing_ = false;
        if (!self->queue_.empty()) self->queue_.pop_front();
        more = !self->queue_.empty();
      }
      if (ec) return self->finish();
      if (more) self->write_next();
    });
  }

  void finish() {
    {
      std::lock_guard lock{mutex_};
      if (finished_) return;
      finished_ = true;
      closed_ = true;
      queue_.clear();
    }
    if (client_) client_->on_close();
  }

  websocket::stream<TlsStream> ws_;
  beast::flat_buffer buffer_;
  std::shared_ptr<StreamClient> client_;
  mutable std::mutex mutex_;
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool closed_ = false;
  bool finished_ = false;
};

}  // namespace

void hand_over_to_websocket(TlsStream stream, UpgradeRequest request, std::shared_ptr<SharedContext> shared) {
  std::make_shared<WebSocketSession>(std::move(stream))->start(std::move(request), std::move(shared));
}

}  // namespace portcullis::http::detail
