#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
#include "portcullis/core/device_event.hpp"
#include "portcullis/ledger/records/detail/field_reader.hpp"

namespace portcullis::json::detail {

// A card is either {"format": "H10301"|"H10304"|"C1000", "bits": "0101..."} (decoded and parity-checked
// by the Wiegand codec, raw bits kept) or {"facility": 12, "number": 3456}.
core::Card read_card(FieldReader& r);
const char* card_format_name(core::CardFormat format);

}  // namespace portcullis::json::detail
