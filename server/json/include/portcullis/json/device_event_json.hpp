#pragma once
// JSON <-> device events. The only code (with the other files of server/json) that touches nlohmann/json
// for the device API. Every rejection names the field.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "portcullis/core/device_event.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/json/field_error.hpp"

namespace portcullis::json {

struct EventRequestLimits {
  std::size_t max_events_per_request = 500;
  std::size_t max_nesting_depth = 8;
};

struct EventRequest {
  std::vector<core::DeviceEvent> events;  // received_at is left for the caller to set
  bool batch = false;                     // the body was an array or {"events": [...]}
};

[[nodiscard]] std::variant<EventRequest, FieldError> parse_event_request(
    std::string_view body, const EventRequestLimits& limits = {});

// Canonical stored payload: {"type": ..., fields...} with sorted keys and no secret (a PIN is never stored).
[[nodiscard]] std::string stored_payload_json(const core::DeviceEvent& event);
// Inverse of stored_payload_json, for replay at start-up.
[[nodiscard]] std::variant<core::DevicePayload, FieldError> payload_from_stored_json(std::string_view json);

// Canonical outcome: {"decision": {...} | null, "alarms": [...]}.
[[nodiscard]] std::string outcome_json(const core::Outcome& outcome);

}  // namespace portcullis::json
