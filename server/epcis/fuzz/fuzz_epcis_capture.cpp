// Fuzz the EPCIS capture parser and mapping: arbitrary bytes as a capture document and as a single event.
// Invariants: nothing escapes (no exception, no crash), a refusal always names a field and says why, the
// limits hold, parsing is deterministic, and accepted input maps without surprises.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "portcullis/epcis/capture.hpp"
#include "portcullis/epcis/mapping.hpp"

#define FUZZ_CHECK(cond)                                                                \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (false)

namespace e = portcullis::epcis;

namespace {

const e::SiteDirectory& directory() {
  static const e::SiteDirectory site = [] {
    e::SiteDirectory s;
    s.readers = {"rfid-cage-1", "rdr-rack-c01"};
    s.racks = {"rack-c01"};
    s.zones = {"cage", "compute-hall"};
    s.aliases.emplace("urn:epc:id:sgln:0614141.00001.1", e::Place{e::PlaceKind::Reader, "rfid-cage-1"});
    return s;
  }();
  return site;
}

void check_errors(const e::FieldErrors& errors, const e::Limits& limits) {
  FUZZ_CHECK(!errors.empty());
  FUZZ_CHECK(errors.size() <= limits.max_errors + 1);
  for (const auto& err : errors) {
    FUZZ_CHECK(!err.path.empty());
    FUZZ_CHECK(!err.message.empty());
  }
  FUZZ_CHECK(!e::errors_to_json(errors).empty());
}

void check_event(const e::CaptureEvent& ev, const e::Limits& limits) {
  FUZZ_CHECK(!ev.event_id.empty() && ev.event_id.size() <= limits.max_string_bytes);
  FUZZ_CHECK(ev.epc_list.size() <= limits.max_epcs_per_event);
  FUZZ_CHECK(ev.custody.witnesses.size() <= limits.max_witnesses);
  FUZZ_CHECK(ev.type == e::EventType::TransformationEvent || ev.action.has_value());
  FUZZ_CHECK(!e::canonical_form(ev).empty());
  const auto mapped = e::map_event(ev, directory());
  if (mapped) {
    FUZZ_CHECK(mapped->event_id == ev.event_id);
    const std::size_t n =
        mapped->observations.size() + mapped->registrations.size() + mapped->destructions.size();
    FUZZ_CHECK((mapped->effect == e::Effect::NotApplied) == (n == 0));
    FUZZ_CHECK(mapped->effect == e::Effect::NotApplied || n == ev.epc_list.size());
  } else {
    check_errors(mapped.errors(), limits);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  e::Limits limits;
  limits.max_events = 64;  // small limits so the fuzzer reaches them
  limits.max_epcs_per_event = 16;
  limits.max_depth = 12;
  limits.max_errors = 8;

  const auto doc = e::parse_capture_document(text, limits);
  if (doc) {
    FUZZ_CHECK(doc->events.size() <= limits.max_events);
    for (const auto& ev : doc->events) check_event(ev, limits);
    const auto again = e::parse_capture_document(text, limits);
    FUZZ_CHECK(again.ok() && *again == *doc);
  } else {
    check_errors(doc.errors(), limits);
  }

  const auto one = e::parse_capture_event(text, limits);
  if (one) {
    FUZZ_CHECK(one->path == "$");
    check_event(*one, limits);
  } else {
    check_errors(one.errors(), limits);
  }
  return 0;
}
