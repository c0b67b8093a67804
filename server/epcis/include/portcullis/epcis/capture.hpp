#pragma once
// GS1 EPCIS 2.0 capture: a JSON / JSON-LD EPCISDocument (POST /epcis/capture) or a single event
// (POST /epcis/events) parsed into plain structs. This is the only EPCIS code that touches JSON.
//
// The parse is strict and total: it never throws, it refuses anything over the Limits below, and
// every refusal names the field ("epcisBody.eventList[3].action: must be ADD, OBSERVE or DELETE").
// A document is all or nothing (EPCIS 2.0 "rollback" capture behaviour): one bad event refuses the
// whole document, and every bad field found (up to Limits::max_errors) is reported at once.
//
// What the fields mean for Portcullis (register, observe, destroy) is decided in mapping.hpp.
// docs/epcis.md describes the accepted input, the vocabulary and the error format.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/core/strong_id.hpp"
#include "portcullis/core/time.hpp"
#include "portcullis/epcis/result.hpp"

namespace portcullis::epcis {

// Every bound the parser enforces. The HTTP layer bounds the body size first (16 MiB on the EPCIS routes,
// api::EpcisSettings, which also sets max_body_bytes to that limit); max_body_bytes is the library's own
// backstop so the parser is safe to call on anything. max_events follows the body limit: typical middleware
// ObjectEvents take 350-500 bytes, so 16 MiB holds about 35,000-48,000 of them.
struct Limits {
  std::size_t max_body_bytes = 16u * 1024u * 1024u;
  std::size_t max_events = 40'000;          // per document
  std::size_t max_epcs_per_event = 10'000;  // epcList entries
  std::size_t max_string_bytes = 512;       // any identifier, URI, vocabulary value
  std::size_t max_depth = 32;               // JSON nesting (objects and arrays)
  std::size_t max_witnesses = 8;            // portcullis:witnesses entries
  std::size_t max_errors = 50;              // reported per refusal; the rest are counted, not listed
};

// EPCIS 2.0 event types. Only ObjectEvent changes anything in Portcullis; the others are validated
// and accepted but reported as not applied (see mapping.hpp).
enum class EventType {
  ObjectEvent,
  AggregationEvent,
  TransactionEvent,
  TransformationEvent,
  AssociationEvent
};

enum class Action { Add, Observe, Delete };

[[nodiscard]] std::string_view to_string(EventType type) noexcept;
[[nodiscard]] std::string_view to_string(Action action) noexcept;

// Asset attributes carried in an ObjectEvent's `ilmd` (instance/lot master data) using the Portcullis
// vocabulary (namespace kPortcullisNamespace, conventionally prefixed "portcullis:"). Empty = absent.
struct AssetAttributes {
  std::string asset_tag;   // portcullis:assetTag   only when epcList has exactly one EPC
  std::string serial;      // portcullis:serial     only when epcList has exactly one EPC
  std::string model;       // portcullis:model
  std::string kind;        // portcullis:kind       gpu_server, storage_drive, hsm, network_device, other
  core::RackId home_rack;  // portcullis:homeRack  a rack id of the site file
  bool holds_model_weights = false;  // portcullis:holdsModelWeights  true / false
  friend bool operator==(const AssetAttributes&, const AssetAttributes&) = default;
};

// Event-level Portcullis extension fields (outside ilmd), used by destruction.
struct CustodyExtension {
  std::vector<core::PersonId> witnesses;  // portcullis:witnesses  person ids of the site file
  std::string destruction_method;         // portcullis:destructionMethod  e.g. "shred", "degauss"
  std::string certificate_sha256;         // portcullis:certificateSha256  64 lowercase hex digits
  friend bool operator==(const CustodyExtension&, const CustodyExtension&) = default;
};

// One EPCIS event, normalised. Fields of event types other than ObjectEvent that Portcullis does not
// use are validated for shape but not kept.
struct CaptureEvent {
  // JSON path of the event: "epcisBody.eventList[3]" in a document, "$" for a single event. Errors
  // found later (mapping) use it to name the event.
  std::string path;
  std::size_t index = 0;  // position in eventList (0 for a single event)

  // The idempotency key: required (see docs/epcis.md). Kept exactly as sent.
  std::string event_id;
  EventType type = EventType::ObjectEvent;
  core::Timestamp event_time{};        // UTC instant of eventTime
  std::string event_time_text;         // eventTime exactly as sent
  std::string event_time_zone_offset;  // "+01:00"
  std::optional<Action> action;        // absent only for TransformationEvent

  // CBV values are normalised to their bare name whichever form was sent ("commissioning" from
  // "commissioning", "urn:epcglobal:cbv:bizstep:commissioning" or
  // "https://ref.gs1.org/cbv/BizStep-commissioning"). Values outside the CBV are kept as sent.
  // Empty when absent.
  std::string biz_step;
  std::string disposition;

  std::vector<std::string> epc_list;  // ObjectEvent epcList (AggregationEvent childEPCs are not kept)
  std::string read_point;             // readPoint.id, empty when absent
  std::string biz_location;           // bizLocation.id, empty when absent
  bool has_quantity_list = false;     // ObjectEvent quantityList present (class-level, not tracked)

  AssetAttributes ilmd;
  CustodyExtension custody;

  friend bool operator==(const CaptureEvent&, const CaptureEvent&) = default;
};

struct CaptureDocument {
  core::Timestamp creation_date{};
  std::string creation_date_text;
  std::vector<CaptureEvent> events;
  friend bool operator==(const CaptureDocument&, const CaptureDocument&) = default;
};

// The IRI that JSON-LD keys of the Portcullis vocabulary expand to. A document binds a prefix to it in
// its @context ({"portcullis": "urn:portcullis:epcis:"}); the prefix "portcullis" is
// also understood when the context does not bind it.
inline constexpr std::string_view kPortcullisNamespace = "urn:portcullis:epcis:";

// POST /epcis/capture body: an EPCISDocument.
[[nodiscard]] Result<CaptureDocument> parse_capture_document(std::string_view body,
                                                             const Limits& limits = {});

// POST /epcis/events body: one event object (it may carry its own @context).
[[nodiscard]] Result<CaptureEvent> parse_capture_event(std::string_view body, const Limits& limits = {});

// The CBV bare name of a bizStep / disposition in any of its three forms, or nullopt when `value` is
// not a CBV value (custom vocabularies are allowed and kept as sent).
[[nodiscard]] std::optional<std::string> cbv_biz_step(std::string_view value);
[[nodiscard]] std::optional<std::string> cbv_disposition(std::string_view value);

// The idempotency key of an event (its eventID).
[[nodiscard]] inline const std::string& idempotency_key(const CaptureEvent& event) noexcept {
  return event.event_id;
}

// A deterministic text of everything the event means to Portcullis (not its path or position), for
// the store to hash: a retry of the same eventID with the same canonical form is a replay (same
// answer, no change); the same eventID with a different canonical form is a conflict.
[[nodiscard]] std::string canonical_form(const CaptureEvent& event);

// The HTTP error body for a refusal, in the project's format plus the EPCIS 2.0 exception type:
// {"type":"epcisException:ValidationException","error":{"field":..., "message":...},
//  "errors":[{"field":..., "message":...}, ...]}
[[nodiscard]] std::string errors_to_json(const FieldErrors& errors);

}  // namespace portcullis::epcis
