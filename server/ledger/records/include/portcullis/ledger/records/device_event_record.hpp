#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// The stored form of a device event (the payload of an access.* / device.* record) and of the engine's
// outcome stored with it.
#include <string>
#include <string_view>
#include <variant>

#include "portcullis/core/device_event.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/ledger/records/field_error.hpp"

namespace portcullis::json {

// Canonical stored payload: {"type": ..., fields...} with sorted keys and no secret (a PIN is never stored).
[[nodiscard]] std::string stored_payload_json(const core::DeviceEvent& event);
// Inverse of stored_payload_json, for replay at start-up.
[[nodiscard]] std::variant<core::DevicePayload, FieldError> payload_from_stored_json(std::string_view json);

// Canonical outcome: {"decision": {...} | null, "alarms": [...]}.
[[nodiscard]] std::string outcome_json(const core::Outcome& outcome);

}  // namespace portcullis::json
