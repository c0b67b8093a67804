#pragma once
// Text encodings used around operator secrets: base32 (RFC 4648 section 6) for TOTP secrets that
// people type into authenticator apps, base64 / base64url (sections 4 and 5) for hashes and tokens,
// and lowercase hex for digests. Decoders are strict: anything outside the alphabet is rejected.
#include <optional>
#include <string>
#include <string_view>

#include "portcullis/operators/bytes.hpp"

namespace portcullis::operators::crypto {

enum class Padding : bool { Without, With };

[[nodiscard]] std::string base32_encode(ByteView data, Padding padding = Padding::With);
// Accepts upper or lower case and optional '=' padding (apps differ); rejects anything else,
// including non-zero leftover bits.
[[nodiscard]] std::optional<Bytes> base32_decode(std::string_view text);

[[nodiscard]] std::string base64_encode(ByteView data);  // standard alphabet, padded
[[nodiscard]] std::optional<Bytes> base64_decode(std::string_view text);
[[nodiscard]] std::string base64url_encode(ByteView data);  // URL-safe alphabet, no padding

[[nodiscard]] std::string hex_encode(ByteView data);

[[nodiscard]] inline ByteView as_bytes(std::string_view text) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace portcullis::operators::crypto
