#include "portcullis/util/hex.hpp"

namespace portcullis::util {
namespace {

constexpr std::string_view kLower = "0123456789abcdef";
constexpr std::string_view kUpper = "0123456789ABCDEF";

}  // namespace

void append_hex_byte(std::string& out, std::uint8_t byte, HexCase letters) {
  const std::string_view digits = letters == HexCase::Upper ? kUpper : kLower;
  out += digits[byte >> 4U];
  out += digits[byte & 0x0FU];
}

std::string hex_encode(std::span<const std::uint8_t> bytes, HexCase letters) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) append_hex_byte(out, b, letters);
  return out;
}

std::string hex_encode(std::string_view bytes, HexCase letters) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) append_hex_byte(out, static_cast<std::uint8_t>(c), letters);
  return out;
}

int hex_digit_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = hex_digit_value(text[i]);
    const int low = hex_digit_value(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(high * 16 + low));
  }
  return out;
}

}  // namespace portcullis::util
