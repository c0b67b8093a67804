#pragma once
// Internal: issue 4's physical side of the engine. Door supervision (debounced contacts, release and shunt,
// forced and held), mantrap interlock and tailgating, fire-alarm release, recorded occupancy, the lone-person
// rule, device heartbeats, and every deadline (two-person windows, stuck vestibules...). The core has no
// timers: deadlines are evaluated with the time of the next input (run_deadlines) or of Engine::tick. Every
// deadline is computed from times carried by inputs, never from when it is evaluated, so evaluating at t1
// and again at t2 gives the same alarms and state as evaluating once at t2 when t1 raised none.
#include <optional>
#include <vector>

#include "passage.hpp"
#include "portcullis/core/device_event.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/core/policy/engine_state.hpp"

namespace portcullis::core::detail {

// Deadlines that have passed at `now`: raises their alarms and updates their state.
void run_deadlines(const SiteModel& model, EngineState& state, Timestamp now, std::vector<Alarm>& alarms);
// After every input: occupancy-driven state (vestibule occupied, lone person) follows the new presence.
void after_input(const SiteModel& model, EngineState& state, Timestamp now);
// Any device event: the device is alive.
void heard_from(const SiteModel& model, EngineState& state, const DeviceId& device, Timestamp now);

// Device events that carry no access request.
void door_contact(const SiteModel& model, EngineState& state, const DoorContact& e, Timestamp now,
                  std::vector<Alarm>& alarms);
void request_to_exit(const SiteModel& model, EngineState& state, const RequestToExit& e, Timestamp now);
// A granted rack opening (or a supervisor override) releases the rack's door for its unlock time.
void release_rack_door(const SiteModel& model, EngineState& state, Index rack, const PersonId& person,
                       Timestamp now);
void tamper(const Tamper& e, const DeviceId& device, std::vector<Alarm>& alarms);
void fire_alarm(const SiteModel& model, EngineState& state, const FireAlarm& e, std::vector<Alarm>& alarms);
void occupancy_report(const SiteModel& model, EngineState& state, const OccupancyReport& e, Timestamp now,
                      std::vector<Alarm>& alarms);

// Fire alarms: does an active one cover the zone / the portal (either of its zones)?
[[nodiscard]] bool fire_covers_zone(const SiteModel& model, const EngineState& state, Index zone);
[[nodiscard]] bool fire_covers_portal(const SiteModel& model, const EngineState& state, Index portal);
// Interlock, two-person and anti-passback rules are suspended for this passage.
[[nodiscard]] bool suspended_by_fire(const SiteModel& model, const EngineState& state, const Passage& p);

// Mantrap rules for a passage through `portal` by `person` (not called while suspended): interlock_busy or
// tailgating (with its alarm), or nullopt when the door may open. Tailgating is checked for passages out of
// the vestibule that are not egress (walking a tailgater back out is always possible).
[[nodiscard]] std::optional<Reason> mantrap_check(const SiteModel& model, const EngineState& state,
                                                  Index portal, Index source, bool egress,
                                                  const PersonId& person, Timestamp now,
                                                  std::vector<Alarm>& alarms);
// A granted passage: presence moves, the door is released (and shunted) for its unlock time, the mantrap's
// vestibule list follows.
void commit_passage(const SiteModel& model, EngineState& state, Index portal, Index source, Index destination,
                    const PersonId& person, Timestamp now);
// Presence with the per-zone occupancy kept in step. nullopt: unknown.
void set_presence(EngineState& state, const PersonId& person, std::optional<Presence> presence);

// The threat level that applies to entries into `zone` (site level and every zone above it).
[[nodiscard]] int threat_level(const SiteModel& model, const EngineState& state, Index zone);

}  // namespace portcullis::core::detail
