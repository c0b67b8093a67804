// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
#include "portcullis/ledger/records/device_event_record.hpp"

#include <nlohmann/json.hpp>

#include "card_fields.hpp"
#include "outcome_writer.hpp"
#include "portcullis/core/overloaded.hpp"
#include "portcullis/ledger/records/detail/device_payload_reader.hpp"
#include "portcullis/ledger/records/detail/field_reader.hpp"
#include "portcullis/ledger/records/detail/json_writer.hpp"

namespace portcullis::json {

namespace detail {

std::optional<core::DevicePayload> read_device_payload(FieldReader& r, const std::string& type, bool stored) {
  if (type == "credential") {
    core::CardPresented e{core::ReaderId{r.id("reader")}, {}};
    if (const nlohmann::json* card = r.object("card")) {
      FieldReader cr{*card, r.path_of("card")};
      e.card = detail::read_card(cr);
      cr.reject_unknown_fields();
      if (!cr.ok()) {
        r.adopt(*cr.error());
        return std::nullopt;
      }
    }
    return e;
  }
  if (type == "pin") {
    core::PinEntered e;
    e.reader = core::ReaderId{r.id("reader")};
    if (stored) {
      // Stored PIN events carry the verdict the engine reached, never the PIN.
      if (r.optional("verdict")) {
        const auto verdict = r.string("verdict", 16);
        if (verdict == "match")
          e.recorded_verdict = core::PinVerdict::Match;
        else if (verdict == "duress")
          e.recorded_verdict = core::PinVerdict::Duress;
        else if (verdict == "mismatch")
          e.recorded_verdict = core::PinVerdict::Mismatch;
        else
          r.fail("verdict", "expected match, mismatch or duress");
      }
      if (r.optional("verified_for")) e.verified_for = core::PersonId{r.id("verified_for")};
    } else {
      e.pin = r.string("pin", 12);
      if (r.ok() && (e.pin.size() < 4 || e.pin.find_first_not_of("0123456789") != std::string::npos)) {
        r.fail("pin", "expected 4 to 12 digits");
      }
    }
    return e;
  }
  if (type == "biometric") {
    core::BiometricMatch e;
    e.reader = core::ReaderId{r.id("reader")};
    e.template_id = r.id("template_id");
    e.score = static_cast<std::uint32_t>(r.integer("score", 0, 1'000'000));
    e.matched = r.boolean("matched");
    return e;
  }
  if (type == "door_contact") {
    core::DoorContact e;
    if (r.optional("rack"))
      e.rack = core::RackId{r.id("rack")};
    else
      e.portal = core::PortalId{r.id("portal")};
    const auto state = r.string("state", 8);
    if (state == "open")
      e.state = core::ContactState::Open;
    else if (state == "closed")
      e.state = core::ContactState::Closed;
    else if (r.ok())
      r.fail("state", "expected open or closed");
    return e;
  }
  if (type == "request_to_exit") return core::RequestToExit{core::PortalId{r.id("portal")}};
  if (type == "tamper") {
    core::Tamper e;
    e.component = r.id("component");
    e.active = r.boolean("active");
    return e;
  }
  if (type == "heartbeat") return core::Heartbeat{};
  if (type == "rfid_read") {
    core::RfidRead e;
    e.reader = core::ReaderId{r.id("reader")};
    e.epc = r.string("epc", 128);
    if (r.optional("antenna")) e.antenna = static_cast<std::uint32_t>(r.integer("antenna", 0, 255));
    if (r.optional("rssi")) e.rssi = static_cast<std::int32_t>(r.integer("rssi", -200, 200));
    if (r.optional("count")) e.count = static_cast<std::uint32_t>(r.integer("count", 1, 1'000'000));
    return e;
  }
  if (type == "fire_alarm") {
    core::FireAlarm e;
    if (r.optional("zone")) e.zone = core::ZoneId{r.id("zone")};
    e.active = r.boolean("active");
    return e;
  }
  if (type == "occupancy") {
    core::OccupancyReport e;
    e.mantrap = core::MantrapId{r.id("mantrap")};
    e.count = static_cast<std::uint32_t>(r.integer("count", 0, 1000));
    return e;
  }
  r.fail("type", "unknown event type '" + type +
                     "' (expected credential, pin, biometric, door_contact, request_to_exit, tamper, "
                     "heartbeat, rfid_read, "
                     "fire_alarm or occupancy)");
  return std::nullopt;
}

}  // namespace detail

namespace {

using detail::FieldReader;
using nlohmann::json;

json card_to_json(const core::Card& card) {
  json j;
  j["format"] = detail::card_format_name(card.format);
  j["facility"] = card.facility;
  j["number"] = card.number;
  if (!card.raw_bits.empty()) j["bits"] = card.raw_bits;
  return j;
}

const char* verdict_name(core::PinVerdict v) {
  switch (v) {
    case core::PinVerdict::Match: return "match";
    case core::PinVerdict::Duress: return "duress";
    case core::PinVerdict::Mismatch: return "mismatch";
  }
  return "mismatch";
}

// The hot path writes stored JSON by hand (json_writer.hpp): a badge read costs no DOM of maps and no
// allocations beyond the output string. The stored bytes are hashed into the chain, so they must not change.
using detail::put_string;

// {"card":{["bits"],"facility","format","number"},"reader","type":"credential"}
std::string credential_payload_json(const core::CardPresented& e) {
  std::string out;
  out.reserve(128 + e.card.raw_bits.size());
  out += "{\"card\":{";
  if (!e.card.raw_bits.empty()) {
    out += "\"bits\":";
    put_string(out, e.card.raw_bits);
    out += ',';
  }
  out += "\"facility\":";
  out += std::to_string(e.card.facility);
  out += ",\"format\":";
  put_string(out, detail::card_format_name(e.card.format));
  out += ",\"number\":";
  out += std::to_string(e.card.number);
  out += "},\"reader\":";
  put_string(out, e.reader.str());
  out += ",\"type\":\"credential\"}";
  return out;
}

}  // namespace

std::string stored_payload_json(const core::DeviceEvent& event) {
  if (const auto* card = std::get_if<core::CardPresented>(&event.payload))
    return credential_payload_json(*card);
  json j;
  j["type"] = core::type_name(event.payload);
  std::visit(core::Overloaded{
                 [&](const core::CardPresented& e) {
                   j["reader"] = e.reader.str();
                   j["card"] = card_to_json(e.card);
                 },
                 [&](const core::PinEntered& e) {
                   j["reader"] = e.reader.str();
                   if (e.recorded_verdict) j["verdict"] = verdict_name(*e.recorded_verdict);
                   if (!e.verified_for.empty()) j["verified_for"] = e.verified_for.str();
                 },
                 [&](const core::BiometricMatch& e) {
                   j["reader"] = e.reader.str();
                   j["template_id"] = e.template_id;
                   j["score"] = e.score;
                   j["matched"] = e.matched;
                 },
                 [&](const core::DoorContact& e) {
                   if (e.rack.empty())
                     j["portal"] = e.portal.str();
                   else
                     j["rack"] = e.rack.str();
                   j["state"] = e.state == core::ContactState::Open ? "open" : "closed";
                 },
                 [&](const core::RequestToExit& e) { j["portal"] = e.portal.str(); },
                 [&](const core::Tamper& e) {
                   j["component"] = e.component;
                   j["active"] = e.active;
                 },
                 [&](const core::Heartbeat&) {},
                 [&](const core::RfidRead& e) {
                   j["reader"] = e.reader.str();
                   j["epc"] = e.epc;
                   j["antenna"] = e.antenna;
                   j["rssi"] = e.rssi;
                   j["count"] = e.count;
                 },
                 [&](const core::FireAlarm& e) {
                   if (!e.zone.empty()) j["zone"] = e.zone.str();
                   j["active"] = e.active;
                 },
                 [&](const core::OccupancyReport& e) {
                   j["mantrap"] = e.mantrap.str();
                   j["count"] = e.count;
                 },
             },
             event.payload);
  return j.dump();
}

std::variant<core::DevicePayload, FieldError> payload_from_stored_json(std::string_view text) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    return FieldError{"payload", "malformed stored JSON at byte " + std::to_string(e.byte)};
  }
  if (!doc.is_object()) return FieldError{"payload", "expected an object"};
  FieldReader r{doc, "payload"};
  const auto type = r.string("type", 32);
  if (!r.ok()) return *r.error();
  auto payload = detail::read_device_payload(r, type, /*stored=*/true);
  r.reject_unknown_fields();
  if (!r.ok() || !payload) return *r.error();
  return std::move(*payload);
}

