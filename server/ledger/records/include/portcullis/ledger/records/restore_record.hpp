#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// The stored payload of a `history.restore_acknowledged` record: an admin acknowledged that the history was
// restored to an earlier point (or replaced), and a signed checkpoint proves which rows are gone
// (docs/operations.md, "Backup and restore (pgBackRest)"). The record is the first row after the restored
// head, so the audit trail itself says what was lost and on whose word the server served again.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portcullis::json {

struct RestoreAcknowledgement {
  std::string acknowledged_by;  // who acknowledged (the admin's name, as given on the command line)
  std::string kind;             // "removed": rows after the restored head are gone; "replaced": rows differ
  std::int64_t lost_from = 0;   // the first site_seq the checkpoint proves lost (or replaced)
  std::int64_t lost_to = 0;     // the last: the checkpoint's site_seq
  std::string checkpoint;       // the checkpoint's file name ("<site>-<20 digits>.checkpoint.json")
  std::string checkpoint_hash;  // the hash it signed for lost_to (hex)
  std::string checkpoint_key;   // the fingerprint of the key that signed it
  std::int64_t restored_head = 0;  // the database's head when the loss was found
  std::string restored_head_hash;  // its hash (hex; empty for an empty history)
  std::string set_aside_to;        // where the lost checkpoints were moved, kept as evidence
};

// Canonical JSON (sorted keys); text that is not valid UTF-8 is replaced, never thrown on.
[[nodiscard]] std::string restore_acknowledgement_json(const RestoreAcknowledgement& acknowledgement);
[[nodiscard]] std::optional<RestoreAcknowledgement> restore_acknowledgement_from_json(std::string_view text);

}  // namespace portcullis::json
