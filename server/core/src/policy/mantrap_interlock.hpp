#pragma once
// Internal: the mantrap interlock. At most one door of a vestibule open or released at a time; tailgating
// from the occupancy sensor or the list of persons admitted; the vestibule list and early relock when a
// passage is confirmed. Fails closed: a mantrap door whose contact was never reported, or whose reporting
// device is silent, counts as busy for entries (egress stays free).
#include <optional>
#include <vector>

#include "portcullis/core/device_event.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/core/policy/engine_state.hpp"

namespace portcullis::core::detail {

// Mantrap rules for a passage through `portal` by `person`: interlock_busy or tailgating (with its alarm),
// or nullopt when the door may open. Tailgating is checked for passages out of the vestibule that are not
// egress (walking a tailgater back out is always possible).
[[nodiscard]] std::optional<Reason> mantrap_check(const SiteModel& model, const EngineState& state,
                                                  Index portal, Index source, bool egress,
                                                  const PersonId& person, Timestamp now,
                                                  std::vector<Alarm>& alarms);
// A granted passage through a mantrap door: the other doors released for this person relock, the
// vestibule's list follows.
void mantrap_passage(const SiteModel& model, EngineState& state, Index portal, Index destination,
                     const PersonId& person, Timestamp now);
// The vestibule's occupancy sensor.
void occupancy_report(const SiteModel& model, EngineState& state, const OccupancyReport& e, Timestamp now,
                      std::vector<Alarm>& alarms);

}  // namespace portcullis::core::detail
