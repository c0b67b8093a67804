// One TLS connection serving HTTP/1.1 requests one at a time (no pipelining), with a deadline on
// every step and explicit header and body limits (after Beast's advanced_server_flex example). A body over
// the small unauthenticated limit is read only when the header carries a valid credential.
#include <boost/beast/version.hpp>

#include <openssl/x509.h>
#include <algorithm>
#include <array>
#include <iostream>
#include <optional>
#include <string>

#include "portcullis/logging/log.hpp"
#include "session_common.hpp"
#include "websocket_upgrade.hpp"

namespace portcullis::http::detail {
namespace {

namespace http = beast::http;

class HttpsSession : public std::enable_shared_from_this<HttpsSession> {
 public:
  HttpsSession(tcp::socket socket, std::unique_ptr<ConnectionSlot> slot,
               std::shared_ptr<SharedContext> shared)
      : stream_(std::move(socket), shared->tls), shared_(std::move(shared)), slot_(std::move(slot)) {
    auto& sock = beast::get_lowest_layer(stream_).socket();
    beast::error_code ignored;
    // Answers are small and each one waits for the client: never hold one back for Nagle's algorithm.
    sock.set_option(tcp::no_delay(true), ignored);
    // Asked once per connection rather than with a system call per request.
    const auto remote = sock.remote_endpoint(ignored);
    remote_address_ = ignored ? "" : remote.address().to_string();
  }

