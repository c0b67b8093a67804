#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// The stored asset records: operators' asset actions (asset.<type>), RFID movements (asset.moved), their
// outcomes, the asset book's opening (asset.registry_opened) and EPCIS captures (epcis.captured).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "portcullis/core/assets/asset_book.hpp"

namespace portcullis::json {

// ---- Asset actions ----------------------------------------------------------------------------------------

[[nodiscard]] std::string stored_asset_action_json(const core::AssetAction& action, const core::Actor& actor);
struct StoredAssetAction {
  core::AssetAction action;
  core::Actor actor;
};
[[nodiscard]] std::optional<StoredAssetAction> asset_action_from_stored_json(std::string_view text);

// ---- Movements and outcomes ------------------------------------------------------------------------------

[[nodiscard]] std::string movement_json(const core::AssetMovement& movement);
[[nodiscard]] std::optional<core::AssetMovement> movement_from_json(std::string_view text);
// {"decision": ... | null, "alarms": [...], "changes": [{"field","before","after"}], "detail"?}
[[nodiscard]] std::string asset_outcome_json(const core::AssetOutcome& outcome);

// The `asset.registry_opened` record: when the asset book of a site was first opened.
[[nodiscard]] std::string registry_opened_json(core::Timestamp at);
[[nodiscard]] std::optional<core::Timestamp> registry_opened_from_json(std::string_view text);

// EPCIS captures (the `epcis.captured` record keeps each eventID once, with the answer it got).
struct EpcisEventResult {
  std::string event_id;
  std::string effect;  // observe, register, destroy, not_applied
  std::string status;  // applied, not_applied, refused
  std::string reason;  // not_applied / refused: why
  std::size_t observations = 0;
  std::size_t movements = 0;
};
[[nodiscard]] std::string epcis_result_json(const EpcisEventResult& result);
struct EpcisCaptured {
  std::string event_id;
  std::string canonical_sha256;
  std::string path;
  std::string result_json;
};
[[nodiscard]] std::string epcis_captured_json(const EpcisCaptured& captured);
[[nodiscard]] std::optional<EpcisCaptured> epcis_captured_from_json(std::string_view text);

}  // namespace portcullis::json
