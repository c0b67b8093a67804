#include "portcullis/core/antipassback/presence.hpp"

namespace portcullis::core {

std::optional<Presence> current_presence(const SiteModel& model, const EngineState& state,
                                         const PersonId& person, Timestamp now) {
  auto it = state.presence.find(person);
  if (it == state.presence.end()) return std::nullopt;
  const Index zone = model.zone_index(it->second.zone);
  if (zone == kNoIndex) return std::nullopt;  // the zone left the site in a reload
  const ZoneDef& def = model.zone(zone).def;
  if (def.apb == ApbMode::Timed && now - it->second.since >= std::chrono::seconds{def.apb_timeout_s}) {
    return std::nullopt;
  }
  return it->second;
}

ApbCheck check_anti_passback(const SiteModel& model, const EngineState& state, const PersonId& person,
                             Index source, Index governing, Timestamp now) {
  ApbCheck check;
  check.mode = model.zone(governing).def.apb;
  if (check.mode == ApbMode::None) return check;
  const auto presence = current_presence(model, state, person, now);
  check.violation = presence && presence->zone != model.zone(source).def.id;
  return check;
}

}  // namespace portcullis::core
