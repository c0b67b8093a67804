#include "portcullis/util/random_token.hpp"

#include <sys/random.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "portcullis/util/base64.hpp"
#include "portcullis/util/hex.hpp"

namespace portcullis::util {

std::vector<std::uint8_t> random_bytes(std::size_t count) {
  std::vector<std::uint8_t> out(count);
  std::size_t filled = 0;
  while (filled < count) {
    // Blocks only until the pool is first seeded (early boot); a signal may cut a large read short.
    const auto n = ::getrandom(out.data() + filled, count - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "getrandom");
    }
    filled += static_cast<std::size_t>(n);
  }
  return out;
}

std::string random_token(std::size_t bytes) {
  return base64url_encode(random_bytes(bytes));
}

std::string random_hex(std::size_t bytes) {
  return hex_encode(random_bytes(bytes));
}

}  // namespace portcullis::util
