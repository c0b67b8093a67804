// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.

#include "portcullis/ledger/records/tamper_record.hpp"

#include <nlohmann/json.hpp>

namespace portcullis::json {

std::string tamper_finding_json(const TamperFinding& finding) {
  nlohmann::json j;
  j["check"] = finding.check;
  j["detail"] = finding.detail;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<TamperFinding> tamper_finding_from_json(std::string_view text) {
  try {
    const auto j = nlohmann::json::parse(text);
    return TamperFinding{j.at("check").get<std::string>(), j.at("detail").get<std::string>()};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace portcullis::json
