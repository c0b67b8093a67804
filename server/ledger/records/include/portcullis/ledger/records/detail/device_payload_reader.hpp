#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// The fields of one device event by type. The stored payload reader (payload_from_stored_json) and the device
// API's request parser (server/json parse_event_request) share it, so an event the API accepts is one a
// replay reads back.
#include <optional>
#include <string>

#include "portcullis/core/device_event.hpp"
#include "portcullis/ledger/records/detail/field_reader.hpp"

namespace portcullis::json::detail {

// `stored`: a stored payload (a PIN event carries the engine's verdict, never the PIN) rather than a request
// (which carries the PIN). Problems go to `r`; nullopt for an unknown type.
std::optional<core::DevicePayload> read_device_payload(FieldReader& r, const std::string& type, bool stored);

}  // namespace portcullis::json::detail
