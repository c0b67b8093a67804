#pragma once
// Operator actions (revocations, just-in-time grants, forgiveness, lockdown): request bodies in. Their stored
// form, which a replay reads back, is a frozen format (portcullis/ledger/records/operator_action_record.hpp).
#include <string>
#include <string_view>
#include <variant>

#include "portcullis/core/policy/operator_action.hpp"
#include "portcullis/ledger/records/field_error.hpp"

namespace portcullis::json {

// `route` names the action ("revoke_person", "revoke_credential", "revoke_grant", "request_jit",
// "approve_jit", "forgive", "lockdown", "release"); `target` is the id from the path, if any.
[[nodiscard]] std::variant<core::OperatorAction, FieldError> parse_action_request(std::string_view route,
                                                                                  const std::string& target,
                                                                                  std::string_view body,
                                                                                  const std::string& new_id);

}  // namespace portcullis::json
