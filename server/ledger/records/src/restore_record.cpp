// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.

#include "portcullis/ledger/records/restore_record.hpp"

#include <nlohmann/json.hpp>

namespace portcullis::json {

std::string restore_acknowledgement_json(const RestoreAcknowledgement& a) {
  nlohmann::json j;
  j["acknowledged_by"] = a.acknowledged_by;
  j["kind"] = a.kind;
  j["lost_from"] = a.lost_from;
  j["lost_to"] = a.lost_to;
  j["checkpoint"] = a.checkpoint;
  j["checkpoint_hash"] = a.checkpoint_hash;
  j["checkpoint_key"] = a.checkpoint_key;
  j["restored_head"] = a.restored_head;
  j["restored_head_hash"] = a.restored_head_hash;
  j["set_aside_to"] = a.set_aside_to;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<RestoreAcknowledgement> restore_acknowledgement_from_json(std::string_view text) {
  try {
    const auto j = nlohmann::json::parse(text);
    RestoreAcknowledgement a;
    a.acknowledged_by = j.at("acknowledged_by").get<std::string>();
    a.kind = j.at("kind").get<std::string>();
    a.lost_from = j.at("lost_from").get<std::int64_t>();
    a.lost_to = j.at("lost_to").get<std::int64_t>();
    a.checkpoint = j.at("checkpoint").get<std::string>();
    a.checkpoint_hash = j.at("checkpoint_hash").get<std::string>();
    a.checkpoint_key = j.at("checkpoint_key").get<std::string>();
    a.restored_head = j.at("restored_head").get<std::int64_t>();
    a.restored_head_hash = j.at("restored_head_hash").get<std::string>();
    a.set_aside_to = j.at("set_aside_to").get<std::string>();
    return a;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace portcullis::json
