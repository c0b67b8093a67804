#pragma once
// HMAC through OpenSSL, shaped to plug into the pure TOTP policy (HmacFunction).
#include "portcullis/operators/totp.hpp"

namespace portcullis::operators::crypto {

[[nodiscard]] Bytes hmac_sha1(ByteView key, ByteView message);
[[nodiscard]] Bytes hmac_sha256(ByteView key, ByteView message);
[[nodiscard]] Bytes hmac_sha512(ByteView key, ByteView message);

// What authenticator apps compute for otpauth URIs without an algorithm parameter.
[[nodiscard]] inline HmacFunction totp_hmac() {
  return hmac_sha1;
}

}  // namespace portcullis::operators::crypto
