#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// Internal: the stored form of admin edits and added grants inside a policy.<type> record.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "portcullis/core/policy/operator_action.hpp"

namespace portcullis::json::detail {

void admin_change_fields(const core::AdminChange& change, nlohmann::json& j);
// nullopt when `name` is not an admin edit; throws (nlohmann) on a malformed record.
std::optional<core::AdminChange> admin_change_from(const std::string& name, const nlohmann::json& j);

nlohmann::json grant_fields(const core::GrantDef& g);
core::GrantDef grant_from(const nlohmann::json& j);

}  // namespace portcullis::json::detail
