#pragma once
// Shared between the listener and the sessions: Beast, Asio and OpenSSL live only in this folder's .cpp
// files.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

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
  std::shared_ptr<ConnectionBook> connections;
  std::string websocket_path;
  std::shared_ptr<WebSocketEndpoint> websocket;
  CredentialCheck has_credential;
};

// The key a peer is counted under in the ConnectionBook: an IPv4 address as it is (also when it comes
// IPv4-mapped), an IPv6 address by its /64, since one host is usually given a whole /64 and counting single
// IPv6 addresses would limit nothing.
std::string connection_key(const net::ip::address& address);

// Takes ownership of an accepted socket, admitted to the connection book as `slot`, and serves HTTP/1.1
// requests on it until it closes.
void start_https_session(tcp::socket socket, std::unique_ptr<ConnectionSlot> slot,
                         std::shared_ptr<SharedContext> shared);

}  // namespace portcullis::http::detail
