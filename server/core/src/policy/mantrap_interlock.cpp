#include "mantrap_interlock.hpp"

#include <algorithm>
#include <chrono>
#include <string>

#include "fire_release.hpp"

namespace portcullis::core::detail {
namespace {

// The contact of a mantrap door cannot be trusted: never reported, or a device that reports it is silent.
bool contact_unknown(const SiteModel& model, const EngineState& state, Index portal, const DoorState* door) {
  if (door == nullptr || !door->contact_known) return true;
  for (const DeviceId& device : model.portal_devices(portal)) {
    auto seen = state.devices.find(device);
    if (seen != state.devices.end() && seen->second.silent_alarmed) return true;
  }
  return false;
}

// Open, or released for somebody else, or (entries only) of unknown state. A door released for this very
// person no longer blocks: they are presenting at another door of the vestibule, so they went through it.
bool door_busy(const SiteModel& model, const EngineState& state, Index portal, const PersonId& person,
               bool egress, Timestamp now) {
  auto it = state.doors.find(model.portal(portal).def.id);
  const DoorState* door = it == state.doors.end() ? nullptr : &it->second;
  if (!egress && contact_unknown(model, state, portal, door)) return true;
  if (door == nullptr) return false;
  if (door->raw_open || door->open) return true;
  return now < door->released_until && (door->released_for.empty() || door->released_for != person);
}

}  // namespace

std::optional<Reason> mantrap_check(const SiteModel& model, const EngineState& state, Index portal,
                                    Index source, bool egress, const PersonId& person, Timestamp now,
                                    std::vector<Alarm>& alarms) {
  const Index m = model.mantrap_of_portal(portal);
  if (m == kNoIndex) return std::nullopt;
  const MantrapNode& mantrap = model.mantrap(m);
  // Tailgating first: it is the reason a guard must hear about.
  if (source == mantrap.vestibule && !egress) {
    auto it = state.mantraps.find(mantrap.def.id);
    if (it != state.mantraps.end()) {
      const MantrapState& ms = it->second;
      const bool sensed_more = ms.sensed && *ms.sensed > 1;
      const bool someone_else = std::any_of(ms.inside.begin(), ms.inside.end(), [&](const auto& entry) {
        return entry.first != person && now - entry.second < std::chrono::seconds{mantrap.def.max_dwell_s};
      });
      if (sensed_more || someone_else) {
        alarms.push_back({"tailgating", Severity::High, mantrap.def.id.str(),
                          (sensed_more ? "occupancy sensor counts " + std::to_string(*ms.sensed)
                                       : std::string{"another person was admitted to the vestibule"}) +
                              "; " + model.portal(portal).def.id.str() + " stays locked for " + person.str(),
                          false});
        return Reason::Tailgating;
      }
    }
  }
  for (Index other : mantrap.portals) {
    if (other != portal && door_busy(model, state, other, person, egress, now)) return Reason::InterlockBusy;
  }
  return std::nullopt;
}

void mantrap_passage(const SiteModel& model, EngineState& state, Index portal, Index destination,
                     const PersonId& person, Timestamp now) {
  const Index m = model.mantrap_of_portal(portal);
  if (m == kNoIndex) return;
  const MantrapNode& mantrap = model.mantrap(m);
  // The person went through the door released for them: it relocks (unless its contact says open).
  for (Index other : mantrap.portals) {
    if (other == portal) continue;
    auto it = state.doors.find(model.portal(other).def.id);
    if (it != state.doors.end() && it->second.released_for == person && !it->second.raw_open &&
        !it->second.open)
      it->second.released_until = std::min(it->second.released_until, now);
  }
  MantrapState& ms = state.mantraps[mantrap.def.id];
  std::erase_if(ms.inside, [&](const auto& entry) { return entry.first == person; });
  if (destination == mantrap.vestibule) {
    ms.inside.emplace_back(person, now);
    ms.entry_door = model.portal(portal).def.id;
  }
}

void occupancy_report(const SiteModel& model, EngineState& state, const OccupancyReport& e, Timestamp now,
                      std::vector<Alarm>& alarms) {
  const Index m = model.mantrap_index(e.mantrap);
  if (m == kNoIndex) return;
  MantrapState& ms = state.mantraps[e.mantrap];
  const bool was_more = ms.sensed && *ms.sensed > 1;
  ms.sensed = e.count;
  // The sensor confirms a passage: a closed door released for it relocks (frees the interlock) without
  // waiting for its unlock time. Someone inside: the door they came in through; nobody: every door.
  auto relock = [&](const PortalId& id) {
    auto it = state.doors.find(id);
    if (it != state.doors.end() && !it->second.raw_open && !it->second.open)
      it->second.released_until = std::min(it->second.released_until, now);
  };
  if (e.count == 0) {
    ms.inside.clear();
    for (Index p : model.mantrap(m).portals) relock(model.portal(p).def.id);
    ms.entry_door = PortalId{};
  } else if (!ms.entry_door.empty()) {
    relock(ms.entry_door);
    ms.entry_door = PortalId{};
  }
  if (e.count > 1 && !was_more && !fire_covers_zone(model, state, model.mantrap(m).vestibule)) {
    alarms.push_back({"tailgating", Severity::High, e.mantrap.str(),
                      "occupancy sensor counts " + std::to_string(e.count) + " in the vestibule", false});
  }
}

}  // namespace portcullis::core::detail
