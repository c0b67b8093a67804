#include "portcullis/client/wss_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <stdexcept>

namespace portcullis::client {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

struct WssClient::Impl {
  std::string host;
  unsigned short port = 0;
  net::io_context io;
  ssl::context tls{ssl::context::tls_client};
  std::unique_ptr<websocket::stream<beast::ssl_stream<beast::tcp_stream>>> ws;
  beast::flat_buffer buffer;
};

WssClient::WssClient(std::string host, unsigned short port, std::string ca_file)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->tls.set_verify_mode(ssl::verify_peer);
  impl_->tls.load_verify_file(ca_file);
}

WssClient::~WssClient() {
  try {
    close();
  } catch (...) {
  }
}

void WssClient::connect(const std::string& target, const std::string& bearer_token) {
  auto& im = *impl_;
  im.ws = std::make_unique<websocket::stream<beast::ssl_stream<beast::tcp_stream>>>(im.io, im.tls);
  im.buffer.clear();
  SSL_ctrl(im.ws->next_layer().native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
           const_cast<char*>(im.host.c_str()));
  im.ws->next_layer().set_verify_callback(ssl::host_name_verification(im.host));
  tcp::resolver resolver{im.io};
  auto& layer = beast::get_lowest_layer(*im.ws);
  layer.expires_after(std::chrono::seconds(10));
  layer.connect(resolver.resolve(im.host, std::to_string(im.port)));
  im.ws->next_layer().handshake(ssl::stream_base::client);
  layer.expires_never();
  im.ws->set_option(websocket::stream_base::decorator([token = bearer_token](websocket::request_type& req) {
    if (!token.empty()) req.set(beast::http::field::authorization, "Bearer " + token);
  }));
  websocket::response_type response;
  beast::error_code ec;
  im.ws->handshake(response, im.host, target, ec);
  if (ec) {
    throw std::runtime_error("stream upgrade refused: HTTP " + std::to_string(response.result_int()) + " " +
                             response.body());
  }
}

std::optional<std::string> WssClient::read(std::chrono::milliseconds timeout) {
  auto& im = *impl_;
  if (!im.ws) throw std::runtime_error("not connected");
  std::optional<std::string> result;
  beast::error_code error;
  bool done = false;
  im.ws->async_read(im.buffer, [&](beast::error_code ec, std::size_t) {
    done = true;
    error = ec;
    if (!ec) {
      result = beast::buffers_to_string(im.buffer.data());
      im.buffer.consume(im.buffer.size());
    }
  });
  im.io.restart();
  im.io.run_for(timeout);
  if (!done) {
    // Timed out: cancel the read and let the cancellation complete.
    beast::get_lowest_layer(*im.ws).cancel();
    im.io.restart();
    im.io.run();
    // A cancelled read leaves the websocket stream unusable; reconnect is the caller's choice.
    im.ws.reset();
    return std::nullopt;
  }
  if (error) {
    im.ws.reset();
    throw std::runtime_error("stream closed: " + error.message());
  }
  return result;
}

void WssClient::send(const std::string& text) {
  if (!impl_->ws) throw std::runtime_error("not connected");
  impl_->ws->text(true);
  impl_->ws->write(net::buffer(text));
}

void WssClient::close() {
  if (!impl_->ws) return;
  beast::error_code ignored;
  beast::get_lowest_layer(*impl_->ws).socket().close(ignored);
  impl_->ws.reset();
}

}  // namespace portcullis::client
