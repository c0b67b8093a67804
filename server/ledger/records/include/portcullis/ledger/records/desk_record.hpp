#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// The stored records of door commands ("command.*") and of admin changes held for a second operator
// ("change.*"). Each record carries the whole state after its step, so that a restart rebuilds the command
// desk and the changes waiting for approval by re-applying the records in seq order (docs/operator-api.md,
// "Durability of commands and approvals"). Records written before that carried less: reading them back
// gives a FieldError that names what is missing, and the caller skips them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "portcullis/ledger/records/field_error.hpp"

namespace portcullis::json {

// A dual approval as stored (server/operators/dual_approval.hpp PendingApproval, in plain types).
struct ApprovalRecord {
  std::string action;
  std::string change_sha256;
  std::string status;  // pending | approved | executed | rejected | voided | expired
  std::int64_t requested_at_us = 0;
  std::int64_t expires_at_us = 0;
  std::string decided_by;          // empty: nobody yet
  std::int64_t decided_at_us = 0;  // 0: not decided
};

struct CommandRecord {
  std::string id, target, command, reason, status, requested_by;
  std::string requester_person;  // the requester's site person, if linked
  std::string device;            // the device that drives the door
  std::optional<ApprovalRecord> approval;
};

// {"by", "command": {id, target, command, reason, status, requested_by}, "device", "requester_person",
//  "approval": {...}}: the first two as before, the rest added for the replay.
[[nodiscard]] std::string command_record_json(const std::string& by, const CommandRecord& command);
[[nodiscard]] std::variant<CommandRecord, FieldError> command_from_record(std::string_view payload);

struct ChangeRecord {
  std::string id;  // "approval" in the payload
  std::string requested_by;
  std::string requester_person;
  std::string requester_role;  // guard | supervisor | auditor | admin
  ApprovalRecord approval;     // its action, hash and status are the payload's top-level fields
  std::string change;          // the canonical change the approval is bound to (hashed as change_sha256)
  std::string site_text;       // site_tier_change: the site file to load once approved
};

// {"by", "approval", "action", "requested_by", "change_sha256", "status"} as before, plus
// "requester_person", "requester_role", "requested_at_us", "expires_at_us", "decided_by", "decided_at_us",
// and on change.requested "change" (and "site_text" for a site reload).
[[nodiscard]] std::string change_record_json(const std::string& by, const ChangeRecord& change,
                                             bool with_change);
[[nodiscard]] std::variant<ChangeRecord, FieldError> change_from_record(std::string_view payload,
                                                                        bool with_change);

}  // namespace portcullis::json
