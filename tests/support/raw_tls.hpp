#pragma once
// Bytes exactly as given, over one TLS connection: for requests an HTTP client library would refuse to
// send (invalid UTF-8 in the target, conflicting framing headers, a second request smuggled in a body).
#include <chrono>
#include <string>
#include <vector>

namespace portcullis::testing {

// Sends `bytes` to localhost:`port` (trusting `ca_file`) and returns everything the server sends back
// until it closes the connection, `quiet` passes without a byte, or four times `quiet` have passed.
std::string raw_tls_exchange(unsigned short port, const std::string& ca_file, const std::string& bytes,
                             std::chrono::milliseconds quiet = std::chrono::milliseconds(1500));

// The status codes of every HTTP response in `replies` ("HTTP/1.1 400 ..." lines), in order.
std::vector<int> response_statuses(const std::string& replies);

}  // namespace portcullis::testing
