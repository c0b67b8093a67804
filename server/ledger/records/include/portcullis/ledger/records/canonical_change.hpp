#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// The canonical bytes a second operator's approval is bound to: their SHA-256 is the change_sha256 of the
// stored command.* / change.* records (desk_record.hpp), and an operator change's bytes are kept whole in
// change.requested, so a restart rebuilds the held change and checks it against the hash.
#include <optional>
#include <string>
#include <string_view>

namespace portcullis::json {

// An operator account as POST /api/v1/operators creates it (server/json parse_new_operator). Every account
// is linked to a person of the site or is an explicit service account (`"service": true`), never neither
// and never both.
struct NewOperatorBody {
  std::string id, role, name, person;
  bool service = false;
};
// A change to an operator account, in the canonical bytes a second admin's approval is bound to (and that
// the change.requested record keeps, so a restart rebuilds it). `password_hash`: the scrypt hash of the
// one-time password the requester was given (create, password_reset).
struct OperatorChange {
  std::string change;  // create | disable | enable | password_reset | totp_reset
  std::string operator_id;
  std::string password_hash;
  NewOperatorBody created;  // create only
};
[[nodiscard]] std::string canonical_operator_change(const OperatorChange& change);
[[nodiscard]] std::optional<OperatorChange> parse_operator_change(std::string_view canonical);

// A door command as POST /api/v1/commands asks for it (server/json parse_door_command).
struct DoorCommandBody {
  std::string target;   // portal id
  std::string command;  // momentary_unlock | lock | unlock | lock_open
  std::string reason;
};
// The canonical bytes a dual approval of a door command is bound to.
[[nodiscard]] std::string canonical_door_command(const DoorCommandBody& command);

}  // namespace portcullis::json
