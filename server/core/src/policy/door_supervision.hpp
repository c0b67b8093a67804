#pragma once
// Internal: door supervision. Debounced contacts, release and shunt, forced and held, for portal doors and
// rack doors. A contact is judged at its own (device) time, so a door forced and shut while its controller
// was offline is still forced when both reports arrive together. A request to exit, or an opening nobody
// badged for, of a portal of a zone with min_occupancy >= 2 makes that zone's occupancy unknown.
#include <vector>

#include "portcullis/core/device_event.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/core/policy/engine_state.hpp"

namespace portcullis::core::detail {

void door_contact(const SiteModel& model, EngineState& state, const DoorContact& e, Timestamp at,
                  std::vector<Alarm>& alarms);
void request_to_exit(const SiteModel& model, EngineState& state, const RequestToExit& e, Timestamp at,
                     std::vector<Alarm>& alarms);
// A granted rack opening (or a supervisor override) releases the rack's door for its unlock time.
void release_rack_door(const SiteModel& model, EngineState& state, Index rack, const PersonId& person,
                       Timestamp now);
// The held-open and debounce deadlines of every open door and rack door, except the one whose contact the
// current event reported (`judged`, may be null): it was judged at the event's own time, and a report that
// arrives late must not be held against the receive time before the next report of the same batch.
void settle_open_doors(const SiteModel& model, EngineState& state, Timestamp now, std::vector<Alarm>& alarms,
                       const DoorContact* judged);

}  // namespace portcullis::core::detail
