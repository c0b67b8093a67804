#pragma once
// JSON -> device events: the device API's request bodies. Every rejection names the field. Their stored form
// is a frozen record format (portcullis/ledger/records/device_event_record.hpp).
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "portcullis/core/device_event.hpp"
#include "portcullis/ledger/records/field_error.hpp"

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

}  // namespace portcullis::json
