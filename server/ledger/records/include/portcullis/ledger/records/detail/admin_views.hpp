#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// A person and a group as the stored admin action shows them before and after an edit
// (stored_admin_action_json). GET /api/v1/people (server/json people_json) shows them the same way.
#include <nlohmann/json.hpp>

#include "portcullis/core/model/site_definition.hpp"

namespace portcullis::json::detail {

// What an auditor needs, never a PIN hash: "pin"/"duress_pin" say only whether one is set.
nlohmann::json person_view(const core::PersonDef& p);
nlohmann::json group_view(const core::GroupDef& g);

}  // namespace portcullis::json::detail
