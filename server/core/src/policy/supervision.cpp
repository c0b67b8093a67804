#include "supervision.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <string>

namespace portcullis::core::detail {
namespace {

std::chrono::seconds secs(std::int64_t s) {
  return std::chrono::seconds{s};
}

bool released_by_fire(const SiteModel& model, const EngineState& state, Index portal) {
  if (state.fires.empty()) return false;
  const bool releasable = model.mantrap_of_portal(portal) != kNoIndex || model.portal(portal).def.fail_safe;
  return releasable && fire_covers_portal(model, state, portal);
}

// Applies a contact change that has been stable for the debounce time, and the held-open deadline.
void settle_door(const SiteModel& model, const EngineState& state_view, Index portal, DoorState& door,
                 Timestamp now, std::vector<Alarm>& alarms) {
  const PortalDef& def = model.portal(portal).def;
  const auto debounce = std::chrono::milliseconds{model.settings().contact_debounce_ms};
  if (door.raw_open != door.open && now - door.raw_since >= debounce) {
    if (door.raw_open) {
      door.open = true;
      door.open_since = door.raw_since;
      door.held_alarmed = false;
      door.shunted = door.raw_since < door.released_until || released_by_fire(model, state_view, portal);
      door.forced = !door.shunted;
      if (door.forced) {
        alarms.push_back({"door_forced", Severity::High, def.id.str(),
                          "opened without a grant or a request to exit", false});
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
      !released_by_fire(model, state_view, portal)) {
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

// Open, or released for somebody else. A door released for this very person no longer blocks: they are
// presenting at another door of the vestibule, so they went through it.
bool door_busy(const EngineState& state, const PortalId& id, const PersonId& person, Timestamp now) {
  auto it = state.doors.find(id);
  if (it == state.doors.end()) return false;
  const DoorState& d = it->second;
  if (d.raw_open || d.open) return true;
  return now < d.released_until && (d.released_for.empty() || d.released_for != person);
}

}  // namespace

bool fire_covers_zone(const SiteModel& model, const EngineState& state, Index zone) {
  for (const ZoneId& id : state.fires) {
    if (id.empty()) return true;
    const Index z = model.zone_index(id);
    if (z == kNoIndex) return true;  // a zone the site no longer knows: life safety first, the whole site
    if (zone != kNoIndex && model.is_within(zone, z)) return true;
  }
  return false;
}

bool fire_covers_portal(const SiteModel& model, const EngineState& state, Index portal) {
  if (state.fires.empty()) return false;
  const PortalNode& p = model.portal(portal);
  return fire_covers_zone(model, state, p.from) || fire_covers_zone(model, state, p.to);
}

bool suspended_by_fire(const SiteModel& model, const EngineState& state, const Passage& p) {
  if (state.fires.empty()) return false;
  return p.rack ? fire_covers_zone(model, state, p.destination) : fire_covers_portal(model, state, p.target);
}

void set_presence(EngineState& state, const PersonId& person, std::optional<Presence> presence) {
  auto it = state.presence.find(person);
  if (it != state.presence.end()) {
    auto occ = state.occupancy.find(it->second.zone);
    if (occ != state.occupancy.end() && --occ->second == 0) state.occupancy.erase(occ);
    if (!presence) {
      state.presence.erase(it);
      return;
    }
  }
  if (!presence) return;
  ++state.occupancy[presence->zone];
  state.presence[person] = std::move(*presence);
}

int threat_level(const SiteModel& model, const EngineState& state, Index zone) {
  int level = 0;
  for (const auto& [id, value] : state.threat_levels) {
    if (id.empty()) {
      level = std::max(level, value);
      continue;
    }
    const Index z = model.zone_index(id);
    if (z != kNoIndex && zone != kNoIndex && model.is_within(zone, z)) level = std::max(level, value);
  }
  return level;
}

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
        return entry.first != person && now - entry.second < secs(mantrap.def.max_dwell_s);
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
    if (other != portal && door_busy(state, model.portal(other).def.id, person, now))
      return Reason::InterlockBusy;
  }
  return std::nullopt;
}

void commit_passage(const SiteModel& model, EngineState& state, Index portal, Index source, Index destination,
                    const PersonId& person, Timestamp now) {
  set_presence(state, person, Presence{model.zone(destination).def.id, now});
  const PortalDef& def = model.portal(portal).def;
  DoorState& door = state.doors[def.id];
  door.released_until = std::max(door.released_until, now + secs(def.unlock_s));
  door.released_for = person;
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
    ms.entry_door = def.id;
  }
  (void)source;
}

void heard_from(const SiteModel& model, EngineState& state, const DeviceId& device, Timestamp now) {
  const std::int64_t interval = model.heartbeat_s(device);
  if (interval <= 0) return;
  auto [it, fresh] = state.devices.try_emplace(device);
  DeviceSeen& seen = it->second;
  if (!fresh && !seen.silent_alarmed) state.silence_deadlines.erase({seen.last + secs(interval), device});
  seen.last = now;
  seen.silent_alarmed = false;
  state.silence_deadlines.emplace(now + secs(interval), device);
}

void release_rack_door(const SiteModel& model, EngineState& state, Index rack, const PersonId& person,
                       Timestamp now) {
  const RackDef& def = model.rack(rack).def;
  DoorState& door = state.rack_doors[def.id];
  door.released_until = std::max(door.released_until, now + secs(def.unlock_s));
  door.released_for = person;
}

void door_contact(const SiteModel& model, EngineState& state, const DoorContact& e, Timestamp now,
                  std::vector<Alarm>& alarms) {
  if (!e.rack.empty()) {
    const Index rack = model.rack_index(e.rack);
    if (rack == kNoIndex) return;
    DoorState& door = state.rack_doors[e.rack];
    const bool open = e.state == ContactState::Open;
    if (open != door.raw_open) {
      door.raw_open = open;
      door.raw_since = now;
    }
    settle_rack_door(model.rack(rack).def, door, now,
                     std::chrono::milliseconds{model.settings().contact_debounce_ms}, alarms);
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
  const bool open = e.state == ContactState::Open;
  if (open != door.raw_open) {
    door.raw_open = open;
    door.raw_since = now;
  }
  settle_door(model, state, portal, door, now, alarms);
  if (door.raw_open || door.open) {
    state.doors_open.insert(e.portal);
  } else {
    state.doors_open.erase(e.portal);
  }
}

void request_to_exit(const SiteModel& model, EngineState& state, const RequestToExit& e, Timestamp now) {
  const Index portal = model.portal_index(e.portal);
  if (portal == kNoIndex) return;
  DoorState& door = state.doors[e.portal];
  door.released_until = std::max(door.released_until, now + secs(model.portal(portal).def.unlock_s));
  door.released_for = PersonId{};
}

void tamper(const Tamper& e, const DeviceId& device, std::vector<Alarm>& alarms) {
  if (!e.active) return;
  alarms.push_back({"tamper", Severity::High, device.str(),
                    (e.component.empty() ? std::string{"device"} : e.component) + " tamper", false});
}

void fire_alarm(const SiteModel& model, EngineState& state, const FireAlarm& e, std::vector<Alarm>& alarms) {
  if (!e.active) {
    state.fires.erase(e.zone);
    return;
  }
  state.fires.insert(e.zone);
  std::string released;
  for (Index p = 0; p < model.portal_count(); ++p) {
    if (released_by_fire(model, state, p))
      released += (released.empty() ? "" : ", ") + model.portal(p).def.id.str();
  }
  alarms.push_back({"fire_alarm", Severity::Critical, e.zone.empty() ? std::string{"site"} : e.zone.str(),
                    "released: " + (released.empty() ? std::string{"none"} : released) +
                        "; interlock, two-person and anti-passback suspended; egress never held locked",
                    false});
}

void occupancy_report(const SiteModel& model, EngineState& state, const OccupancyReport& e, Timestamp now,
                      std::vector<Alarm>& alarms) {
  if (model.mantrap_index(e.mantrap) == kNoIndex) return;
  MantrapState& ms = state.mantraps[e.mantrap];
  const bool was_more = ms.sensed && *ms.sensed > 1;
  ms.sensed = e.count;
  const Index m = model.mantrap_index(e.mantrap);
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

void run_deadlines(const SiteModel& model, EngineState& state, Timestamp now, std::vector<Alarm>& alarms) {
  for (auto it = state.doors_open.begin(); it != state.doors_open.end();) {
    const Index portal = model.portal_index(*it);
    DoorState& door = state.doors[*it];
    if (portal != kNoIndex) settle_door(model, state, portal, door, now, alarms);
    it = (door.raw_open || door.open) ? std::next(it) : state.doors_open.erase(it);
  }
  for (auto it = state.rack_doors_open.begin(); it != state.rack_doors_open.end();) {
    const Index rack = model.rack_index(*it);
    DoorState& door = state.rack_doors[*it];
    if (rack != kNoIndex) {
      settle_rack_door(model.rack(rack).def, door, now,
                       std::chrono::milliseconds{model.settings().contact_debounce_ms}, alarms);
    }
    it = (door.raw_open || door.open) ? std::next(it) : state.rack_doors_open.erase(it);
  }
  for (auto& [id, ms] : state.mantraps) {
    const Index m = model.mantrap_index(id);
    if (m == kNoIndex || !ms.occupied_since || ms.stuck_alarmed) continue;
    const MantrapNode& mantrap = model.mantrap(m);
    if (now - *ms.occupied_since < secs(mantrap.def.max_dwell_s)) continue;
    if (fire_covers_zone(model, state, mantrap.vestibule)) continue;
    ms.stuck_alarmed = true;
    std::string who;
    for (const auto& [person, since] : ms.inside) who += (who.empty() ? "" : ", ") + person.str();
    alarms.push_back({"mantrap_stuck", Severity::High, id.str(),
                      "vestibule occupied for more than " + std::to_string(mantrap.def.max_dwell_s) + " s" +
                          (who.empty() ? std::string{} : " (" + who + ")"),
                      false});
  }
  for (auto it = state.two_person.begin(); it != state.two_person.end();) {
    TwoPersonAttempt& tp = it->second;
    if (!tp.expired && now >= tp.deadline) {
      tp.expired = true;
      const std::string where = tp.first.rack.empty() ? tp.first.portal.str() : tp.first.rack.str();
      alarms.push_back(
          {"two_person_window_expired", Severity::Medium, where,
           tp.first.person.str() + " waited " +
               std::to_string(
                   std::chrono::duration_cast<std::chrono::seconds>(tp.deadline - tp.started).count()) +
               " s without a second person",
           false});
    }
    // Kept one more window so a late second person hears window_expired, then forgotten.
    if (tp.expired && now >= tp.deadline + (tp.deadline - tp.started)) {
      it = state.two_person.erase(it);
    } else {
      ++it;
    }
  }
  // Silent strictly after the interval; in deadline order (ties by device id).
  while (!state.silence_deadlines.empty() && state.silence_deadlines.begin()->first < now) {
    const DeviceId id = state.silence_deadlines.begin()->second;
    state.silence_deadlines.erase(state.silence_deadlines.begin());
    const std::int64_t interval = model.heartbeat_s(id);
    auto seen = state.devices.find(id);
    if (interval <= 0 || seen == state.devices.end()) continue;  // no longer supervised after a reload
    if (seen->second.silent_alarmed) continue;
    if (now - seen->second.last <= secs(interval)) {  // a reload lengthened the interval: not silent yet
      state.silence_deadlines.emplace(seen->second.last + secs(interval), id);
      continue;
    }
    seen->second.silent_alarmed = true;
    alarms.push_back({"device_silent", Severity::High, id.str(),
                      "nothing heard for more than " + std::to_string(interval) + " s", false});
  }
  for (auto& [zone, lone] : state.lone) {
    if (lone.alarmed || now - lone.since < secs(model.settings().lone_person_grace_s)) continue;
    const Index z = model.zone_index(zone);
    if (z == kNoIndex || fire_covers_zone(model, state, z)) continue;
    lone.alarmed = true;
    alarms.push_back({"lone_person", Severity::High, zone.str(),
                      lone.person.str() + " alone in a two-person zone", false});
  }
}

void after_input(const SiteModel& model, EngineState& state, Timestamp now) {
  for (auto& [id, ms] : state.mantraps) {
    const bool occupied = (ms.sensed && *ms.sensed > 0) || !ms.inside.empty();
    if (occupied && !ms.occupied_since) {
      ms.occupied_since = now;
    } else if (!occupied) {
      ms.occupied_since.reset();
      ms.stuck_alarmed = false;
    }
  }
  for (Index z : model.two_person_zones()) {
    const ZoneId& id = model.zone(z).def.id;
    auto occ = state.occupancy.find(id);
    const std::uint32_t count = occ == state.occupancy.end() ? 0 : occ->second;
    if (count != 1) {
      state.lone.erase(id);
      continue;
    }
    if (state.lone.contains(id)) continue;
    PersonId who;
    for (const auto& [person, presence] : state.presence) {
      if (presence.zone == id) who = person;
    }
    state.lone.emplace(id, LoneState{who, now, false});
  }
}

}  // namespace portcullis::core::detail
