#include "portcullis/http/request_checks.hpp"

#include "portcullis/core/text/utf8.hpp"

namespace portcullis::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool has_control(std::string_view s) {
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) return true;
  }
  return false;
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::optional<std::string> target_problem(std::string_view target) {
  if (!core::text::is_valid_utf8(target)) return "the request target is not valid UTF-8";
  if (has_control(target)) return "the request target holds a control character";
  for (std::size_t i = 0; i < target.size(); ++i) {
    if (target[i] != '%') continue;
    if (i + 2 >= target.size() || hex_value(target[i + 1]) < 0 || hex_value(target[i + 2]) < 0)
      return "the request target holds a malformed %-escape";
  }
  return std::nullopt;
}

bool has_media_type(const HttpRequest& request, std::string_view media_type) {
  const auto* value = request.header("content-type");
  if (value == nullptr) return false;
  std::string_view type{*value};
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  if (type.size() != media_type.size()) return false;
  for (std::size_t i = 0; i < type.size(); ++i) {
    if (lower(type[i]) != lower(media_type[i])) return false;
  }
  return true;
}

std::optional<std::string> percent_decode_text(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (plus_is_space && text[i] == '+') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  if (!core::text::is_valid_utf8(out) || has_control(out)) return std::nullopt;
  return out;
}

}  // namespace portcullis::http
