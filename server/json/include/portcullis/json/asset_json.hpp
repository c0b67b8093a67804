#pragma once
// Assets in JSON: RFID read batches from readers, asset actions from operators (request bodies and
// the stored form a replay reads back), stored movements, outcomes, and the views the API and stream show.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "portcullis/core/assets/asset_book.hpp"
#include "portcullis/json/field_error.hpp"

namespace portcullis::json {

// ---- RFID reads (POST /api/v1/rfid/reads) -------------------------------------------------------------

inline constexpr std::size_t kMaxReadsPerRequest = 10'000;

struct RfidReadBatch {
  std::string device_id;
  std::vector<core::RfidObservation> reads;  // device filled in from device_id
};
// {"device_id": "...", "reads": [{"reader", "epc", "count"?, "rack"?, "zone"?}, ...]}
[[nodiscard]] std::variant<RfidReadBatch, FieldError> parse_rfid_reads(std::string_view body);

// ---- Asset actions ----------------------------------------------------------------------------------------

// `type` is core::type_name of the action ("register_asset", "check_seal"...). `target` is the id from the
// path (asset, seal or move order), or empty; `new_id` names a new move order. `now` turns a request's
// "valid_for_s" into the stored valid_until.
[[nodiscard]] std::variant<core::AssetAction, FieldError> parse_asset_action_request(
    std::string_view type, const std::string& target, std::string_view body, const std::string& new_id,
    core::Timestamp now);

[[nodiscard]] std::string stored_asset_action_json(const core::AssetAction& action, const core::Actor& actor);
struct StoredAssetAction {
  core::AssetAction action;
  core::Actor actor;
};
[[nodiscard]] std::optional<StoredAssetAction> asset_action_from_stored_json(std::string_view text);

// ---- Stored movements and outcomes ----------------------------------------------------------------------

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

// ---- Views ------------------------------------------------------------------------------------------------

[[nodiscard]] std::string asset_json(const core::AssetState& asset);
[[nodiscard]] std::string seal_json(const core::SealState& seal);
[[nodiscard]] std::string move_order_json(const core::MoveOrder& order);
// The asset with its seals and its whole custody trail, in order.
[[nodiscard]] std::string asset_detail_json(const core::AssetBook& book, const core::AssetId& id);
[[nodiscard]] std::string asset_list_json(const core::AssetBook& book, core::Timestamp now);

}  // namespace portcullis::json
