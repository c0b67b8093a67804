#pragma once
// Secure randomness from OpenSSL's DRBG. Failure throws: a server that cannot get randomness must
// not hand out predictable tokens or secrets.
#include <cstddef>
#include <string>

#include "portcullis/operators/bytes.hpp"

namespace portcullis::operators::crypto {

[[nodiscard]] Bytes secure_random_bytes(std::size_t count);

inline constexpr std::size_t kTokenBytes = 32;

// 256 random bits as base64url without padding (43 characters): session and device tokens.
[[nodiscard]] std::string random_token();

}  // namespace portcullis::operators::crypto
