#pragma once
// Unguessable tokens for sessions and devices: server/util's (the kernel's CSPRNG), named here for the
// operator code. Secret bytes (salts, TOTP secrets) come from util::random_bytes.
#include <string>

#include "portcullis/util/random_token.hpp"

namespace portcullis::operators::crypto {

using util::kTokenBytes;
// 256 random bits as base64url without padding (43 characters): session and device tokens. A function of
// no arguments, so it serves as an operators::TokenSource.
[[nodiscard]] inline std::string random_token() {
  return util::random_token(kTokenBytes);
}

}  // namespace portcullis::operators::crypto
