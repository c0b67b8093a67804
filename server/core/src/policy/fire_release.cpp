#include "fire_release.hpp"

#include <string>

namespace portcullis::core::detail {

bool fire_covers_zone(const SiteModel& model, const EngineState& state, Index zone) {
  for (const ZoneId& id : state.fires) {
    if (id.empty()) return true;
    const Index z = model.zone_index(id);
    // Only a reload can leave a fire on a zone the site no longer knows (a panel's alarm for an unknown zone
    // is refused): life safety first, the whole site, until an operator clears it (ClearFire).
    if (z == kNoIndex) return true;
    if (zone != kNoIndex && model.is_within(zone, z)) return true;
  }
  return false;
}

bool fire_covers_portal(const SiteModel& model, const EngineState& state, Index portal) {
  if (state.fires.empty()) return false;
  const PortalNode& p = model.portal(portal);
  return fire_covers_zone(model, state, p.from) || fire_covers_zone(model, state, p.to);
}

bool released_by_fire(const SiteModel& model, const EngineState& state, Index portal) {
  if (state.fires.empty()) return false;
  const bool releasable = model.mantrap_of_portal(portal) != kNoIndex || model.portal(portal).def.fail_safe;
  return releasable && fire_covers_portal(model, state, portal);
}

bool fire_egress(const SiteModel& model, const EngineState& state, const Passage& passage) {
  return !state.fires.empty() && !passage.rack && passage.egress &&
         fire_covers_portal(model, state, passage.target);
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
                    "released for egress: " + (released.empty() ? std::string{"none"} : released) +
                        "; egress never held locked; entries keep two-person, interlock, anti-passback "
                        "and rack locks",
                    false});
}

DoorAction door_action_for(const SiteModel& model, const EngineState& state, const Decision& decision) {
  if (decision.portal.empty() && decision.rack.empty()) return DoorAction::None;
  if (decision.verdict == Verdict::Grant) return DoorAction::Unlock;
  if (!decision.portal.empty() && !state.fires.empty()) {
    const Index portal = model.portal_index(decision.portal);
    // The entry side of a door stays locked by itself; a lock command could hold its egress side too.
    if (portal != kNoIndex && fire_covers_portal(model, state, portal)) return DoorAction::None;
  }
  return DoorAction::Lock;
}

}  // namespace portcullis::core::detail
