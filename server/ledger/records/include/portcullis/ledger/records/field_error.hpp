#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// The stored readers report a record they cannot read as a FieldError; the API parsers (server/json) use
// the same type for a rejected request.
#include <string>

namespace portcullis::json {

// A rejected input: which field (a path such as "events[2].card.bits") and why.
struct FieldError {
  std::string field;
  std::string message;
};

}  // namespace portcullis::json
