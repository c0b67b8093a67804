#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// The stored payload of a `security.chain_tampered` / `security.chain_unattested` record: what the server
// found wrong with its own history (docs/event-store.md, "Tampering").
#include <optional>
#include <string>
#include <string_view>

namespace portcullis::json {

struct TamperFinding {
  std::string check;   // which check found it: "chain", "site_version", "checkpoint", "foreign_rows", ...
  std::string detail;  // one line naming the rows or the version
};

// Canonical JSON (sorted keys); text that is not valid UTF-8 is replaced, never thrown on.
[[nodiscard]] std::string tamper_finding_json(const TamperFinding& finding);
[[nodiscard]] std::optional<TamperFinding> tamper_finding_from_json(std::string_view text);

}  // namespace portcullis::json
