#include "portcullis/core/policy/remote_command_rules.hpp"

#include <algorithm>

namespace portcullis::core {
namespace {

CommandJudgement refused(std::string reason, std::string detail) {
  return {CommandRuling::Refused, std::move(reason), std::move(detail)};
}
CommandJudgement second_operator(std::string reason, std::string detail) {
  return {CommandRuling::NeedsSecondOperator, std::move(reason), std::move(detail)};
}

bool within_any(const SiteModel& model, Index zone, const std::set<ZoneId>& zones) {
  return std::any_of(zones.begin(), zones.end(), [&](const ZoneId& id) {
    if (id.empty()) return true;  // the whole site
    const Index z = model.zone_index(id);
    // A zone the site no longer knows: treated as the whole site, as the engine does for fire.
    return z == kNoIndex || (zone != kNoIndex && model.is_within(zone, z));
  });
}

bool locked_down(const SiteModel& model, const EngineState& state, Index zone) {
  if (state.site_lockdown) return true;
  return std::any_of(state.lockdowns.begin(), state.lockdowns.end(), [&](const ZoneId& id) {
    const Index locked = model.zone_index(id);
    return locked != kNoIndex && zone != kNoIndex && model.is_within(zone, locked);
  });
}

// A door the fire alarm releases for people to get out: fail-safe doors and mantrap doors of a burning zone.
bool fire_egress_door(const SiteModel& model, const EngineState& state, Index portal) {
  if (state.fires.empty()) return false;
  const PortalNode& p = model.portal(portal);
  const bool releasable = p.def.fail_safe || model.mantrap_of_portal(portal) != kNoIndex;
  return releasable && (within_any(model, p.from, state.fires) || within_any(model, p.to, state.fires));
}

bool door_busy(const EngineState& state, const PortalId& id, Timestamp now) {
  const auto it = state.doors.find(id);
  if (it == state.doors.end()) return false;
  const DoorState& d = it->second;
  return d.raw_open || d.open || now < d.released_until;
}

int effective_tier(const SiteModel& model, const EngineState& state, Index zone) {
  const int tier = model.zone(zone).def.tier;
  int level = 0;
  for (const auto& [id, value] : state.threat_levels) {
    if (id.empty()) {
      level = std::max(level, value);
      continue;
    }
    const Index z = model.zone_index(id);
    if (z != kNoIndex && model.is_within(zone, z)) level = std::max(level, value);
  }
  return level == 0 ? tier : model.raised_tier(tier, level);
}

bool two_person_place(const SiteModel& model, Index zone) {
  const ZoneDef& def = model.zone(zone).def;
  if (def.min_occupancy >= 2) return true;
  const TierNode* tier = model.tier(def.tier);
  return tier != nullptr && tier->def.two_person;
}

}  // namespace

std::optional<DoorCommandKind> parse_door_command_kind(std::string_view text) noexcept {
  for (auto kind : {DoorCommandKind::MomentaryUnlock, DoorCommandKind::Lock, DoorCommandKind::Unlock,
                    DoorCommandKind::LockOpen}) {
    if (to_string(kind) == text) return kind;
  }
  return std::nullopt;
}

std::string_view to_string(DoorCommandKind kind) noexcept {
  switch (kind) {
    case DoorCommandKind::MomentaryUnlock: return "momentary_unlock";
    case DoorCommandKind::Lock: return "lock";
    case DoorCommandKind::Unlock: return "unlock";
    case DoorCommandKind::LockOpen: return "lock_open";
  }
  return "unknown";
}

CommandJudgement judge_door_command(const SiteModel& model, const EngineState& state, const PortalId& door,
                                    DoorCommandKind kind, Timestamp now, int sensitive_tier) {
  const Index portal = model.portal_index(door);
  if (portal == kNoIndex) return refused("unknown_door", "the site has no door " + door.str());
  const PortalNode& p = model.portal(portal);

  if (!opens_door(kind)) {
    // Locking never lets anyone in; it only must never trap anyone in a fire.
    if (fire_egress_door(model, state, portal))
      return refused("fire_egress", door.str() + " is released for egress while the fire alarm lasts");
    return {CommandRuling::Allowed, {}, {}};
  }

  for (const Index zone : {p.to, p.from}) {
    if (locked_down(model, state, zone))
      return refused("lockdown", model.zone(zone).def.id.str() + " is locked down");
  }
  const Index mantrap = model.mantrap_of_portal(portal);
  if (mantrap != kNoIndex) {
    for (const Index other : model.mantrap(mantrap).portals) {
      const PortalId& other_id = model.portal(other).def.id;
      if (other != portal && door_busy(state, other_id, now))
        return refused("interlock_busy", other_id.str() + " of the same vestibule is open or released");
    }
    return second_operator("mantrap",
                           door.str() + " is a door of mantrap " + model.mantrap(mantrap).def.id.str());
  }
  for (const Index zone : {p.to, p.from}) {
    if (two_person_place(model, zone))
      return second_operator("two_person_place", model.zone(zone).def.id.str() + " is a two-person place");
  }
  for (const Index zone : {p.to, p.from}) {
    if (effective_tier(model, state, zone) >= sensitive_tier)
      return second_operator("tier", model.zone(zone).def.id.str() + " is tier " +
                                         std::to_string(effective_tier(model, state, zone)));
  }
  return {CommandRuling::Allowed, {}, {}};
}

}  // namespace portcullis::core
