#include "portcullis/util/bearer.hpp"

namespace portcullis::util {
namespace {

bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t';
}

char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::optional<std::string_view> bearer_token(std::string_view header) noexcept {
  constexpr std::string_view kScheme = "bearer";
  while (!header.empty() && is_blank(header.front())) header.remove_prefix(1);
  while (!header.empty() && is_blank(header.back())) header.remove_suffix(1);
  if (header.size() <= kScheme.size() || !is_blank(header[kScheme.size()])) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (lower(header[i]) != kScheme[i]) return std::nullopt;
  }
  auto token = header.substr(kScheme.size());
  while (!token.empty() && is_blank(token.front())) token.remove_prefix(1);
  if (token.empty()) return std::nullopt;
  for (const char c : token) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7F) return std::nullopt;
  }
  return token;
}

}  // namespace portcullis::util
