#include "portcullis/http/request_checks.hpp"

#include "portcullis/core/text/utf8.hpp"
#include "portcullis/util/hex.hpp"
#include "portcullis/util/query_string.hpp"

namespace portcullis::http {
namespace {

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
    if (i + 2 >= target.size() || util::hex_digit_value(target[i + 1]) < 0 ||
        util::hex_digit_value(target[i + 2]) < 0)
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
  return util::percent_decode(text, plus_is_space ? util::PlusSign::Space : util::PlusSign::Literal);
}

}  // namespace portcullis::http
