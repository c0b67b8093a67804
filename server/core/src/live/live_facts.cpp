#include "portcullis/core/live/live_facts.hpp"

#include <algorithm>

namespace portcullis::core {
namespace {

bool covered_by(const SiteModel& model, Index zone, const std::set<ZoneId>& zones) {
  return std::any_of(zones.begin(), zones.end(), [&](const ZoneId& id) {
    if (id.empty()) return true;
    const Index z = model.zone_index(id);
    return z == kNoIndex || model.is_within(zone, z);  // an unknown zone: the whole site, as the engine does
  });
}

bool locked_down(const SiteModel& model, const EngineState& state, Index zone) {
  if (state.site_lockdown) return true;
  return std::any_of(state.lockdowns.begin(), state.lockdowns.end(), [&](const ZoneId& id) {
    const Index z = model.zone_index(id);
    return z != kNoIndex && model.is_within(zone, z);
  });
}

bool device_silent(const EngineState& state, const DeviceId& device) {
  const auto it = state.devices.find(device);
  return it != state.devices.end() && it->second.silent_alarmed;
}

}  // namespace

LiveFacts live_facts(const SiteModel& model, const EngineState& state, Timestamp /*now*/) {
  LiveFacts facts;
  for (std::size_t z = 0; z < model.zone_count(); ++z) {
    const auto zone = static_cast<Index>(z);
    const ZoneId& id = model.zone(zone).def.id;
    ZoneFacts f;
    if (const auto it = state.occupancy.find(id); it != state.occupancy.end()) f.occupancy = it->second;
    f.lockdown = locked_down(model, state, zone);
    f.fire = covered_by(model, zone, state.fires);
    facts.zones.emplace(id.str(), f);
  }
  for (std::size_t p = 0; p < model.portal_count(); ++p) {
    const auto portal = static_cast<Index>(p);
    const PortalNode& node = model.portal(portal);
    DoorFacts f;
    const bool releasable = node.def.fail_safe || model.mantrap_of_portal(portal) != kNoIndex;
    const bool fire = covered_by(model, node.from, state.fires) || covered_by(model, node.to, state.fires);
    if (releasable && fire) {
      f.mode = "fire_release";
    } else if (locked_down(model, state, node.to)) {
      f.mode = "locked_down";
    }
    for (const ReaderDef& r : node.def.readers) {
      const Index reader = model.reader_index(r.id);
      if (reader == kNoIndex) continue;
      for (const DeviceId& device : model.reader(reader).devices)
        if (device_silent(state, device)) f.online = false;
    }
    if (const auto it = state.doors.find(node.def.id); it != state.doors.end()) {
      if (it->second.forced)
        f.alarm = "forced";
      else if (it->second.held_alarmed)
        f.alarm = "held";
    }
    facts.doors.emplace(node.def.id.str(), std::move(f));
  }
  for (const auto& [person, presence] : state.presence)
    facts.presence.emplace(person.str(), presence.zone.str());
  return facts;
}

}  // namespace portcullis::core
