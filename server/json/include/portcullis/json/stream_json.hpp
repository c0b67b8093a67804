#pragma once
// Messages of the live stream (docs/operator-api.md).
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "portcullis/core/alarms/alarm_book.hpp"
#include "portcullis/core/assets/asset_book.hpp"
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
// What the live map says about a rack's assets. `located`: the assets the RFID reads place in it (whatever
// their home). `expected`: the assets whose home rack it is and that are in service (the same rule that
// raises asset_missing), so a guard sees "present / expected" before any tag has been read; `present` of
// them are located in it, `away` (ids) are not.
struct RackTally {
  std::vector<std::string> located;
  std::size_t expected = 0;
  std::size_t present = 0;
  std::vector<std::string> away;
  std::size_t unseen = 0;  // of the away: never read anywhere yet (registered, tag not read since)
};

// Keeps, for the stream, where each asset is and which rack expects it; fed with every asset state the
// sequencer reports (start-up replay included). Not thread-safe: the stream hub holds its lock.
class RackContents {
 public:
  struct Known {
    std::string located;  // rack id, empty when not in a rack
    std::string home;     // rack id when expected there (home rack and in service), else empty
    bool seen = false;    // located anywhere since registration (a tag read): away vs not read yet
  };

  // Records an asset's new state. Returns the racks whose tally changed (old and new location, old and new
  // home), each once, sorted.
  std::vector<std::string> update(const core::AssetState& asset);
  void clear();
  [[nodiscard]] RackTally tally(const std::string& rack) const;
  // Ids located in / expected in a rack (nullptr: none), for writing a rack without copying them.
  [[nodiscard]] const std::set<std::string>* located_in(const std::string& rack) const;
  [[nodiscard]] const std::map<std::string, const Known*>* expected_in(const std::string& rack) const;

 private:
  // Hashed (one lookup per moved asset); its nodes do not move on rehash, so expected_ may point into it.
  std::unordered_map<std::string, Known> assets_;
  std::map<std::string, std::set<std::string>> located_;  // rack -> assets located in it
  // rack -> assets expected in it, each with its entry in assets_.
  std::map<std::string, std::map<std::string, const Known*>> expected_;
};

// A rack on the live map: its assets (by location and by home rack) and the state of its seals.
// Fields: id, name, zone, tier, two_person, asset_count, assets (located ids), expected_count,
// present_count, away_count, away (ids), unseen_count (of the away, those never read anywhere yet), seal.
[[nodiscard]] std::string rack_json(const core::RackDef& rack, const RackTally& tally,
                                    std::string_view seal_state);
// The same bytes, written straight from the contents (no RackTally copy of the id lists).
[[nodiscard]] std::string rack_json(const core::RackDef& rack, const RackContents& contents,
                                    std::string_view seal_state);

struct SubscribeRequest {
  std::set<std::string> topics;  // empty: all
  std::optional<std::int64_t> resume_from;
};
// nullopt for anything that is not a well-formed subscribe message.
[[nodiscard]] std::optional<SubscribeRequest> parse_subscribe(std::string_view text);

}  // namespace portcullis::json
