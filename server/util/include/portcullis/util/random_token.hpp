#pragma once
// Unguessable bytes and tokens from the kernel's CSPRNG (getrandom(2)): session, device and command ids.
// Standard library plus one system call, so the library needs no OpenSSL. Failure throws: a process that
// cannot get randomness must not hand out predictable tokens.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace portcullis::util {

[[nodiscard]] std::vector<std::uint8_t> random_bytes(std::size_t count);

inline constexpr std::size_t kTokenBytes = 32;
// `bytes` random bytes as base64url without padding (32 bytes: 43 characters).
[[nodiscard]] std::string random_token(std::size_t bytes = kTokenBytes);
// `bytes` random bytes as lowercase hex (16 bytes: 32 characters).
[[nodiscard]] std::string random_hex(std::size_t bytes);

}  // namespace portcullis::util
