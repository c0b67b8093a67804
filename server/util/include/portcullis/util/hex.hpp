#pragma once
// Base 16 (RFC 4648 section 8): digests, token hashes, keys and nonces in text.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::util {

// Lowercase for everything stored or compared as text (digests); uppercase where a format asks for it
// (PDF hex strings, OSDP codes in messages, percent-encoding).
enum class HexCase : bool { Lower, Upper };

[[nodiscard]] std::string hex_encode(std::span<const std::uint8_t> bytes, HexCase letters = HexCase::Lower);
[[nodiscard]] std::string hex_encode(std::string_view bytes, HexCase letters = HexCase::Lower);
// Appends the two digits of one byte.
void append_hex_byte(std::string& out, std::uint8_t byte, HexCase letters = HexCase::Lower);

// The value of one hex digit (either case), or -1.
[[nodiscard]] int hex_digit_value(char c) noexcept;
// An even number of hex digits (either case) and nothing else; empty text is zero bytes.
[[nodiscard]] std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view text);

}  // namespace portcullis::util
