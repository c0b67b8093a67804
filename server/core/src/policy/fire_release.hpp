#pragma once
// Internal: what an active fire alarm changes, and nothing more. Fire releases egress: a passage towards the
// root through a portal the fire covers is granted whoever asks, fail-safe portals and mantrap doors under
// the fire are released (their openings are neither forced nor held), and no decision holds such a door
// locked. Entries keep every rule: two-person, interlock, anti-passback, rack locks (docs/access-policy.md).
#include <vector>

#include "passage.hpp"
#include "portcullis/core/device_event.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/core/policy/engine_state.hpp"

namespace portcullis::core::detail {

// Does an active fire alarm cover the zone / the portal (either of its zones)?
[[nodiscard]] bool fire_covers_zone(const SiteModel& model, const EngineState& state, Index zone);
[[nodiscard]] bool fire_covers_portal(const SiteModel& model, const EngineState& state, Index portal);
// A fail-safe portal or a mantrap door under an active fire: released for egress.
[[nodiscard]] bool released_by_fire(const SiteModel& model, const EngineState& state, Index portal);
// Egress through a portal a fire alarm covers: never held locked.
[[nodiscard]] bool fire_egress(const SiteModel& model, const EngineState& state, const Passage& passage);

// A fire panel's alarm (its scope was checked by the engine): starts or ends fire for its zone.
void fire_alarm(const SiteModel& model, EngineState& state, const FireAlarm& e, std::vector<Alarm>& alarms);

// What the decision implies for the door: unlock on a grant, hold locked otherwise, except a door a fire
// alarm covers, which is never told to lock.
[[nodiscard]] DoorAction door_action_for(const SiteModel& model, const EngineState& state,
                                         const Decision& decision);

}  // namespace portcullis::core::detail
