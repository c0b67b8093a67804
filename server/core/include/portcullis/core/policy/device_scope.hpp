#pragma once
// Device binding. A device speaks only for the readers, portals, racks, mantraps and zones its site entry
// lists, and only in the event types its kind may send. This is the one table of kinds and event types
// (docs/site-file.md shows it); the engine refuses anything else before it changes any state.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/core/device_event.hpp"
#include "portcullis/core/model/problem.hpp"
#include "portcullis/core/model/site_definition.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/core/site_model.hpp"

namespace portcullis::core {

[[nodiscard]] std::string_view to_string(DeviceKind kind) noexcept;

// Whether a device of this kind may send this event type at all.
[[nodiscard]] bool kind_may_send(DeviceKind kind, const DevicePayload& payload) noexcept;

// The event type names (type_name()) a kind may send, in the order of DevicePayload.
[[nodiscard]] std::vector<std::string_view> event_types_of(DeviceKind kind);

struct ScopeRefusal {
  std::string field;   // the event's field the device may not speak for: "device_id", "type", "reader"...
  std::string detail;  // for the alarm and the device's answer
  Severity severity = Severity::High;
};

// The model indexes the scope check looked up, so the decision that follows need not look them up again.
struct ScopeIndexes {
  Index device = kNoIndex;  // the sending device
  Index reader = kNoIndex;  // a factor event's reader (kNoIndex when unknown or not a factor event)
};

// nullopt when the device may send this event; otherwise what it overstepped. An unknown reader is left to
// the access decision (unknown_reader); an unknown portal, rack, mantrap or zone is out of scope (no device
// lists it). `found`, when given, receives the indexes looked up on the way.
[[nodiscard]] std::optional<ScopeRefusal> check_device_scope(const SiteModel& model, const DeviceEvent& event,
                                                             ScopeIndexes* found = nullptr);

// What no device of a valid site may speak for, so its events would always be refused: a reader no device
// lists, a door contact (portal) or rack door no device reports, a vestibule no device counts, a zone no fire
// panel covers. Each problem names the JSON path and what to add. `portcullisd check-site` reports them; a
// server still loads such a site (those events are refused and alarmed).
[[nodiscard]] Problems device_scope_gaps(const SiteDefinition& site);

}  // namespace portcullis::core
