#include "https_settings.hpp"

#include <stdexcept>
#include <tuple>

namespace portcullis::app {
namespace {

std::pair<std::string, unsigned short> split_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    throw std::runtime_error("listen must be ADDRESS:PORT, got '" + listen + "'");
  int port = -1;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
  }
  if (port < 0 || port > 65535) throw std::runtime_error("listen port out of range in '" + listen + "'");
  return {listen.substr(0, colon), static_cast<unsigned short>(port)};
}

}  // namespace

http::ServerConfig https_server_config(const Config& c) {
  http::ServerConfig server_config;
  std::tie(server_config.address, server_config.port) = split_listen(c.listen);
  server_config.threads = c.threads;
  server_config.certificate_file = c.tls_cert;
  server_config.private_key_file = c.tls_key;
  server_config.device_ca_file = c.device_ca;
  server_config.connections.max_connections = c.max_connections;
  server_config.connections.max_per_address = c.max_connections_per_address;
  server_config.connections.reserved_for_known = c.reserved_connections;
  server_config.connections.new_per_second = c.new_connections_per_second;
  server_config.header_timeout = std::chrono::seconds{c.header_timeout_s};
  server_config.body_timeout = std::chrono::seconds{c.body_timeout_s};
  return server_config;
}

}  // namespace portcullis::app
