#pragma once
// JSON for the operator API (login, comments, commands) and the site summary the console draws.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "portcullis/json/field_error.hpp"

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

// POST /api/v1/operators. Every account is linked to a person of the site or is an explicit service account
// (`"service": true`), never neither and never both. The role is checked by the caller.
struct NewOperatorBody {
  std::string id, role, name, person;
  bool service = false;
};
[[nodiscard]] std::variant<NewOperatorBody, FieldError> parse_new_operator(std::string_view body);

// A change to an operator account, in the canonical bytes a second admin's approval is bound to (and that
// the change.requested record keeps, so a restart rebuilds it). `password_hash`: the scrypt hash of the
// one-time password the requester was given (create, password_reset).
struct OperatorChange {
  std::string change;  // create | disable | enable | password_reset | totp_reset
  std::string operator_id;
  std::string password_hash;
  NewOperatorBody created;  // create only
};
[[nodiscard]] std::string canonical_operator_change(const OperatorChange& change);
[[nodiscard]] std::optional<OperatorChange> parse_operator_change(std::string_view canonical);

struct CommentBody {
  std::string comment;
};
// A required, non-empty comment of at most 2,000 characters.
[[nodiscard]] std::variant<CommentBody, FieldError> parse_comment(std::string_view body);

struct DoorCommandBody {
  std::string target;   // portal id
  std::string command;  // momentary_unlock | lock | unlock | lock_open
  std::string reason;
};
[[nodiscard]] std::variant<DoorCommandBody, FieldError> parse_door_command(std::string_view body);
// The canonical bytes a dual approval is bound to.
[[nodiscard]] std::string canonical_door_command(const DoorCommandBody& command);

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
