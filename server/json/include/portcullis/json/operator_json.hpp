#pragma once
// JSON for the operator API (login, comments, commands) and the site summary the console draws.
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "portcullis/ledger/records/canonical_change.hpp"
#include "portcullis/ledger/records/field_error.hpp"

namespace portcullis::json {

struct LoginBody {
  std::string username, password, totp;
};
[[nodiscard]] std::variant<LoginBody, FieldError> parse_login(std::string_view body);

// POST /api/v1/auth/password: signs in like the login (password and code) and sets a new password (judged by
// operators::check_new_password, not here).
struct PasswordChangeBody {
  std::string username, password, totp, new_password;
};
[[nodiscard]] std::variant<PasswordChangeBody, FieldError> parse_password_change(std::string_view body);

// POST /api/v1/operators: a NewOperatorBody (portcullis/ledger/records/canonical_change.hpp). The role is
// checked by the caller.
[[nodiscard]] std::variant<NewOperatorBody, FieldError> parse_new_operator(std::string_view body);

struct CommentBody {
  std::string comment;
};
// A required, non-empty comment of at most 2,000 characters.
[[nodiscard]] std::variant<CommentBody, FieldError> parse_comment(std::string_view body);

// A DoorCommandBody (portcullis/ledger/records/canonical_change.hpp): its canonical bytes bind a dual
// approval.
[[nodiscard]] std::variant<DoorCommandBody, FieldError> parse_door_command(std::string_view body);

struct CommandResultBody {
  std::string status;  // done | failed
  std::string detail;
};
[[nodiscard]] std::variant<CommandResultBody, FieldError> parse_command_result(std::string_view body);

// Per portal of a site file: the device that drives it and the tier of the zone it leads into.
struct PortalInfo {
  std::string device;
  int tier = 0;
};
[[nodiscard]] std::map<std::string, PortalInfo> portal_info(std::string_view site_file_text);

// The loaded site file reduced to what operators may see: no PIN hashes, no token hashes, no card numbers.
[[nodiscard]] std::string site_summary_json(std::string_view site_file_text);

}  // namespace portcullis::json
