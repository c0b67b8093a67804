#pragma once
// `epcis.captured` records by EPCIS eventID, through the index of migration 0006: how the sequencer answers
// a retry of an eventID it no longer holds in memory (docs/epcis.md, "Idempotency").
#include <pqxx/connection>

#include <string>
#include <vector>

namespace portcullis::storage {

// The payloads of the site's `epcis.captured` records whose eventID is one of `event_ids` (candidates: the
// caller parses each payload and compares its event_id exactly).
[[nodiscard]] std::vector<std::string> find_epcis_captured(pqxx::connection& connection,
                                                           const std::string& site_id,
                                                           const std::vector<std::string>& event_ids);

}  // namespace portcullis::storage
