#pragma once
#include <boost/beast/websocket.hpp>

#include "session_common.hpp"

namespace portcullis::http::detail {

using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using UpgradeRequest = beast::http::request<beast::http::string_body>;

// Defined in websocket_session.cpp: takes over a TLS stream whose HTTP request asked for an upgrade.
// The connection's slot moves along: an open stream counts against the connection limits like any connection.
void hand_over_to_websocket(TlsStream stream, UpgradeRequest request, std::unique_ptr<ConnectionSlot> slot,
                            std::shared_ptr<SharedContext> shared);

}  // namespace portcullis::http::detail