  ~HttpsSession() {
    if (body_stream_) body_stream_->cancel();
  }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->handshake(); });
  }

 private:
  void handshake() {
    // The first header is due header_timeout after the accept, the handshake included.
    const auto now = std::chrono::steady_clock::now();
    header_deadline_ = now + shared_->config.header_timeout;
    beast::get_lowest_layer(stream_).expires_at(
        std::min(now + shared_->config.handshake_timeout, header_deadline_));
    stream_.async_handshake(ssl::stream_base::server,
                            [self = shared_from_this()](beast::error_code ec) { self->on_handshake(ec); });
  }

  void on_handshake(beast::error_code ec) {
    if (ec) return;  // scanners and expired handshakes are not worth a log line each
    client_cn_ = verified_client_cn();
    read_header(header_deadline_);
  }

  std::optional<std::string> verified_client_cn() {
    SSL* ssl = stream_.native_handle();
    X509* cert = SSL_get1_peer_certificate(ssl);
    if (cert == nullptr) return std::nullopt;
    std::optional<std::string> cn;
    if (SSL_get_verify_result(ssl) == X509_V_OK) {
      char buf[256] = {};
      if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buf, sizeof buf) > 0)
        cn = buf;
    }
    X509_free(cert);
    return cn;
  }

  // Between requests: the connection may stay idle for idle_timeout; the next request's header is due
  // header_timeout after its first byte.
  void wait_for_request() {
    if (buffer_.size() > 0)
      return read_header(std::chrono::steady_clock::now() + shared_->config.header_timeout);
    beast::get_lowest_layer(stream_).expires_after(shared_->config.idle_timeout);
    stream_.async_read_some(
        buffer_.prepare(kFirstRead), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
          if (ec == net::error::eof) return self->shutdown();
          if (ec) return;  // idle too long, reset, bad TLS: drop the connection
          self->buffer_.commit(n);
          self->read_header(std::chrono::steady_clock::now() + self->shared_->config.header_timeout);
        });
  }

  // The header first: the route it names decides the body limit (Router::set_body_limit), so one route can
  // take larger bodies without raising the limit for every other, and its credential decides whether a large
  // body is read at all. `deadline` holds however slowly the header's bytes come.
  void read_header(std::chrono::steady_clock::time_point deadline) {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_->config.header_limit));
    // No limit while the header is read (Beast would judge a Content-Length against it before the route is
    // known); on_header sets the route's limit before any of the body is read.
    parser_->body_limit(boost::none);
    body_limit_ = shared_->config.body_limit;
    body_limit_route_.clear();
    body_needs_credential_ = false;
    beast::get_lowest_layer(stream_).expires_at(deadline);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read(ec);
    // The whole body must arrive within body_timeout of the end of the header.
    beast::get_lowest_layer(stream_).expires_after(shared_->config.body_timeout);
    const auto& req = parser_->get();
    if (auto problem = framing_problem(req)) return send_error(400, "framing", *problem, false);
    const std::string_view target{req.target()};
    const auto path = target.substr(0, target.find('?'));
    if (const auto limit = shared_->router.body_limit(req.method_string(), path)) {
      body_limit_ = *limit;
      body_limit_route_ = std::string(req.method_string()) + " " + std::string(path);
    }
    const bool credential = has_credential(req);
    if (credential) slot_->mark_known();
    const auto length = parser_->content_length();
    const auto small = shared_->config.unauthenticated_body_limit;
    if (!credential && length && *length > small) return refuse_body_without_credential();
    if (!credential && !length && body_limit_ > small) {
      body_limit_ = small;  // a chunked body of unknown size: read up to the small limit only
      body_needs_credential_ = true;
    }
    if (length && *length > body_limit_) return on_read(http::error::body_limit);
    parser_->body_limit(body_limit_);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code e, std::size_t) { self->on_read(e); });
  }

  // The Authorization header and the client certificate, checked from memory
  // (HttpsServer::set_credential_check).
  bool has_credential(const http::request_header<>& req) const {
    if (!shared_->has_credential) return false;
    HttpRequest credentials;
    credentials.remote_address = remote_address_;
    credentials.client_certificate_cn = client_cn_;
    if (const auto it = req.find(http::field::authorization); it != req.end())
      credentials.headers["authorization"] = std::string(it->value());
    if (credentials.headers.empty() && !client_cn_) return false;
    return shared_->has_credential(credentials);
  }

  // Answered from the header alone and the connection closed: nothing of the body is read, so an anonymous
  // client cannot make the server hold megabytes (EPCIS routes take 16 MiB) or spend the time to read them.
  void refuse_body_without_credential() {
    // The client may still be writing its body: read and discard a little of it (never keep it) so it gets
    // to read this 401 instead of a connection reset, then close.
    drain_before_close_ = true;
    drain_cap_ = kAnonymousDrainBytes;
    auto refusal =
        json_error(401, "authorization",
                   "a request body over " + std::to_string(shared_->config.unauthenticated_body_limit) +
                       " bytes is read only with a valid credential (a device token or certificate, "
                       "or an operator session)");
    refusal.headers.emplace_back("WWW-Authenticate", "Bearer");
    keep_alive_ = false;
    send(std::move(refusal));
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == net::error::eof) return shutdown();
    if (ec == http::error::body_limit && body_needs_credential_) return refuse_body_without_credential();
    if (ec == http::error::body_limit) {
      drain_before_close_ = true;
      return send_error(
          413, "body",
          "request body exceeds " + std::to_string(body_limit_) + " bytes" +
              (body_limit_route_.empty() ? std::string{} : " (the limit of " + body_limit_route_ + ")"),
          false);
    }
    if (ec == http::error::header_limit) {
      return send_error(431, "headers",
                        "request headers exceed " + std::to_string(shared_->config.header_limit) + " bytes",
                        false);
    }
    if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::partial_message) {
      // A request Beast cannot parse (a malformed line, an invalid or repeated Content-Length, a bad chunk):
      // RFC 9112 asks for a 400 and the end of the connection, since where the next request starts is
      // unknown.
      return send_error(400, "framing", "malformed request: " + ec.message(), false);
    }
    if (ec) return;  // timeout, reset, bad TLS: drop the connection
    beast::get_lowest_layer(stream_).expires_never();

    auto& req = parser_->get();
    if (shared_->websocket && beast::websocket::is_upgrade(req) &&
        std::string_view(req.target()).substr(0, std::string_view(req.target()).find('?')) ==
            shared_->websocket_path) {
      hand_over_to_websocket(std::move(stream_), parser_->release(), std::move(slot_), shared_);
      return;
    }

    keep_alive_ = req.keep_alive();
    HttpRequest request;
    request.method = std::string(req.method_string());
    const std::string target{req.target()};
    const auto q = target.find('?');
    request.path = target.substr(0, q);
    if (q != std::string::npos) request.query = target.substr(q + 1);
    for (const auto& field : req) {
      std::string name{field.name_string()};
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers[name] = std::string(field.value());
    }
    request.body = std::move(req.body());
    request.remote_address = remote_address_;
    request.client_certificate_cn = client_cn_;

    // The handler may answer from another thread (after a durable commit): come back to our strand.
    beast::get_lowest_layer(stream_).expires_after(shared_->config.request_timeout);
    try {
      shared_->router.dispatch(request, [self = shared_from_this()](HttpResponse response) {
        net::post(self->stream_.get_executor(),
                  [self, response = std::move(response)]() mutable { self->send(std::move(response)); });
      });
    } catch (const std::exception& e) {
      // The router answers a handler's exception itself; this catches what it could not (e.g. bad_alloc
      // building the answer) so an I/O thread never unwinds out of the session.
      logging::error("http", "dispatching a request failed",
                     {{"method", request.method}, {"error", e.what()}});
      send_error(500, "server", "the request could not be handled", false);
    }
  }

  // RFC 9112 section 6: a message whose length is ambiguous is refused and the connection closed, or a
  // second request could be smuggled in its body. Only "chunked", alone, is a transfer coding we accept.
  static std::optional<std::string> framing_problem(const http::request_header<>& req) {
    std::size_t encodings = 0;
    std::size_t lengths = 0;
    std::string encoding;
    for (const auto& field : req) {
      if (field.name() == http::field::transfer_encoding) {
        ++encodings;
        encoding = std::string(field.value());
      } else if (field.name() == http::field::content_length) {
        ++lengths;
      }
    }
    if (encodings == 0) {
      if (lengths > 1) return "more than one Content-Length";
      return std::nullopt;
    }
    if (lengths > 0) return "both Transfer-Encoding and Content-Length";
    if (encodings > 1) return "more than one Transfer-Encoding";
    for (auto& c : encoding) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!encoding.empty() && (encoding.back() == ' ' || encoding.back() == '\t')) encoding.pop_back();
    while (!encoding.empty() && (encoding.front() == ' ' || encoding.front() == '\t')) encoding.erase(0, 1);
    if (encoding != "chunked") return "unsupported Transfer-Encoding (only chunked)";
    return std::nullopt;
  }

  void send_error(int status, const std::string& field, const std::string& message, bool keep_alive) {
    keep_alive_ = keep_alive;
    send(json_error(status, field, message));
  }

  void send(HttpResponse response) {
    if (response.body_stream) return send_streamed(std::move(response));
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(response.status));
    res->set(http::field::server, "portcullisd");
    res->set(http::field::content_type, response.content_type);
    res->set(http::field::cache_control, "no-store");
    res->set(http::field::strict_transport_security, "max-age=31536000");
    res->set("X-Content-Type-Options", "nosniff");
    for (auto& [name, value] : response.headers) res->set(name, value);
    res->keep_alive(keep_alive_);
    res->body() = std::move(response.body);
    res->prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(shared_->config.request_timeout);
    http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
      if (ec) return;
      if (!self->keep_alive_) return self->drain_before_close_ ? self->drain() : self->shutdown();
      self->wait_for_request();
    });
  }

  // A body produced on another thread (BodyChannel): the header now, then each piece as a chunk as it
  // comes. Between pieces no timer runs (the producer may be a long database query); each write has one.
  void send_streamed(HttpResponse response) {
    body_stream_ = std::move(response.body_stream);
    auto res = std::make_shared<http::response<http::empty_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(response.status));
    res->set(http::field::server, "portcullisd");
    res->set(http::field::content_type, response.content_type);
    res->set(http::field::cache_control, "no-store");
    res->set(http::field::strict_transport_security, "max-age=31536000");
    res->set("X-Content-Type-Options", "nosniff");
    for (auto& [name, value] : response.headers) res->set(name, value);
    res->keep_alive(keep_alive_);
    res->chunked(true);
    auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*res);
    beast::get_lowest_layer(stream_).expires_after(shared_->config.request_timeout);
    http::async_write_header(stream_, *serializer,
                             [self = shared_from_this(), res, serializer](beast::error_code ec, std::size_t) {
                               if (ec) return self->abandon_stream();
                               self->pull_piece();
                             });
  }

  void pull_piece() {
    beast::get_lowest_layer(stream_).expires_never();
    body_stream_->pull([self = shared_from_this()](std::optional<std::string> piece, bool ok) {
      net::post(self->stream_.get_executor(),
                [self, piece = std::move(piece), ok]() mutable { self->write_piece(std::move(piece), ok); });
    });
  }

  void write_piece(std::optional<std::string> piece, bool ok) {
    if (!body_stream_) return;
    if (!piece) {
      body_stream_.reset();
      if (!ok) return shutdown();  // no final chunk: the client sees an incomplete body
      beast::get_lowest_layer(stream_).expires_after(shared_->config.request_timeout);
      net::async_write(stream_, http::make_chunk_last(),
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) return;
                         if (!self->keep_alive_) return self->shutdown();
                         self->wait_for_request();
                       });
      return;
    }
    if (piece->empty()) return pull_piece();  // an empty chunk would end the body
    auto data = std::make_shared<std::string>(std::move(*piece));
    beast::get_lowest_layer(stream_).expires_after(shared_->config.request_timeout);
    net::async_write(stream_, http::make_chunk(net::buffer(*data)),
                     [self = shared_from_this(), data](beast::error_code ec, std::size_t) {
                       if (ec) return self->abandon_stream();
                       self->pull_piece();
                     });
  }

  // The client went away (or timed out) mid-body: tell the producer to stop.
  void abandon_stream() {
    if (body_stream_) body_stream_->cancel();
    body_stream_.reset();
  }

  // After refusing an oversized body, read and discard what the client is still sending (bounded in
  // bytes and time) so it can read our 413 instead of getting a connection reset.
  void drain() {
    // Up to twice the largest route limit: a client sending just over a large limit still reads its 413.
    // A client refused for want of a credential gets only drain_cap_: it has not earned more of our time.
    const std::size_t cap =
        drain_cap_ != 0 ? drain_cap_ : std::max(kMaxDrainBytes, 2 * shared_->router.largest_body_limit());
    if (drained_ > cap) return shutdown();
    // One deadline for the whole drain, so a client trickling bytes cannot stretch it.
    if (drain_deadline_ == std::chrono::steady_clock::time_point{})
      drain_deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    beast::get_lowest_layer(stream_).expires_at(drain_deadline_);
    stream_.async_read_some(net::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return self->shutdown();
                              self->drained_ += n;
                              self->drain();
                            });
  }

  void shutdown() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {});
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  std::shared_ptr<SharedContext> shared_;
  std::unique_ptr<ConnectionSlot> slot_;  // counted in the connection book until the connection ends
  std::chrono::steady_clock::time_point header_deadline_{};
  static constexpr std::size_t kFirstRead = 4096;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<std::string> client_cn_;
  std::string remote_address_;
  bool keep_alive_ = true;
  bool drain_before_close_ = false;
  std::size_t body_limit_ = 0;          // of the request being read: the route's own or the server's
  std::string body_limit_route_;        // "POST /epcis/capture" when the route has a limit of its own
  bool body_needs_credential_ = false;  // body_limit_ is the small one of a request without a credential
  std::shared_ptr<BodyChannel> body_stream_;
  static constexpr std::size_t kMaxDrainBytes = 16 * 1024 * 1024;
  static constexpr std::size_t kAnonymousDrainBytes = 256 * 1024;
  std::size_t drain_cap_ = 0;  // 0: kMaxDrainBytes or twice the largest route limit
  std::chrono::steady_clock::time_point drain_deadline_{};
  std::size_t drained_ = 0;
  std::array<char, 16 * 1024> scratch_{};
};

}  // namespace

void start_https_session(tcp::socket socket, std::unique_ptr<ConnectionSlot> slot,
                         std::shared_ptr<SharedContext> shared) {
  std::make_shared<HttpsSession>(std::move(socket), std::move(slot), std::move(shared))->start();
}

}  // namespace portcullis::http::detail
