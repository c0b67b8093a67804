#include "device_time.hpp"

#include <algorithm>
#include <chrono>

namespace portcullis::core::detail {

EventTime event_time(const SiteModel& model, EngineState& state, const DeviceEvent& event,
                     Timestamp received) {
  if (event.device_time == Timestamp{}) return {received, false};
  Timestamp at = std::min(event.device_time, received);
  auto [it, fresh] = state.device_clocks.try_emplace(event.device, at);
  if (!fresh) {
    at = std::max(at, it->second);
    it->second = at;
  }
  return {at, received - at > std::chrono::seconds{model.settings().device_time_skew_s}};
}

}  // namespace portcullis::core::detail
