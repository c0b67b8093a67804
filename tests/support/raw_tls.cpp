#include "raw_tls.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <array>

namespace portcullis::testing {

namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

std::string raw_tls_exchange(unsigned short port, const std::string& ca_file, const std::string& bytes,
                             std::chrono::milliseconds quiet) {
  net::io_context io;
  ssl::context tls{ssl::context::tls_client};
  tls.set_verify_mode(ssl::verify_peer);
  tls.load_verify_file(ca_file);
  ssl::stream<tcp::socket> stream{io, tls};
  tcp::resolver resolver{io};
  net::connect(stream.next_layer(), resolver.resolve("localhost", std::to_string(port)));
  timeval timeout{};
  timeout.tv_sec = static_cast<time_t>(quiet.count() / 1000);
  timeout.tv_usec = static_cast<suseconds_t>((quiet.count() % 1000) * 1000);
  setsockopt(stream.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  stream.handshake(ssl::stream_base::client);
  net::write(stream, net::buffer(bytes));
  std::string out;
  std::array<char, 16 * 1024> buffer{};
  // A server that keeps talking (a WebSocket it should have refused) still ends the exchange.
  const auto deadline = std::chrono::steady_clock::now() + 4 * quiet;
  while (std::chrono::steady_clock::now() < deadline) {
    boost::system::error_code ec;
    const auto n = stream.read_some(net::buffer(buffer), ec);
    out.append(buffer.data(), n);
    if (ec) break;  // closed, reset, or quiet for too long
  }
  return out;
}

std::vector<int> response_statuses(const std::string& replies) {
  std::vector<int> out;
  for (std::size_t at = replies.find("HTTP/1.1 "); at != std::string::npos;
       at = replies.find("HTTP/1.1 ", at + 1)) {
    if (at != 0 && replies[at - 1] != '\n') continue;
    out.push_back(std::stoi(replies.substr(at + 9, 3)));
  }
  return out;
}

}  // namespace portcullis::testing
