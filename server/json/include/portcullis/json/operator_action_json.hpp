#pragma once
// Operator actions (revocations, just-in-time grants, forgiveness, lockdown): request bodies in, and the
// stored form that a replay reads back.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "portcullis/core/policy/operator_action.hpp"
#include "portcullis/json/field_error.hpp"

namespace portcullis::json {

// `route` names the action ("revoke_person", "revoke_credential", "revoke_grant", "request_jit",
// "approve_jit", "forgive", "lockdown", "release"); `target` is the id from the path, if any.
[[nodiscard]] std::variant<core::OperatorAction, FieldError> parse_action_request(std::string_view route,
                                                                                  const std::string& target,
                                                                                  std::string_view body,
                                                                                  const std::string& new_id);

[[nodiscard]] std::string stored_action_json(const core::OperatorAction& action, const core::Actor& actor);
struct StoredAction {
  core::OperatorAction action;
  core::Actor actor;
};
[[nodiscard]] std::optional<StoredAction> action_from_stored_json(std::string_view text);

}  // namespace portcullis::json
