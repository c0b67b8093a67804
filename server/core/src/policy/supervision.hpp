#pragma once
// Internal: the physical side of the engine that is not a single door or rule: presence and occupancy, the
// lone-person rule, device heartbeats, and every deadline (held doors, two-person windows, stuck
// vestibules...). The rules themselves live in door_supervision, mantrap_interlock, fire_release and
// two_person_rule. The core has no timers: deadlines are evaluated with the time of the next input
// (run_deadlines) or of Engine::tick. Every deadline is computed from times carried by inputs, never from
// when it is evaluated, so evaluating at t1 and again at t2 gives the same alarms and state as evaluating
// once at t2 when t1 raised none.
#include <optional>
#include <vector>

#include "door_supervision.hpp"
#include "fire_release.hpp"
#include "mantrap_interlock.hpp"
#include "passage.hpp"
#include "portcullis/core/device_event.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/core/policy/engine_state.hpp"

namespace portcullis::core::detail {

// Deadlines that have passed at `now`: raises their alarms and updates their state. `judged`: the door
// contact the current event reported, already judged at its own time (see settle_open_doors).
void run_deadlines(const SiteModel& model, EngineState& state, Timestamp now, std::vector<Alarm>& alarms,
                   const DoorContact* judged = nullptr);
// After every input: occupancy-driven state (vestibule occupied, lone person) follows the new presence.
void after_input(const SiteModel& model, EngineState& state, Timestamp now);
// Any device event: the device is alive. `device_index`: its model index (kNoIndex: not in the site).
void heard_from(const SiteModel& model, EngineState& state, const DeviceId& device, Index device_index,
                Timestamp now);

void tamper(const Tamper& e, const DeviceId& device, std::vector<Alarm>& alarms);

// A granted passage: presence moves, the door is released (and shunted) for its unlock time, the mantrap's
// vestibule list follows.
void commit_passage(const SiteModel& model, EngineState& state, Index portal, Index destination,
                    const PersonId& person, Timestamp now);
// Presence with the per-zone occupancy kept in step. nullopt: unknown.
void set_presence(EngineState& state, const PersonId& person, std::optional<Presence> presence);

// The threat level that applies to entries into `zone` (site level and every zone above it).
[[nodiscard]] int threat_level(const SiteModel& model, const EngineState& state, Index zone);

}  // namespace portcullis::core::detail
