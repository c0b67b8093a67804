// Base64, base64url and base32 share one bit packer: each character carries 5 or 6 bits.
#include "portcullis/util/base32.hpp"
#include "portcullis/util/base64.hpp"

namespace portcullis::util {
namespace {

using Bytes = std::vector<std::uint8_t>;

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

int value_in(std::string_view alphabet, char c) noexcept {
  const auto at = alphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

std::string_view strip_padding(std::string_view text) noexcept {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  return text;
}

std::string encode_bits(std::span<const std::uint8_t> data, std::string_view alphabet,
                        unsigned bits_per_char) {
  std::string out;
  out.reserve((data.size() * 8 + bits_per_char - 1) / bits_per_char + 8);
  std::uint32_t buffer = 0;
  unsigned bits = 0;
  const std::uint32_t mask = (1U << bits_per_char) - 1U;
  for (const std::uint8_t byte : data) {
    buffer = (buffer << 8U) | byte;
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
  out.reserve(text.size() * bits_per_char / 8);
  std::uint32_t buffer = 0;
  unsigned bits = 0;
  for (const char c : text) {
    const int value = value_of(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << bits_per_char) | static_cast<std::uint32_t>(value);
    bits += bits_per_char;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((buffer >> bits) & 0xFFU));
    }
  }
  // Leftover bits must be zero and fewer than one character's worth, or the text was not written by an
  // encoder (and two different texts would decode to one secret).
  if (bits >= bits_per_char || (buffer & ((1U << bits) - 1U)) != 0) return std::nullopt;
  return out;
}

std::span<const std::uint8_t> as_bytes(std::string_view text) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  std::string out = encode_bits(bytes, kBase64Alphabet, 6);
  while (out.size() % 4 != 0) out.push_back('=');
  return out;
}

std::string base64_encode(std::string_view bytes) {
  return base64_encode(as_bytes(bytes));
}

std::optional<Bytes> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  const std::string_view data = strip_padding(text);
  if (text.size() - data.size() > 2) return std::nullopt;
  return decode_bits(data, 6, [](char c) { return value_in(kBase64Alphabet, c); });
}

std::string base64url_encode(std::span<const std::uint8_t> bytes) {
  return encode_bits(bytes, kBase64UrlAlphabet, 6);
}

std::optional<Bytes> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;  // no byte count encodes to that many characters
  return decode_bits(text, 6, [](char c) { return value_in(kBase64UrlAlphabet, c); });
}

std::string base32_encode(std::span<const std::uint8_t> bytes, Padding padding) {
  std::string out = encode_bits(bytes, kBase32Alphabet, 5);
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

}  // namespace portcullis::util
