#pragma once
// Assets in JSON: RFID read batches from readers, asset actions from operators (request bodies), and the
// views the API and stream show. The stored asset records (actions, movements, outcomes, EPCIS captures) are
// a frozen format: portcullis/ledger/records/asset_record.hpp.
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "portcullis/core/assets/asset_book.hpp"
#include "portcullis/ledger/records/field_error.hpp"

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

// ---- Views ------------------------------------------------------------------------------------------------

[[nodiscard]] std::string asset_json(const core::AssetState& asset);
[[nodiscard]] std::string seal_json(const core::SealState& seal);
[[nodiscard]] std::string move_order_json(const core::MoveOrder& order);
// The asset with its seals and its whole custody trail, in order.
[[nodiscard]] std::string asset_detail_json(const core::AssetBook& book, const core::AssetId& id);
[[nodiscard]] std::string asset_list_json(const core::AssetBook& book, core::Timestamp now);

}  // namespace portcullis::json
