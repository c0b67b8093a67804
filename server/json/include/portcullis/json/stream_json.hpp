#pragma once
// Messages of the live stream (docs/operator-api.md).
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/core/alarms/alarm_book.hpp"
#include "portcullis/core/live/facility_view.hpp"
#include "portcullis/core/model/site_definition.hpp"

namespace portcullis::json {

[[nodiscard]] std::string door_json(const core::DoorView& door);
[[nodiscard]] std::string zone_json(const core::ZoneView& zone);
[[nodiscard]] std::string access_json(const core::AccessView& access);

// data_json is already JSON.
[[nodiscard]] std::string delta_message(std::int64_t seq, std::string_view topic,
                                        const std::string& data_json);
[[nodiscard]] std::string heartbeat_message(std::int64_t seq);
[[nodiscard]] std::string snapshot_message(std::int64_t seq, const std::vector<core::DoorView>& doors,
                                           const std::vector<core::ZoneView>& zones,
                                           const std::vector<core::AlarmRecord>& alarms,
                                           const std::map<std::string, std::string>& whereabouts,
                                           const std::vector<std::string>& racks_json = {},
                                           const std::vector<std::string>& assets_json = {});
// A rack on the live map: its assets (by location) and the state of its seals.
[[nodiscard]] std::string rack_json(const core::RackDef& rack, std::size_t assets,
                                    const std::vector<std::string>& asset_ids, std::string_view seal_state);

struct SubscribeRequest {
  std::set<std::string> topics;  // empty: all
  std::optional<std::int64_t> resume_from;
};
// nullopt for anything that is not a well-formed subscribe message.
[[nodiscard]] std::optional<SubscribeRequest> parse_subscribe(std::string_view text);

}  // namespace portcullis::json
