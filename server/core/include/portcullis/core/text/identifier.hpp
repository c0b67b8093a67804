#pragma once
// The one grammar of identifiers (people, groups, grants, devices, commands, approvals, ...): 1 to 64
// characters of [A-Za-z0-9._:-]. Enforced where an id is created and where a path names one, so an id that
// can be created can always be addressed, and nothing else reaches a handler or a record.
#include <cstddef>
#include <string_view>

namespace portcullis::core::text {

inline constexpr std::size_t kMaxIdentifierLength = 64;
inline constexpr std::string_view kIdentifierGrammar = "1-64 characters [A-Za-z0-9._:-]";

[[nodiscard]] constexpr bool is_identifier_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == ':' || c == '-';
}

[[nodiscard]] constexpr bool is_valid_identifier(std::string_view s) noexcept {
  if (s.empty() || s.size() > kMaxIdentifierLength) return false;
  for (char c : s) {
    if (!is_identifier_char(c)) return false;
  }
  return true;
}

}  // namespace portcullis::core::text
