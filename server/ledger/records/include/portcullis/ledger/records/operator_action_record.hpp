#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// The stored form of an operator's policy action (the payload of a policy.<type> record), which a replay
// reads back and applies again; also the canonical bytes a held action's second approval is bound to.
#include <optional>
#include <string>
#include <string_view>

#include "portcullis/core/policy/admin_change.hpp"
#include "portcullis/core/policy/operator_action.hpp"

namespace portcullis::json {

[[nodiscard]] std::string stored_action_json(const core::OperatorAction& action, const core::Actor& actor);
struct StoredAction {
  core::OperatorAction action;
  core::Actor actor;
};
[[nodiscard]] std::optional<StoredAction> action_from_stored_json(std::string_view text);

// The stored action (stored_action_json) with the engine's report added: "before"/"after" (a person or a
// group; PIN hashes appear only as "pin": true/false) when applied, "problems" [{path, message}] when
// refused.
[[nodiscard]] std::string stored_admin_action_json(const core::OperatorAction& action,
                                                   const core::Actor& actor, const core::AdminReport& report);
// Problems as a JSON array [{"path", "message"}]: the "problems" of a refused admin edit's record, and the
// same list in API answers.
[[nodiscard]] std::string problems_json(const core::Problems& problems);

}  // namespace portcullis::json
