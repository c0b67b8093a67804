#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// Parts of the stored asset records that the asset API (server/json asset_json.cpp) shares: an asset action's
// fields (the request parser reads a body with the same reader a replay reads a stored action with), an
// asset definition as stored in register_asset, and a location as a stored movement writes it.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "portcullis/core/assets/asset_book.hpp"
#include "portcullis/ledger/records/field_error.hpp"

namespace portcullis::json::detail {

inline constexpr std::size_t kMaxEpcLength = 128;

// The fields of one asset action of type `type` (core::type_name), from a request body (with the path id
// merged in) or the "fields" of a stored record. `now` turns a request's "valid_for_s" into valid_until.
std::variant<core::AssetAction, FieldError> read_asset_action(std::string_view type,
                                                              const nlohmann::json& doc, core::Timestamp now);
nlohmann::json asset_def_to_json(const core::AssetDef& a);
// {"rack":...,"zone":...}, either or both left out when empty.
void put_location(std::string& out, const core::Location& l);

}  // namespace portcullis::json::detail
