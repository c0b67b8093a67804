#pragma once
// Shared between the listener and the sessions: Beast, Asio and OpenSSL live only in this folder's .cpp
// files.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <memory>

#include "portcullis/http/https_server.hpp"

namespace portcullis::http::detail {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

struct SharedContext {
  ServerConfig config;
  const Router& router;
  ssl::context& tls;
  std::atomic<std::size_t> open_connections{0};
  std::string websocket_path;
  std::shared_ptr<WebSocketEndpoint> websocket;
};

// Takes ownership of an accepted socket and serves HTTP/1.1 requests on it until it closes.
void start_https_session(tcp::socket socket, std::shared_ptr<SharedContext> shared);

}  // namespace portcullis::http::detail