namespace detail {

void put_decision(std::string& out, const core::Decision& d) {
  // Sorted: credential, destination, needed, person, portal, rack, reason, verdict.
  bool first = true;
  auto field = [&](std::string_view key, std::string_view value) {
    put_key(out, first, key);
    put_string(out, value);
  };
  out += '{';
  // The credential that identified the person: the auditors' revoked-credential cross-check needs it.
  if (!d.credential.empty()) field("credential", d.credential.str());
  if (!d.destination.empty()) field("destination", d.destination.str());
  if (d.needed) field("needed", core::to_string(*d.needed));
  if (!d.person.empty()) field("person", d.person.str());
  if (!d.portal.empty()) field("portal", d.portal.str());
  if (!d.rack.empty()) field("rack", d.rack.str());
  field("reason", core::to_string(d.reason));
  field("verdict", core::to_string(d.verdict));
  out += '}';
}

void put_alarms(std::string& out, const std::vector<core::Alarm>& alarms) {
  out += '[';
  for (std::size_t i = 0; i < alarms.size(); ++i) {
    const auto& a = alarms[i];
    if (i) out += ',';
    // Sorted: detail, kind, severity, silent, subject.
    out += '{';
    if (!a.detail.empty()) {
      out += "\"detail\":";
      put_string(out, a.detail);
      out += ',';
    }
    out += "\"kind\":";
    put_string(out, a.kind);
    out += ",\"severity\":";
    put_string(out, core::to_string(a.severity));
    if (a.silent) out += ",\"silent\":true";
    out += ",\"subject\":";
    put_string(out, a.subject);
    out += '}';
  }
  out += ']';
}

}  // namespace detail

std::string outcome_json(const core::Outcome& outcome) {
  // Sorted: alarms, decision, first_person (a completed two-person entry: the first person's grant, which
  // the two-person compliance report reads).
  std::string out;
  out.reserve(160 + 96 * outcome.alarms.size());
  out += "{\"alarms\":";
  detail::put_alarms(out, outcome.alarms);
  out += ",\"decision\":";
  if (outcome.decision)
    detail::put_decision(out, *outcome.decision);
  else
    out += "null";
  if (outcome.first_person) {
    out += ",\"first_person\":";
    detail::put_decision(out, *outcome.first_person);
  }
  out += '}';
  return out;
}

}  // namespace portcullis::json
