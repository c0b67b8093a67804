// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
#include "portcullis/ledger/records/alarm_record.hpp"

#include <nlohmann/json.hpp>

namespace portcullis::json {

std::string alarm_change_payload(const AlarmChangePayload& c) {
  nlohmann::json j;
  j["alarm"] = c.alarm;
  j["operator"] = c.operator_id;
  j["comment"] = c.comment;
  return j.dump();
}

std::optional<AlarmChangePayload> parse_alarm_change_payload(std::string_view text) {
  try {
    const auto j = nlohmann::json::parse(text);
    return AlarmChangePayload{j.at("alarm").get<std::string>(), j.at("operator").get<std::string>(),
                              j.at("comment").get<std::string>()};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace portcullis::json
