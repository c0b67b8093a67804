#include "portcullis/json/device_event_json.hpp"

#include <nlohmann/json.hpp>

#include "portcullis/json/rfc3339.hpp"
#include "portcullis/json/strict_json.hpp"
#include "portcullis/ledger/records/detail/device_payload_reader.hpp"
#include "portcullis/ledger/records/detail/field_reader.hpp"

namespace portcullis::json {
namespace {

using detail::FieldReader;
using nlohmann::json;

constexpr std::int64_t kMaxSeq = (std::int64_t{1} << 53) - 1;  // exact in every JSON implementation

std::variant<core::DeviceEvent, FieldError> read_event(const json& item, const std::string& path) {
  if (!item.is_object()) return FieldError{path.empty() ? "$" : path, "expected an event object"};
  FieldReader r{item, path};
  core::DeviceEvent event;
  event.device = core::DeviceId{r.id("device_id")};
  event.seq = r.integer("seq", 1, kMaxSeq);
  const auto time_text = r.string("time", 40);
  if (r.ok()) {
    if (auto t = parse_rfc3339(time_text))
      event.device_time = *t;
    else
      r.fail("time", "expected an RFC 3339 timestamp such as 2026-11-27T10:00:00.000Z");
  }
  const auto type = r.string("type", 32);
  if (!r.ok()) return *r.error();
  auto payload = detail::read_device_payload(r, type, /*stored=*/false);
  r.reject_unknown_fields();
  if (!r.ok() || !payload) return *r.error();
  event.payload = std::move(*payload);
  return event;
}

}  // namespace

std::variant<EventRequest, FieldError> parse_event_request(std::string_view body,
                                                           const EventRequestLimits& limits) {
  auto parsed = parse_strict(body, limits.max_nesting_depth);
  if (auto* e = std::get_if<FieldError>(&parsed)) return *e;
  json doc = std::move(std::get<json>(parsed));
  EventRequest request;
  const json* list = nullptr;
  std::string prefix;
  if (doc.is_array()) {
    list = &doc;
    request.batch = true;
  } else if (doc.is_object() && doc.contains("events")) {
    if (doc.size() != 1) return FieldError{"$", "a batch object holds only \"events\""};
    list = &doc["events"];
    if (!list->is_array()) return FieldError{"events", "expected an array of events"};
    prefix = "events";
    request.batch = true;
  }
  if (list == nullptr) {
    auto one = read_event(doc, "");
    if (auto* err = std::get_if<FieldError>(&one)) return *err;
    request.events.push_back(std::move(std::get<core::DeviceEvent>(one)));
    return request;
  }
  if (list->empty()) return FieldError{prefix.empty() ? "$" : prefix, "the batch is empty"};
  if (list->size() > limits.max_events_per_request) {
    return FieldError{prefix.empty() ? "$" : prefix,
                      "at most " + std::to_string(limits.max_events_per_request) + " events per request"};
  }
  request.events.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto one = read_event((*list)[i], prefix + "[" + std::to_string(i) + "]");
    if (auto* err = std::get_if<FieldError>(&one)) return *err;
    request.events.push_back(std::move(std::get<core::DeviceEvent>(one)));
  }
  return request;
}

}  // namespace portcullis::json
