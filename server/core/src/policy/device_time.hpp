#pragma once
// Internal: the time a device event is decided at. The device's own clock, clamped to the receive time (a
// clock ahead is not believed) and kept in order per device (never before that device's previous event).
// An event further behind its receive time than SiteSettings::device_time_skew_s is late. A device time of
// zero (the Unix epoch) means the device gave none: the receive time is used. Replays pass the stored
// device and receive times, so they decide at the same time.
#include "portcullis/core/device_event.hpp"
#include "portcullis/core/policy/engine_state.hpp"

namespace portcullis::core::detail {

struct EventTime {
  Timestamp at{};
  bool late = false;
};

// Also advances the device's clock in `state`.
[[nodiscard]] EventTime event_time(const SiteModel& model, EngineState& state, const DeviceEvent& event,
                                   Timestamp received);

}  // namespace portcullis::core::detail
