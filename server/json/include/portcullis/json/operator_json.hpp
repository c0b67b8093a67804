#pragma once
// JSON for the operator API (login, comments, commands) and the site summary the console draws.
#include <string>
#include <string_view>
#include <variant>

#include "portcullis/json/field_error.hpp"

namespace portcullis::json {

struct LoginBody {
  std::string username, password, totp;
};
[[nodiscard]] std::variant<LoginBody, FieldError> parse_login(std::string_view body);

struct CommentBody {
  std::string comment;
};
// A required, non-empty comment of at most 2,000 characters.
[[nodiscard]] std::variant<CommentBody, FieldError> parse_comment(std::string_view body);

// The loaded site file reduced to what operators may see: no PIN hashes, no token hashes, no card numbers.
[[nodiscard]] std::string site_summary_json(std::string_view site_file_text);

}  // namespace portcullis::json
