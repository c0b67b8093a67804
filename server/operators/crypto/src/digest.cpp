#include "portcullis/operators/crypto/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>

#include "portcullis/operators/crypto/encoding.hpp"

namespace portcullis::operators::crypto {

Bytes sha256(ByteView data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  out.resize(length);
  return out;
}

std::string sha256_hex(std::string_view data) {
  return hex_encode(sha256(as_bytes(data)));
}

bool equal_in_constant_time(ByteView a, ByteView b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace portcullis::operators::crypto
