#pragma once
// Base32 (RFC 4648 section 6) for TOTP secrets that people type into authenticator apps.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::util {

enum class Padding : bool { Without, With };

[[nodiscard]] std::string base32_encode(std::span<const std::uint8_t> bytes, Padding padding = Padding::With);
// Accepts upper or lower case and optional '=' padding (apps differ); refuses anything else, including
// lengths no byte count encodes to and non-zero leftover bits.
[[nodiscard]] std::optional<std::vector<std::uint8_t>> base32_decode(std::string_view text);

}  // namespace portcullis::util
