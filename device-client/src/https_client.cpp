#include "portcullis/client/https_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <stdexcept>

namespace portcullis::client {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

struct HttpsClient::Impl {
  std::string host;
  unsigned short port;
  net::io_context io;
  ssl::context tls{ssl::context::tls_client};
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> stream;
  beast::flat_buffer buffer;

  void connect() {
    stream = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(io, tls);
    // SSL_set_tlsext_host_name is a macro with a C-style cast: call the control function directly.
    if (SSL_ctrl(stream->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(host.c_str())) != 1) {
      throw std::runtime_error("cannot set TLS server name");
    }
    stream->set_verify_callback(ssl::host_name_verification(host));
    tcp::resolver resolver{io};
    beast::get_lowest_layer(*stream).expires_after(std::chrono::seconds(10));
    beast::get_lowest_layer(*stream).connect(resolver.resolve(host, std::to_string(port)));
    beast::get_lowest_layer(*stream).socket().set_option(tcp::no_delay(true));
    stream->handshake(ssl::stream_base::client);
    buffer.clear();
  }
};

HttpsClient::HttpsClient(std::string host, unsigned short port, ClientTls tls)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  SSL_CTX_set_min_proto_version(impl_->tls.native_handle(), TLS1_2_VERSION);
  impl_->tls.set_verify_mode(ssl::verify_peer);
  impl_->tls.load_verify_file(tls.ca_file);
  if (!tls.certificate_file.empty()) {
    impl_->tls.use_certificate_chain_file(tls.certificate_file);
    impl_->tls.use_private_key_file(tls.private_key_file, ssl::context::pem);
  }
}

HttpsClient::~HttpsClient() = default;
HttpsClient::HttpsClient(HttpsClient&&) noexcept = default;
HttpsClient& HttpsClient::operator=(HttpsClient&&) noexcept = default;

void HttpsClient::disconnect() {
  if (!impl_->stream) return;
  beast::error_code ignored;
  beast::get_lowest_layer(*impl_->stream).socket().close(ignored);
  impl_->stream.reset();
}

HttpReply HttpsClient::request(const std::string& method, const std::string& target, const std::string& body,
                               const std::string& bearer_token) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool fresh = !impl_->stream;
    try {
      if (fresh) impl_->connect();
      http::request<http::string_body> req{http::string_to_verb(method), target, 11};
      req.set(http::field::host, impl_->host);
      req.set(http::field::user_agent, "portcullis-client");
      if (!bearer_token.empty()) req.set(http::field::authorization, "Bearer " + bearer_token);
      if (!body.empty() || method == "POST") req.set(http::field::content_type, "application/json");
      req.body() = body;
      req.keep_alive(true);
      req.prepare_payload();
      auto& layer = beast::get_lowest_layer(*impl_->stream);
      layer.expires_after(std::chrono::seconds(30));
      http::write(*impl_->stream, req);
      http::response_parser<http::string_body> parser;
      parser.body_limit(64 * 1024 * 1024);
      http::read(*impl_->stream, impl_->buffer, parser);
      auto res = parser.release();
      HttpReply reply{static_cast<int>(res.result_int()), std::move(res.body())};
      if (!res.keep_alive()) disconnect();
      return reply;
    } catch (const std::exception& e) {
      disconnect();
      // A kept-alive connection the server closed in the meantime: try once more on a new one.
      if (fresh || attempt == 1) throw std::runtime_error(std::string("HTTPS request failed: ") + e.what());
    }
  }
  throw std::runtime_error("HTTPS request failed");
}

}  // namespace portcullis::client
