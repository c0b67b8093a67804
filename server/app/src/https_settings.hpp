#pragma once
// The HTTPS edge's settings from portcullisd's configuration (listen address, TLS files, connection limits
// and deadlines): the same for the serving server and for one held after a restore.
#include "config.hpp"
#include "portcullis/http/https_server.hpp"

namespace portcullis::app {

// Throws std::runtime_error naming the setting when `listen` is not ADDRESS:PORT.
http::ServerConfig https_server_config(const Config& c);

}  // namespace portcullis::app
