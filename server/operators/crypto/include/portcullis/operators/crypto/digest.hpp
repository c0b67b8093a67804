#pragma once
// SHA-256 for storing session and device tokens and for hashing canonical changes under dual
// approval. Tokens are 256 random bits, so a fast unsalted hash is enough: there is nothing to
// brute-force, and lookups stay one indexed equality.
#include <string>
#include <string_view>

#include "portcullis/operators/bytes.hpp"

namespace portcullis::operators::crypto {

[[nodiscard]] Bytes sha256(ByteView data);
[[nodiscard]] std::string sha256_hex(std::string_view data);  // lowercase, 64 characters

// Compares secrets without an early exit (CRYPTO_memcmp); unequal lengths are simply unequal.
[[nodiscard]] bool equal_in_constant_time(ByteView a, ByteView b) noexcept;

}  // namespace portcullis::operators::crypto
