#include "portcullis/json/asset_json.hpp"

#include <nlohmann/json.hpp>

#include "portcullis/json/rfc3339.hpp"
#include "portcullis/json/strict_json.hpp"
#include "portcullis/ledger/records/detail/asset_fields.hpp"
#include "portcullis/ledger/records/detail/field_reader.hpp"
#include "portcullis/ledger/records/detail/json_writer.hpp"

namespace portcullis::json {
namespace {
using detail::asset_def_to_json;
using detail::FieldReader;
using detail::kMaxEpcLength;
using detail::put_location;
using nlohmann::json;

std::optional<FieldError> parse_error(std::string_view body, json& doc, std::size_t max_depth) {
  auto parsed = parse_strict_object(body, max_depth, true);
  if (auto* e = std::get_if<FieldError>(&parsed)) return *e;
  doc = std::move(std::get<json>(parsed));
  return std::nullopt;
}

json location_json(const core::Location& l) {
  json j = json::object();
  if (!l.zone.empty()) j["zone"] = l.zone.str();
  if (!l.rack.empty()) j["rack"] = l.rack.str();
  return j;
}

json changes_json(const std::vector<core::FieldChange>& changes) {
  json a = json::array();
  for (const auto& c : changes) a.push_back({{"field", c.field}, {"before", c.before}, {"after", c.after}});
  return a;
}

json asset_state_to_json(const core::AssetState& s) {
  json j = asset_def_to_json(s.def);
  j["location"] = location_json(s.location);
  if (s.located_at) j["located_at"] = format_rfc3339(*s.located_at);
  if (s.last_read_at) j["last_read_at"] = format_rfc3339(*s.last_read_at);
  j["missing"] = s.missing;
  return j;
}

json seal_state_to_json(const core::SealState& s) {
  json j;
  j["id"] = s.def.id.str();
  j["serial"] = s.def.serial;
  if (!s.def.rack.empty()) j["rack"] = s.def.rack.str();
  if (!s.def.asset.empty()) j["asset"] = s.def.asset.str();
  j["status"] = core::to_string(s.status);
  j["retired"] = s.retired;
  if (s.checked_at) j["checked_at"] = format_rfc3339(*s.checked_at);
  if (!s.last_observed_serial.empty()) j["observed_serial"] = s.last_observed_serial;
  return j;
}

json move_order_to_json(const core::MoveOrder& o) {
  json j;
  j["id"] = o.id.str();
  j["asset"] = o.asset.str();
  if (!o.to_zone.empty()) j["to_zone"] = o.to_zone.str();
  if (!o.to_rack.empty()) j["to_rack"] = o.to_rack.str();
  j["reason"] = o.reason;
  j["status"] = core::to_string(o.status);
  j["valid_until"] = format_rfc3339(o.valid_until);
  j["requested_by"] = o.requested_by.str();
  j["requested_at"] = format_rfc3339(o.requested_at);
  if (o.approved_at) {
    j["approved_by"] = o.approved_by.str();
    j["approved_at"] = format_rfc3339(*o.approved_at);
    j["comment"] = o.comment;
  }
  if (o.completed_at) j["completed_at"] = format_rfc3339(*o.completed_at);
  return j;
}

// ---- Hand-written writer (json_writer.hpp) for the per-movement hot path ----
// Every live asset delta went through a DOM of std::maps before: most of the hub's time per movement. This
// gives the same bytes as the nlohmann code it replaced (the stored movement's writer is in ledger/records).
using detail::put_bool;
using detail::put_int;
using detail::put_key;
using detail::put_string;

// asset_state_to_json(s).dump(), keys in sorted order.
void put_asset_state(std::string& out, const core::AssetState& s) {
  const core::AssetDef& a = s.def;
  bool first = true;
  auto text = [&](std::string_view key, std::string_view value) {
    put_key(out, first, key);
    put_string(out, value);
  };
  out += '{';
  if (!a.allowed_zones.empty()) {
    put_key(out, first, "allowed_zones");
    out += '[';
    for (std::size_t i = 0; i < a.allowed_zones.size(); ++i) {
      if (i != 0) out += ',';
      put_string(out, a.allowed_zones[i].str());
    }
    out += ']';
  }
  if (!a.custodian.empty()) text("custodian", a.custodian.str());
  text("epc", a.epc);
  put_key(out, first, "holds_model_weights");
  put_bool(out, a.holds_model_weights);
  if (!a.home_rack.empty()) text("home_rack", a.home_rack.str());
  text("id", a.id.str());
  text("kind", core::to_string(a.kind));
  if (s.last_read_at) text("last_read_at", format_rfc3339(*s.last_read_at));
  text("lifecycle", core::to_string(a.lifecycle));
  if (s.located_at) text("located_at", format_rfc3339(*s.located_at));
  put_key(out, first, "location");
  put_location(out, s.location);
  put_key(out, first, "missing");
  put_bool(out, s.missing);
  if (a.missing_after_s != 0) {
    put_key(out, first, "missing_after_s");
    put_int(out, a.missing_after_s);
  }
  if (!a.model.empty()) text("model", a.model);
  if (!a.serial.empty()) text("serial", a.serial);
  text("tag", a.tag);
  if (a.unit != 0) {
    put_key(out, first, "unit");
    put_int(out, a.unit);
  }
  out += '}';
}

}  // namespace

std::variant<RfidReadBatch, FieldError> parse_rfid_reads(std::string_view body) {
  json doc;
  if (auto error = parse_error(body, doc, 4)) return *error;
  FieldReader r{doc, ""};
  RfidReadBatch batch;
  batch.device_id = r.id("device_id");
  r.optional("reads");
  if (!doc.contains("reads")) {
    r.fail("reads", "is required");
  } else if (!doc.at("reads").is_array() || doc.at("reads").empty() ||
             doc.at("reads").size() > kMaxReadsPerRequest) {
    r.fail("reads", "expected an array of 1 to " + std::to_string(kMaxReadsPerRequest) + " reads");
  }
  r.reject_unknown_fields();
  if (!r.ok()) return *r.error();
  const auto& reads = doc.at("reads");
  batch.reads.reserve(reads.size());
  const core::DeviceId device{batch.device_id};
  for (std::size_t i = 0; i < reads.size(); ++i) {
    const std::string path = "reads[" + std::to_string(i) + "]";
    if (!reads[i].is_object()) return FieldError{path, "expected an object"};
    FieldReader rr{reads[i], path};
    core::RfidObservation o;
    o.device = device;
    o.reader = core::ReaderId{rr.id("reader")};
    o.epc = rr.string("epc", kMaxEpcLength);
    if (rr.optional("count")) o.count = static_cast<std::uint32_t>(rr.integer("count", 1, 1'000'000));
    if (rr.optional("rack")) o.at_rack = core::RackId{rr.id("rack")};
    if (rr.optional("zone")) o.at_zone = core::ZoneId{rr.id("zone")};
    rr.reject_unknown_fields();
    if (!rr.ok()) return *rr.error();
    batch.reads.push_back(std::move(o));
  }
  return batch;
}

std::variant<core::AssetAction, FieldError> parse_asset_action_request(std::string_view type,
                                                                       const std::string& target,
                                                                       std::string_view body,
                                                                       const std::string& new_id,
                                                                       core::Timestamp now) {
  json doc;
  if (auto error = parse_error(body, doc, 4)) return *error;
  if (!target.empty() && !FieldReader::valid_id(target)) return FieldError{"id", "not a valid identifier"};
  // The id in the path names the subject; the body must not name another one.
  const char* key = nullptr;
  if (type == "request_move_order") {
    if (doc.contains("order")) return FieldError{"order", "the server names new move orders"};
    doc["order"] = new_id;
  } else if (type == "approve_move_order") {
    key = "order";
  } else if (type == "check_seal") {
    key = "seal";
  } else if (type != "register_asset" && type != "fit_seal") {
    key = "asset";
  }
  if (key != nullptr && !target.empty()) {
    if (doc.contains(key)) return FieldError{key, "given in the path; do not repeat it in the body"};
    doc[key] = target;
  }
  if (type == "request_move_order" && doc.contains("valid_until_us"))
    return FieldError{"valid_until_us", "unknown field"};
  return detail::read_asset_action(type, doc, now);
}

// Written by hand: one per moved asset on the live stream, and per asset in a snapshot.
std::string asset_json(const core::AssetState& asset) {
  std::string out;
  out.reserve(256);
  put_asset_state(out, asset);
  return out;
}

std::string seal_json(const core::SealState& seal) {
  return seal_state_to_json(seal).dump();
}

std::string move_order_json(const core::MoveOrder& order) {
  return move_order_to_json(order).dump();
}

std::string asset_detail_json(const core::AssetBook& book, const core::AssetId& id) {
  const auto* asset = book.asset(id);
  if (asset == nullptr) return {};
  json j = asset_state_to_json(*asset);
  j["seals"] = json::array();
  for (const auto& s : book.seals_of_asset(id)) j["seals"].push_back(seal_state_to_json(s));
  j["custody"] = json::array();
  for (const auto& e : book.custody_trail(id)) {
    json c;
    c["at"] = format_rfc3339(e.at);
    c["what"] = e.what;
    if (!e.by.empty()) c["by"] = e.by.str();
    if (!e.person.empty()) c["person"] = e.person.str();
    if (!e.witnesses.empty()) {
      c["witnesses"] = json::array();
      for (const auto& w : e.witnesses) c["witnesses"].push_back(w.str());
    }
    if (!e.reason.empty()) c["reason"] = e.reason;
    c["changes"] = changes_json(e.changes);
    j["custody"].push_back(std::move(c));
  }
  return j.dump();
}

std::string asset_list_json(const core::AssetBook& book, core::Timestamp now) {
  json j;
  j["assets"] = json::array();
  for (const auto& a : book.assets()) j["assets"].push_back(asset_state_to_json(a));
  j["seals"] = json::array();
  for (const auto& s : book.seals()) j["seals"].push_back(seal_state_to_json(s));
  j["move_orders"] = json::array();
  for (const auto& o : book.open_move_orders(now)) j["move_orders"].push_back(move_order_to_json(o));
  const auto& c = book.counters();
  j["reads"] = {{"raw", c.raw},
                {"observations", c.observations},
                {"duplicates", c.duplicates},
                {"unknown_epc", c.unknown_epc},
                {"unknown_reader", c.unknown_reader},
                {"movements", c.movements},
                {"confirmations", c.confirmations}};
  return j.dump();
}

}  // namespace portcullis::json
