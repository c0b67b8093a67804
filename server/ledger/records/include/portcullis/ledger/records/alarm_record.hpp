#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// The payload of an alarm.acknowledged / alarm.resolved / alarm.escalated record: which alarm, which operator
// (or "portcullisd"), and the comment. A replay applies it to the alarm book again.
#include <optional>
#include <string>
#include <string_view>

namespace portcullis::json {

struct AlarmChangePayload {
  std::string alarm;
  std::string operator_id;
  std::string comment;
};

[[nodiscard]] std::string alarm_change_payload(const AlarmChangePayload& change);
[[nodiscard]] std::optional<AlarmChangePayload> parse_alarm_change_payload(std::string_view text);

}  // namespace portcullis::json
