#include "portcullis/operators/crypto/hmac.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace portcullis::operators::crypto {
namespace {

Bytes hmac_with(const EVP_MD* digest, ByteView key, ByteView message) {
  Bytes tag(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  // An empty key is legal HMAC; OpenSSL wants a non-null pointer for it.
  static constexpr unsigned char kNoKey = 0;
  const unsigned char* key_data = key.empty() ? &kNoKey : key.data();
  if (HMAC(digest, key_data, static_cast<int>(key.size()), message.data(), message.size(), tag.data(),
           &length) == nullptr) {
    throw std::runtime_error("HMAC failed");
  }
  tag.resize(length);
  return tag;
}

}  // namespace

Bytes hmac_sha1(ByteView key, ByteView message) {
  return hmac_with(EVP_sha1(), key, message);
}
Bytes hmac_sha256(ByteView key, ByteView message) {
  return hmac_with(EVP_sha256(), key, message);
}
Bytes hmac_sha512(ByteView key, ByteView message) {
  return hmac_with(EVP_sha512(), key, message);
}

}  // namespace portcullis::operators::crypto
