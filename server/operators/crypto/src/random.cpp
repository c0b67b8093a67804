#include "portcullis/operators/crypto/random.hpp"

#include <openssl/rand.h>

#include <climits>
#include <stdexcept>

#include "portcullis/operators/crypto/encoding.hpp"

namespace portcullis::operators::crypto {

Bytes secure_random_bytes(std::size_t count) {
  if (count > static_cast<std::size_t>(INT_MAX)) throw std::length_error("too many random bytes requested");
  Bytes out(count);
  if (count > 0 && RAND_bytes(out.data(), static_cast<int>(count)) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return out;
}

std::string random_token() {
  return base64url_encode(secure_random_bytes(kTokenBytes));
}

}  // namespace portcullis::operators::crypto
