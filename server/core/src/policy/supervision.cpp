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

}  // namespace

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

void commit_passage(const SiteModel& model, EngineState& state, Index portal, Index destination,
                    const PersonId& person, Timestamp now) {
  set_presence(state, person, Presence{model.zone(destination).def.id, now});
  const PortalDef& def = model.portal(portal).def;
  DoorState& door = state.doors[def.id];
  door.released_until = std::max(door.released_until, now + secs(def.unlock_s));
  door.released_for = person;
  mantrap_passage(model, state, portal, destination, person, now);
}

void heard_from(const SiteModel& model, EngineState& state, const DeviceId& device, Index device_index,
                Timestamp now) {
  if (device_index == kNoIndex) return;
  const std::int64_t interval = model.device(device_index).heartbeat_s;
  if (interval <= 0) return;
  auto [it, fresh] = state.devices.try_emplace(device);
  DeviceSeen& seen = it->second;
  if (!fresh && !seen.silent_alarmed) state.silence_deadlines.erase({seen.last + secs(interval), device});
  seen.last = now;
  seen.silent_alarmed = false;
  state.silence_deadlines.emplace(now + secs(interval), device);
}

void tamper(const Tamper& e, const DeviceId& device, std::vector<Alarm>& alarms) {
  if (!e.active) return;
  alarms.push_back({"tamper", Severity::High, device.str(),
                    (e.component.empty() ? std::string{"device"} : e.component) + " tamper", false});
}

void run_deadlines(const SiteModel& model, EngineState& state, Timestamp now, std::vector<Alarm>& alarms,
                   const DoorContact* judged) {
  settle_open_doors(model, state, now, alarms, judged);
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
    // Also during a fire: entries still need two persons, so one left behind is worth a guard's look.
    if (z == kNoIndex) continue;
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
  // Everyone recorded inside has badged out (or been forgiven): the zone's occupancy is known again.
  std::erase_if(state.occupancy_unknown, [&](const ZoneId& zone) { return !state.occupancy.contains(zone); });
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
