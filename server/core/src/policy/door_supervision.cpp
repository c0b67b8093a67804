#include "door_supervision.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <string>

#include "fire_release.hpp"

namespace portcullis::core::detail {
namespace {

std::chrono::seconds secs(std::int64_t s) {
  return std::chrono::seconds{s};
}

// Someone may have crossed a portal of a two-person zone without badging (request to exit, forced or
// released opening): that zone's recorded occupancy can no longer be trusted. Zones nobody is recorded in
// are left alone (the forced-door alarm covers an empty zone).
void occupancy_unknown(const SiteModel& model, EngineState& state, Index portal, const std::string& why,
                       std::vector<Alarm>& alarms) {
  const PortalNode& p = model.portal(portal);
  for (Index zone : {p.to, p.from}) {
    const ZoneDef& z = model.zone(zone).def;
    if (z.min_occupancy < 2) continue;
    auto occ = state.occupancy.find(z.id);
    if (occ == state.occupancy.end() || occ->second == 0) continue;
    if (!state.occupancy_unknown.insert(z.id).second) continue;
    alarms.push_back({"occupancy_unknown", Severity::High, z.id.str(),
                      why + " at " + p.def.id.str() +
                          ": someone may have left or entered without badging; two-person integrity of " +
                          z.id.str() + " cannot be confirmed until everyone recorded inside badges out",
                      false});
  }
}

// Applies a contact change that has been stable for the debounce time, and the held-open deadline.
void settle_door(const SiteModel& model, EngineState& state, Index portal, DoorState& door, Timestamp now,
                 std::vector<Alarm>& alarms) {
  const PortalDef& def = model.portal(portal).def;
  const auto debounce = std::chrono::milliseconds{model.settings().contact_debounce_ms};
  if (door.raw_open != door.open && now - door.raw_since >= debounce) {
    if (door.raw_open) {
      door.open = true;
      door.open_since = door.raw_since;
      door.held_alarmed = false;
      const bool released = door.raw_since < door.released_until;
      door.shunted = released || released_by_fire(model, state, portal);
      door.forced = !door.shunted;
      if (door.forced) {
        alarms.push_back({"door_forced", Severity::High, def.id.str(),
                          "opened without a grant or a request to exit", false});
      }
      if (!released || door.released_for.empty()) {
        occupancy_unknown(model, state, portal, door.forced ? "door forced" : "opened without a badge",
                          alarms);
      }
    } else {
      door.open = false;
      // The passage is over: the door relocks when it closes, which frees a mantrap's other doors.
      if (door.shunted) door.released_until = std::min(door.released_until, door.raw_since);
      door.shunted = false;
      door.forced = false;
      door.held_alarmed = false;
    }
  }
  if (door.open && !door.held_alarmed && now - door.open_since >= secs(def.held_open_s) &&
      !released_by_fire(model, state, portal)) {
    door.held_alarmed = true;
    alarms.push_back({"door_held", Severity::Medium, def.id.str(),
                      "open for more than " + std::to_string(def.held_open_s) + " s", false});
  }
}

// A rack door: opened without a release is forced; open past the rack's held-open time is held. Racks are
// not egress: a fire alarm neither releases nor excuses them.
void settle_rack_door(const RackDef& def, DoorState& door, Timestamp now, std::chrono::milliseconds debounce,
                      std::vector<Alarm>& alarms) {
  if (door.raw_open != door.open && now - door.raw_since >= debounce) {
    door.open = door.raw_open;
    door.held_alarmed = false;
    if (door.open) {
      door.open_since = door.raw_since;
      door.shunted = door.raw_since < door.released_until;
      door.forced = !door.shunted;
      if (door.forced) {
        alarms.push_back(
            {"rack_door_forced", Severity::High, def.id.str(), "rack opened without a grant", false});
      }
    } else {
      if (door.shunted) door.released_until = std::min(door.released_until, door.raw_since);
      door.shunted = false;
      door.forced = false;
    }
  }
  if (door.open && !door.held_alarmed && now - door.open_since >= secs(def.held_open_s)) {
    door.held_alarmed = true;
    alarms.push_back({"rack_door_held", Severity::Medium, def.id.str(),
                      "open for more than " + std::to_string(def.held_open_s) + " s", false});
  }
}

}  // namespace

void release_rack_door(const SiteModel& model, EngineState& state, Index rack, const PersonId& person,
                       Timestamp now) {
  const RackDef& def = model.rack(rack).def;
  DoorState& door = state.rack_doors[def.id];
  door.released_until = std::max(door.released_until, now + secs(def.unlock_s));
  door.released_for = person;
}

void door_contact(const SiteModel& model, EngineState& state, const DoorContact& e, Timestamp at,
                  std::vector<Alarm>& alarms) {
  const bool open = e.state == ContactState::Open;
  if (!e.rack.empty()) {
    const Index rack = model.rack_index(e.rack);
    if (rack == kNoIndex) return;
    DoorState& door = state.rack_doors[e.rack];
    const auto debounce = std::chrono::milliseconds{model.settings().contact_debounce_ms};
    // The state reported so far is judged up to this report's own time, then the new one starts.
    settle_rack_door(model.rack(rack).def, door, at, debounce, alarms);
    door.contact_known = true;
    if (open != door.raw_open) {
      door.raw_open = open;
      door.raw_since = at;
    }
    settle_rack_door(model.rack(rack).def, door, at, debounce, alarms);
    if (door.raw_open || door.open) {
      state.rack_doors_open.insert(e.rack);
    } else {
      state.rack_doors_open.erase(e.rack);
    }
    return;
  }
  const Index portal = model.portal_index(e.portal);
  if (portal == kNoIndex) return;
  DoorState& door = state.doors[e.portal];
  settle_door(model, state, portal, door, at, alarms);
  door.contact_known = true;
  if (open != door.raw_open) {
    door.raw_open = open;
    door.raw_since = at;
  }
  settle_door(model, state, portal, door, at, alarms);
  if (door.raw_open || door.open) {
    state.doors_open.insert(e.portal);
  } else {
    state.doors_open.erase(e.portal);
  }
}

void request_to_exit(const SiteModel& model, EngineState& state, const RequestToExit& e, Timestamp at,
                     std::vector<Alarm>& alarms) {
  const Index portal = model.portal_index(e.portal);
  if (portal == kNoIndex) return;
  DoorState& door = state.doors[e.portal];
  door.released_until = std::max(door.released_until, at + secs(model.portal(portal).def.unlock_s));
  door.released_for = PersonId{};
  occupancy_unknown(model, state, portal, "request to exit", alarms);
}

void settle_open_doors(const SiteModel& model, EngineState& state, Timestamp now, std::vector<Alarm>& alarms,
                       const DoorContact* judged) {
  const PortalId skip_portal = judged != nullptr && judged->rack.empty() ? judged->portal : PortalId{};
  const RackId skip_rack = judged != nullptr ? judged->rack : RackId{};
  for (auto it = state.doors_open.begin(); it != state.doors_open.end();) {
    const Index portal = model.portal_index(*it);
    DoorState& door = state.doors[*it];
    if (portal != kNoIndex && *it != skip_portal) settle_door(model, state, portal, door, now, alarms);
    it = (door.raw_open || door.open) ? std::next(it) : state.doors_open.erase(it);
  }
  for (auto it = state.rack_doors_open.begin(); it != state.rack_doors_open.end();) {
    const Index rack = model.rack_index(*it);
    DoorState& door = state.rack_doors[*it];
    if (rack != kNoIndex && *it != skip_rack) {
      settle_rack_door(model.rack(rack).def, door, now,
                       std::chrono::milliseconds{model.settings().contact_debounce_ms}, alarms);
    }
    it = (door.raw_open || door.open) ? std::next(it) : state.rack_doors_open.erase(it);
  }
}

}  // namespace portcullis::core::detail
