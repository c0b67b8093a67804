#pragma once
// What a guard sees: door states, zone occupancy and who is where, derived from the stored events and
// their decisions. Pure and replayable like the engine; the live stream publishes its changes.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "portcullis/core/device_event.hpp"
#include "portcullis/core/live/live_facts.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/core/site_model.hpp"

namespace portcullis::core {

struct DoorView {
  std::string id, name;
  bool open = false;
  bool locked = true;
  std::string alarm = "none";  // none | forced | held
  bool online = true;
  std::string mode = "normal";           // normal | locked_down | fire_release (LiveFacts)
  std::optional<Timestamp> unlocked_at;  // a granted passage unlocks the door for its unlock time
  friend bool operator==(const DoorView&, const DoorView&) = default;
};

struct ZoneView {
  std::string id;
  std::uint32_t occupancy = 0;
  bool lockdown = false;
  bool fire = false;
};

struct AccessView {
  Timestamp at{};
  std::int64_t site_seq = 0;
  std::string portal, reader, person, person_name, verdict, reason, destination;
};

struct ViewChanges {
  std::vector<DoorView> doors;
  std::vector<ZoneView> zones;
  std::optional<AccessView> access;
};

class FacilityView {
 public:
  explicit FacilityView(std::shared_ptr<const SiteModel> model);

  // A new site model (a reload or an admin edit): doors and zones still in it keep their state, new ones
  // start closed, locked and empty, removed ones disappear.
  void replace_model(std::shared_ptr<const SiteModel> model);

  ViewChanges apply(const DeviceEvent& event, const Outcome& outcome, std::int64_t site_seq, Timestamp at);

  // The engine's own view after a batch of records (mode, online, forced / held, occupancy, lockdown, fire,
  // whereabouts): authoritative over what apply() derived from single events. Returns what changed.
  ViewChanges apply_facts(const LiveFacts& facts);

  // Doors unlocked by a grant longer ago than `unlock_time` and closed again are shown locked: the
  // controller relocks them by itself, with or without telling us.
  std::vector<DoorView> relock_expired(Timestamp now, Duration unlock_time);

  // A door's passage as an engine snapshot kept it (open, locked, unlocked_at): doors not in the model are
  // ignored.
  void restore_passage(const DoorView& door);

  [[nodiscard]] const std::map<std::string, DoorView>& doors() const noexcept { return doors_; }
  [[nodiscard]] std::vector<ZoneView> zones() const;
  // Person id -> the zone the person was last granted into.
  [[nodiscard]] const std::map<std::string, std::string>& whereabouts() const noexcept {
    return person_zone_;
  }

 private:
  [[nodiscard]] ZoneView zone_view(const std::string& id) const;
  std::shared_ptr<const SiteModel> model_;
  std::map<std::string, DoorView> doors_;
  std::map<std::string, std::uint32_t> occupancy_;
  std::map<std::string, ZoneFacts> zone_facts_;
  std::map<std::string, std::string> person_zone_;
};

}  // namespace portcullis::core
