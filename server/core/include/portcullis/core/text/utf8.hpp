#pragma once
// UTF-8 checks for text that crosses the server's edges. PostgreSQL refuses invalid UTF-8 and NUL in
// text columns, and nlohmann's dump() throws on invalid UTF-8: text is checked where it enters and made
// valid where records are built, so one bad byte can never fail a commit or a handler.
#include <cstddef>
#include <string>
#include <string_view>

namespace portcullis::core::text {

// Length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlongs, no surrogates, at most
// U+10FFFF), or 0 when the bytes there are not one.
[[nodiscard]] inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > s.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

[[nodiscard]] inline bool is_valid_utf8(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const auto n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Valid UTF-8 and no NUL: what a PostgreSQL text column accepts.
[[nodiscard]] inline bool is_storable_text(std::string_view s) noexcept {
  return s.find('\0') == std::string_view::npos && is_valid_utf8(s);
}

// `s` with every byte that is not part of a well-formed sequence, and every NUL, replaced by U+FFFD.
// Text that is already storable comes back unchanged.
[[nodiscard]] inline std::string to_storable_text(std::string_view s) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto n = utf8_sequence_length(s, i);
    if (n == 0 || s[i] == '\0') {
      out += kReplacement;
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace portcullis::core::text
