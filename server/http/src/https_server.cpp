#include "portcullis/http/https_server.hpp"

#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <array>
#include <iostream>
#include <thread>
#include <vector>

#include "portcullis/logging/log.hpp"
#include "session_common.hpp"

namespace portcullis::http {

using namespace detail;

struct HttpsServer::Impl {
  Impl(ServerConfig c, const Router& r) : config(std::move(c)), router(r), io(config.threads) {}

  ServerConfig config;
  const Router& router;
  net::io_context io;
  ssl::context tls{ssl::context::tls_server};
  std::unique_ptr<tcp::acceptor> acceptor;
  std::shared_ptr<SharedContext> shared;
  std::string websocket_path;
  std::shared_ptr<WebSocketEndpoint> websocket;
  CredentialCheck credential_check;
  // Refused connections, reported at most once a minute (a flood must not flood the log too). Touched only by
  // the accept loop, which runs one completion at a time.
  std::array<std::size_t, 5> refused{};
  ConnectionBook::Clock::time_point refusals_reported{};

  void configure_tls() {
    // TLS 1.2 is the floor; 1.3 is negotiated whenever the peer offers it.
    SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
    tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use |
                    SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_cipher_list(tls.native_handle(),
                            "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                            "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
                            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256");
    if (config.certificate_file.empty() || config.private_key_file.empty()) {
      throw std::runtime_error(
          "TLS is required: set the server certificate and private key (tls_cert, tls_key)");
    }
    try {
      tls.use_certificate_chain_file(config.certificate_file);
      tls.use_private_key_file(config.private_key_file, ssl::context::pem);
    } catch (const std::exception& e) {
      throw std::runtime_error("cannot load the TLS certificate '" + config.certificate_file + "' or key '" +
                               config.private_key_file + "': " + e.what());
    }
    if (!config.device_ca_file.empty()) {
      // Ask for a client certificate but do not require one: devices may use a bearer token instead.
      try {
        tls.load_verify_file(config.device_ca_file);
      } catch (const std::exception& e) {
        throw std::runtime_error("cannot load the device CA '" + config.device_ca_file + "': " + e.what());
      }
      tls.set_verify_mode(ssl::verify_peer);
      // With peer verification on, OpenSSL refuses to resume a session (TLS 1.3 tickets, 1.2 session ids)
      // without a session id context and aborts the handshake with an internal_error alert: every client that
      // reconnects with a resumable session (Node's fetch, a console) would fail its second connection.
      static constexpr unsigned char kSessionContext[] = "portcullisd";
      SSL_CTX_set_session_id_context(tls.native_handle(), kSessionContext, sizeof kSessionContext - 1);
    }
  }

  void accept() {
    acceptor->async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted) return;
        logging::warn("http", "accept failed", {{"error", ec.message()}});
      } else {
        admit(std::move(socket));
      }
      if (acceptor->is_open()) accept();
    });
  }

  // Counted in the book, or closed before a TLS handshake is spent on it.
  void admit(tcp::socket socket) {
    beast::error_code ec;
    const auto remote = socket.remote_endpoint(ec);
    if (ec) return;  // gone already
    auto key = connection_key(remote.address());
    const auto now = ConnectionBook::Clock::now();
    const auto admission = shared->connections->admit(key, now);
    if (admission == Admission::admitted) {
      start_https_session(std::move(socket),
                          std::make_unique<ConnectionSlot>(shared->connections, std::move(key)), shared);
      return;
    }
    // A reset rather than an orderly close: nothing is owed to the client, and no TIME_WAIT is left here.
    socket.set_option(net::socket_base::linger(true, 0), ec);
    socket.close(ec);
    ++refused[static_cast<std::size_t>(admission)];
    if (now - refusals_reported < std::chrono::minutes(1)) return;
    refusals_reported = now;
    logging::warn("http", "refused connections in the last minute",
                  {{"over_address_limit", refused[1]},
                   {"over_address_rate", refused[2]},
                   {"over_unknown_share", refused[3]},
                   {"over_connection_limit", refused[4]},
                   {"last_from", key}});
    refused = {};
  }
};

HttpsServer::HttpsServer(ServerConfig config, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(config), router)) {}

HttpsServer::~HttpsServer() {
  stop();
}

void HttpsServer::set_websocket(std::string path, std::shared_ptr<WebSocketEndpoint> endpoint) {
  impl_->websocket_path = std::move(path);
  impl_->websocket = std::move(endpoint);
}

void HttpsServer::set_credential_check(CredentialCheck check) {
  impl_->credential_check = std::move(check);
}

unsigned short HttpsServer::bind() {
  auto& im = *impl_;
  im.configure_tls();
  im.shared = std::shared_ptr<SharedContext>(
      new SharedContext{im.config, im.router, im.tls, std::make_shared<ConnectionBook>(im.config.connections),
                        im.websocket_path, im.websocket, im.credential_check});
  beast::error_code ec;
  const auto address = net::ip::make_address(im.config.address, ec);
  if (ec) throw std::runtime_error("listen address '" + im.config.address + "' is not an IP address");
  const tcp::endpoint endpoint{address, im.config.port};
  im.acceptor = std::make_unique<tcp::acceptor>(im.io);
  im.acceptor->open(endpoint.protocol());
  im.acceptor->set_option(net::socket_base::reuse_address(true));
  im.acceptor->bind(endpoint, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + im.config.address + ":" + std::to_string(im.config.port) +
                             ": " + ec.message());
  }
  im.acceptor->listen(net::socket_base::max_listen_connections);
  im.accept();
  return im.acceptor->local_endpoint().port();
}

void HttpsServer::run() {
  auto& im = *impl_;
  std::vector<std::thread> extra;
  for (int i = 1; i < im.config.threads; ++i) extra.emplace_back([&im] { im.io.run(); });
  im.io.run();
  for (auto& t : extra) t.join();
}

void HttpsServer::stop() {
  if (!impl_) return;
  net::post(impl_->io, [im = impl_.get()] {
    beast::error_code ignored;
    if (im->acceptor) im->acceptor->close(ignored);
  });
  impl_->io.stop();
}

namespace detail {

std::string connection_key(const net::ip::address& address) {
  if (address.is_v4()) return address.to_string();
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) return net::ip::make_address_v4(net::ip::v4_mapped, v6).to_string();
  auto bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), static_cast<unsigned char>(0));
  return net::ip::address_v6(bytes).to_string() + "/64";
}

}  // namespace detail

}  // namespace portcullis::http
