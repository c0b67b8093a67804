#include "portcullis/operators/crypto/encoding.hpp"

#include <array>
#include <cstdint>

namespace portcullis::operators::crypto {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kBase64UrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int base32_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

int base64_value(char c) noexcept {
  const auto at = kBase64Alphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

// Splits "data===" into data and padding, requiring padding only at the end.
std::string_view strip_padding(std::string_view text) noexcept {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  return text;
}

// Shared bit-packing for base32/base64: `bits_per_char` from each character, whole bytes out.
std::string encode_bits(ByteView data, std::string_view alphabet, unsigned bits_per_char) {
  std::string out;
  std::uint32_t buffer = 0;
  unsigned bits = 0;
  const std::uint32_t mask = (1u << bits_per_char) - 1u;
  for (std::uint8_t byte : data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= bits_per_char) {
      bits -= bits_per_char;
      out.push_back(alphabet[(buffer >> bits) & mask]);
    }
  }
  if (bits > 0) out.push_back(alphabet[(buffer << (bits_per_char - bits)) & mask]);
  return out;
}

template <class ValueOf>
std::optional<Bytes> decode_bits(std::string_view text, unsigned bits_per_char, ValueOf value_of) {
  Bytes out;
  std::uint32_t buffer = 0;
  unsigned bits = 0;
  for (char c : text) {
    const int value = value_of(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << bits_per_char) | static_cast<std::uint32_t>(value);
    bits += bits_per_char;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((buffer >> bits) & 0xFFu));
    }
  }
  // Leftover bits must be zero and fewer than one character's worth, or the text was not produced
  // by an encoder (and two different strings would decode to one secret).
  if (bits >= bits_per_char || (buffer & ((1u << bits) - 1u)) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::string base32_encode(ByteView data, Padding padding) {
  std::string out = encode_bits(data, kBase32Alphabet, 5);
  if (padding == Padding::With) {
    while (out.size() % 8 != 0) out.push_back('=');
  }
  return out;
}

std::optional<Bytes> base32_decode(std::string_view text) {
  const std::string_view data = strip_padding(text);
  const bool padded = data.size() != text.size();
  if (padded && (text.size() % 8 != 0 || text.size() - data.size() >= 8)) return std::nullopt;
  // Lengths that no byte count encodes to (1, 3, 6 characters mod 8) are malformed.
  const auto tail = data.size() % 8;
  if (tail == 1 || tail == 3 || tail == 6) return std::nullopt;
  return decode_bits(data, 5, base32_value);
}

std::string base64_encode(ByteView data) {
  std::string out = encode_bits(data, kBase64Alphabet, 6);
  while (out.size() % 4 != 0) out.push_back('=');
  return out;
}

std::optional<Bytes> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  const std::string_view data = strip_padding(text);
  if (text.size() - data.size() > 2) return std::nullopt;
  return decode_bits(data, 6, base64_value);
}

std::string base64url_encode(ByteView data) {
  return encode_bits(data, kBase64UrlAlphabet, 6);
}

std::string hex_encode(ByteView data) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (std::uint8_t byte : data) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0x0Fu]);
  }
  return out;
}

}  // namespace portcullis::operators::crypto
