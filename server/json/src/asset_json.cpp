#include "portcullis/json/asset_json.hpp"
#include "portcullis/core/overloaded.hpp"
#include "portcullis/json/strict_json.hpp"

#include <nlohmann/json.hpp>

#include "field_reader.hpp"
#include "json_writer.hpp"
#include "outcome_writer.hpp"
#include "portcullis/json/device_event_json.hpp"
#include "portcullis/json/rfc3339.hpp"

namespace portcullis::json {
namespace {
using detail::FieldReader;
using nlohmann::json;

constexpr std::size_t kMaxText = 2000;
constexpr std::size_t kMaxEpc = 128;
constexpr std::int64_t kMaxMoveOrderSeconds = 30LL * 24 * 3600;
constexpr std::int64_t kMaxMissingAfterSeconds = 365LL * 24 * 3600;

std::optional<FieldError> parse_error(std::string_view body, json& doc, std::size_t max_depth) {
  auto parsed = parse_strict_object(body, max_depth, true);
  if (auto* e = std::get_if<FieldError>(&parsed)) return *e;
  doc = std::move(std::get<json>(parsed));
  return std::nullopt;
}

std::optional<std::string> optional_string(FieldReader& r, const std::string& field, std::size_t max) {
  if (!r.optional(field)) return std::nullopt;
  return r.string(field, max);
}

std::vector<core::ZoneId> zone_list(FieldReader& r, const json& doc, const std::string& field) {
  std::vector<core::ZoneId> zones;
  if (!r.optional(field)) return zones;
  const auto& v = doc.at(field);
  if (!v.is_array() || v.size() > 64) {
    r.fail(field, "expected an array of at most 64 zone ids");
    return zones;
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string() || !FieldReader::valid_id(v[i].get<std::string>())) {
      r.fail(field + "[" + std::to_string(i) + "]", "expected a zone id");
      return zones;
    }
    zones.emplace_back(v[i].get<std::string>());
  }
  return zones;
}

core::AssetKind read_kind(FieldReader& r, const std::string& field) {
  const auto text = r.string(field, 32);
  if (!r.ok()) return core::AssetKind::Other;
  auto kind = core::asset_kind_from(text);
  if (!kind) r.fail(field, "expected gpu_server, storage_drive, hsm, network_device or other");
  return kind.value_or(core::AssetKind::Other);
}

core::AssetLifecycle read_lifecycle(FieldReader& r, const std::string& field) {
  const auto text = r.string(field, 32);
  if (!r.ok()) return core::AssetLifecycle::InService;
  auto state = core::asset_lifecycle_from(text);
  if (!state) {
    r.fail(field,
           "expected received, in_service, maintenance, decommissioning, wiped, destroyed or disposed");
  }
  return state.value_or(core::AssetLifecycle::InService);
}

std::optional<core::AssetDef> read_asset_def(FieldReader& outer, const json& doc, const std::string& field) {
  const auto* obj = outer.object(field);
  if (obj == nullptr) return std::nullopt;
  FieldReader r{*obj, outer.path_of(field)};
  core::AssetDef a;
  a.id = core::AssetId{r.id("id")};
  a.tag = r.string("tag", 64);
  if (auto s = optional_string(r, "serial", 128)) a.serial = *s;
  if (auto s = optional_string(r, "model", 128)) a.model = *s;
  a.kind = read_kind(r, "kind");
  a.epc = r.string("epc", kMaxEpc);
  if (r.ok() && !core::is_valid_epc(a.epc))
    r.fail("epc", "expected an EPC pure-identity URN (urn:epc:id:giai:... or urn:epc:id:sgtin:...)");
  if (r.optional("home_rack")) a.home_rack = core::RackId{r.id("home_rack")};
  if (r.optional("unit")) a.unit = static_cast<int>(r.integer("unit", 0, 100));
  if (r.optional("custodian")) a.custodian = core::PersonId{r.id("custodian")};
  if (r.optional("lifecycle")) a.lifecycle = read_lifecycle(r, "lifecycle");
  if (r.optional("holds_model_weights")) a.holds_model_weights = r.boolean("holds_model_weights");
  a.allowed_zones = zone_list(r, *obj, "allowed_zones");
  if (r.optional("missing_after_s"))
    a.missing_after_s = r.integer("missing_after_s", 0, kMaxMissingAfterSeconds);
  r.reject_unknown_fields();
  if (!r.ok()) {
    outer.adopt(*r.error());
    return std::nullopt;
  }
  (void)doc;
  return a;
}

json asset_def_to_json(const core::AssetDef& a) {
  json j;
  j["id"] = a.id.str();
  j["tag"] = a.tag;
  if (!a.serial.empty()) j["serial"] = a.serial;
  if (!a.model.empty()) j["model"] = a.model;
  j["kind"] = core::to_string(a.kind);
  j["epc"] = a.epc;
  if (!a.home_rack.empty()) j["home_rack"] = a.home_rack.str();
  if (a.unit != 0) j["unit"] = a.unit;
  if (!a.custodian.empty()) j["custodian"] = a.custodian.str();
  j["lifecycle"] = core::to_string(a.lifecycle);
  j["holds_model_weights"] = a.holds_model_weights;
  if (!a.allowed_zones.empty()) {
    j["allowed_zones"] = json::array();
    for (const auto& z : a.allowed_zones) j["allowed_zones"].push_back(z.str());
  }
  if (a.missing_after_s != 0) j["missing_after_s"] = a.missing_after_s;
  return j;
}

std::optional<core::SealDef> read_seal_def(FieldReader& outer, const std::string& field) {
  const auto* obj = outer.object(field);
  if (obj == nullptr) return std::nullopt;
  FieldReader r{*obj, outer.path_of(field)};
  core::SealDef s;
  s.id = core::SealId{r.id("id")};
  s.serial = r.string("serial", 64);
  if (r.optional("rack")) s.rack = core::RackId{r.id("rack")};
  if (r.optional("asset")) s.asset = core::AssetId{r.id("asset")};
  if (r.ok() && s.rack.empty() == s.asset.empty()) r.fail("rack", "give exactly one of rack or asset");
  r.reject_unknown_fields();
  if (!r.ok()) {
    outer.adopt(*r.error());
    return std::nullopt;
  }
  return s;
}

// Fields of one action, from a request body (with the path id merged in) or a stored record.
std::variant<core::AssetAction, FieldError> read_action(std::string_view type, const json& doc,
                                                        core::Timestamp now) {
  FieldReader r{doc, ""};
  std::optional<core::AssetAction> action;
  auto reason = [&] { return r.string("reason", kMaxText); };
  auto asset_id = [&] { return core::AssetId{r.id("asset")}; };
  if (type == "register_asset") {
    core::RegisterAsset a;
    if (auto def = read_asset_def(r, doc, "asset")) a.asset = *def;
    a.reason = reason();
    action = a;
  } else if (type == "update_asset") {
    core::UpdateAsset a;
    a.asset = asset_id();
    a.tag = optional_string(r, "tag", 64);
    a.serial = optional_string(r, "serial", 128);
    a.model = optional_string(r, "model", 128);
    a.epc = optional_string(r, "epc", kMaxEpc);
    if (a.epc && r.ok() && !core::is_valid_epc(*a.epc)) r.fail("epc", "expected an EPC pure-identity URN");
    if (r.optional("kind")) a.kind = read_kind(r, "kind");
    if (r.optional("home_rack")) a.home_rack = core::RackId{r.id("home_rack")};
    if (r.optional("unit")) a.unit = static_cast<int>(r.integer("unit", 0, 100));
    if (r.optional("custodian")) a.custodian = core::PersonId{r.id("custodian")};
    if (r.optional("holds_model_weights")) a.holds_model_weights = r.boolean("holds_model_weights");
    if (doc.contains("allowed_zones")) a.allowed_zones = zone_list(r, doc, "allowed_zones");
    if (r.optional("missing_after_s"))
      a.missing_after_s = r.integer("missing_after_s", 0, kMaxMissingAfterSeconds);
    a.reason = reason();
    action = a;
  } else if (type == "change_lifecycle") {
    core::ChangeLifecycle a;
    a.asset = asset_id();
    a.to = read_lifecycle(r, "to");
    a.reason = reason();
    action = a;
  } else if (type == "record_wipe") {
    core::RecordWipe a;
    a.asset = asset_id();
    a.method = r.string("method", 64);
    a.certificate_sha256 = r.string("certificate_sha256", 64);
    a.reason = reason();
    action = a;
  } else if (type == "record_destruction") {
    core::RecordDestruction a;
    a.asset = asset_id();
    a.method = r.string("method", 64);
    r.optional("witnesses");
    if (!doc.contains("witnesses")) {
      r.fail("witnesses", "is required");
    } else {
      const auto& w = doc.at("witnesses");
      if (!w.is_array() || w.size() != 2) {
        r.fail("witnesses", "expected exactly two person ids");
      } else {
        for (std::size_t i = 0; i < 2; ++i) {
          if (!w[i].is_string() || !FieldReader::valid_id(w[i].get<std::string>())) {
            r.fail("witnesses[" + std::to_string(i) + "]", "expected a person id");
            break;
          }
          a.witnesses[i] = core::PersonId{w[i].get<std::string>()};
        }
      }
    }
    if (auto c = optional_string(r, "certificate_sha256", 64)) a.certificate_sha256 = *c;
    a.reason = reason();
    action = a;
  } else if (type == "record_disposal") {
    core::RecordDisposal a;
    a.asset = asset_id();
    a.vendor = r.string("vendor", 200);
    a.manifest = r.string("manifest", 200);
    a.reason = reason();
    action = a;
  } else if (type == "request_move_order") {
    core::RequestMoveOrder a;
    a.order = core::MoveOrderId{r.id("order")};
    a.asset = asset_id();
    if (r.optional("to_zone")) a.to_zone = core::ZoneId{r.id("to_zone")};
    if (r.optional("to_rack")) a.to_rack = core::RackId{r.id("to_rack")};
    if (r.ok() && a.to_zone.empty() == a.to_rack.empty())
      r.fail("to_zone", "give exactly one of to_zone or to_rack");
    a.reason = reason();
    if (r.optional("valid_until_us")) {
      a.valid_until = core::from_unix_micros(r.integer("valid_until_us", 0, INT64_MAX));
    } else {
      a.valid_until = now + std::chrono::seconds{r.integer("valid_for_s", 60, kMaxMoveOrderSeconds)};
    }
    action = a;
  } else if (type == "approve_move_order") {
    action = core::ApproveMoveOrder{core::MoveOrderId{r.id("order")}, r.string("comment", kMaxText)};
  } else if (type == "check_seal") {
    core::CheckSeal a;
    a.seal = core::SealId{r.id("seal")};
    const auto status = r.string("status", 16);
    if (r.ok()) {
      auto parsed = core::seal_status_from(status);
      if (!parsed) r.fail("status", "expected intact, broken or replaced");
      a.status = parsed.value_or(core::SealStatus::Intact);
    }
    if (auto s = optional_string(r, "observed_serial", 64)) a.observed_serial = *s;
    if (auto s = optional_string(r, "comment", kMaxText)) a.comment = *s;
    action = a;
  } else if (type == "fit_seal") {
    core::FitSeal a;
    if (auto def = read_seal_def(r, "seal")) a.seal = *def;
    if (r.optional("replaces")) a.replaces = core::SealId{r.id("replaces")};
    a.witness = core::PersonId{r.id("witness")};
    a.reason = reason();
    action = a;
  } else {
    return FieldError{"path", "unknown asset action"};
  }
  r.reject_unknown_fields();
  if (!r.ok()) return *r.error();
  return *action;
}

json action_fields(const core::AssetAction& action) {
  json j;
  std::visit(core::Overloaded{
                 [&](const core::RegisterAsset& a) {
                   j["asset"] = asset_def_to_json(a.asset);
                   j["reason"] = a.reason;
                 },
                 [&](const core::UpdateAsset& a) {
                   j["asset"] = a.asset.str();
                   if (a.tag) j["tag"] = *a.tag;
                   if (a.serial) j["serial"] = *a.serial;
                   if (a.model) j["model"] = *a.model;
                   if (a.epc) j["epc"] = *a.epc;
                   if (a.kind) j["kind"] = core::to_string(*a.kind);
                   if (a.home_rack) j["home_rack"] = a.home_rack->str();
                   if (a.unit) j["unit"] = *a.unit;
                   if (a.custodian) j["custodian"] = a.custodian->str();
                   if (a.holds_model_weights) j["holds_model_weights"] = *a.holds_model_weights;
                   if (a.allowed_zones) {
                     j["allowed_zones"] = json::array();
                     for (const auto& z : *a.allowed_zones) j["allowed_zones"].push_back(z.str());
                   }
                   if (a.missing_after_s) j["missing_after_s"] = *a.missing_after_s;
                   j["reason"] = a.reason;
                 },
                 [&](const core::ChangeLifecycle& a) {
                   j["asset"] = a.asset.str();
                   j["to"] = core::to_string(a.to);
                   j["reason"] = a.reason;
                 },
                 [&](const core::RecordWipe& a) {
                   j["asset"] = a.asset.str();
                   j["method"] = a.method;
                   j["certificate_sha256"] = a.certificate_sha256;
                   j["reason"] = a.reason;
                 },
                 [&](const core::RecordDestruction& a) {
                   j["asset"] = a.asset.str();
                   j["method"] = a.method;
                   j["witnesses"] = {a.witnesses[0].str(), a.witnesses[1].str()};
                   if (!a.certificate_sha256.empty()) j["certificate_sha256"] = a.certificate_sha256;
                   j["reason"] = a.reason;
                 },
                 [&](const core::RecordDisposal& a) {
                   j["asset"] = a.asset.str();
                   j["vendor"] = a.vendor;
                   j["manifest"] = a.manifest;
                   j["reason"] = a.reason;
                 },
                 [&](const core::RequestMoveOrder& a) {
                   j["order"] = a.order.str();
                   j["asset"] = a.asset.str();
                   if (!a.to_zone.empty()) j["to_zone"] = a.to_zone.str();
                   if (!a.to_rack.empty()) j["to_rack"] = a.to_rack.str();
                   j["reason"] = a.reason;
                   j["valid_until_us"] = core::to_unix_micros(a.valid_until);
                 },
                 [&](const core::ApproveMoveOrder& a) {
                   j["order"] = a.order.str();
                   j["comment"] = a.comment;
                 },
                 [&](const core::CheckSeal& a) {
                   j["seal"] = a.seal.str();
                   j["status"] = core::to_string(a.status);
                   if (!a.observed_serial.empty()) j["observed_serial"] = a.observed_serial;
                   if (!a.comment.empty()) j["comment"] = a.comment;
                 },
                 [&](const core::FitSeal& a) {
                   json seal;
                   seal["id"] = a.seal.id.str();
                   seal["serial"] = a.seal.serial;
                   if (!a.seal.rack.empty()) seal["rack"] = a.seal.rack.str();
                   if (!a.seal.asset.empty()) seal["asset"] = a.seal.asset.str();
                   j["seal"] = std::move(seal);
                   if (!a.replaces.empty()) j["replaces"] = a.replaces.str();
                   j["witness"] = a.witness.str();
                   j["reason"] = a.reason;
                 },
             },
             action);
  return j;
}

json location_json(const core::Location& l) {
  json j = json::object();
  if (!l.zone.empty()) j["zone"] = l.zone.str();
  if (!l.rack.empty()) j["rack"] = l.rack.str();
  return j;
}

core::Location location_from(const json& j) {
  core::Location l;
  if (j.contains("zone")) l.zone = core::ZoneId{j.at("zone").get<std::string>()};
  if (j.contains("rack")) l.rack = core::RackId{j.at("rack").get<std::string>()};
  return l;
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

// ---- Hand-written writers (json_writer.hpp) for the per-movement hot path
// ---------------------------------- Every stored movement and every live asset delta went through a DOM of
// std::maps before: most of the sequencer's and the hub's time per movement. These give the same bytes as the
// nlohmann code they replaced.
using detail::put_bool;
using detail::put_int;
using detail::put_key;
using detail::put_string;

// {"rack":...,"zone":...}, either or both left out when empty (location_json's bytes).
void put_location(std::string& out, const core::Location& l) {
  bool first = true;
  out += '{';
  if (!l.rack.empty()) {
    put_key(out, first, "rack");
    put_string(out, l.rack.str());
  }
  if (!l.zone.empty()) {
    put_key(out, first, "zone");
    put_string(out, l.zone.str());
  }
  out += '}';
}

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
    o.epc = rr.string("epc", kMaxEpc);
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
  return read_action(type, doc, now);
}

std::string stored_asset_action_json(const core::AssetAction& action, const core::Actor& actor) {
  json j;
  j["action"] = core::type_name(action);
  j["actor"] = {{"id", actor.id.str()}, {"person", actor.person.str()}, {"may_approve", actor.may_approve}};
  j["fields"] = action_fields(action);
  return j.dump();
}

std::optional<StoredAssetAction> asset_action_from_stored_json(std::string_view text) {
  try {
    const auto j = json::parse(text);
    StoredAssetAction s;
    s.actor.id = core::OperatorId{j.at("actor").at("id").get<std::string>()};
    s.actor.person = core::PersonId{j.at("actor").at("person").get<std::string>()};
    s.actor.may_approve = j.at("actor").at("may_approve").get<bool>();
    auto parsed = read_action(j.at("action").get<std::string>(), j.at("fields"), core::Timestamp{});
    if (auto* action = std::get_if<core::AssetAction>(&parsed)) {
      s.action = std::move(*action);
      return s;
    }
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// Written by hand: one per stored movement (json_writer.hpp). Keys sorted as nlohmann wrote them: asset,
// at_us, device, epc, from, reader, reads, to.
std::string movement_json(const core::AssetMovement& m) {
  std::string out;
  out.reserve(160 + m.epc.size() + m.asset.str().size());
  out += "{\"asset\":";
  put_string(out, m.asset.str());
  out += ",\"at_us\":";
  put_int(out, core::to_unix_micros(m.at));
  out += ",\"device\":";
  put_string(out, m.device.str());
  out += ",\"epc\":";
  put_string(out, m.epc);
  out += ",\"from\":";
  put_location(out, m.from);
  out += ",\"reader\":";
  put_string(out, m.reader.str());
  out += ",\"reads\":";
  put_int(out, m.reads);
  out += ",\"to\":";
  put_location(out, m.to);
  out += '}';
  return out;
}

std::optional<core::AssetMovement> movement_from_json(std::string_view text) {
  try {
    const auto j = json::parse(text);
    core::AssetMovement m;
    m.asset = core::AssetId{j.at("asset").get<std::string>()};
    m.epc = j.at("epc").get<std::string>();
    m.from = location_from(j.at("from"));
    m.to = location_from(j.at("to"));
    m.reader = core::ReaderId{j.at("reader").get<std::string>()};
    m.device = core::DeviceId{j.at("device").get<std::string>()};
    m.reads = j.at("reads").get<std::uint64_t>();
    m.at = core::from_unix_micros(j.at("at_us").get<std::int64_t>());
    return m;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Written by hand: every movement has one, and three in four of the bench's moving reads raise
// asset_wrong_rack, so this is not only the empty case. Sorted: alarms, changes, decision, detail.
std::string asset_outcome_json(const core::AssetOutcome& outcome) {
  std::string out;
  out.reserve(96 + 160 * outcome.alarms.size() + 64 * outcome.changes.size() + outcome.detail.size());
  out += "{\"alarms\":";
  detail::put_alarms(out, outcome.alarms);
  out += ",\"changes\":[";
  for (std::size_t i = 0; i < outcome.changes.size(); ++i) {
    const auto& c = outcome.changes[i];
    if (i != 0) out += ',';
    out += "{\"after\":";
    put_string(out, c.after);
    out += ",\"before\":";
    put_string(out, c.before);
    out += ",\"field\":";
    put_string(out, c.field);
    out += '}';
  }
  out += "],\"decision\":";
  if (outcome.decision)
    detail::put_decision(out, *outcome.decision);
  else
    out += "null";
  if (!outcome.detail.empty()) {
    out += ",\"detail\":";
    put_string(out, outcome.detail);
  }
  out += '}';
  return out;
}

std::string registry_opened_json(core::Timestamp at) {
  return json{{"at_us", core::to_unix_micros(at)}}.dump();
}

std::optional<core::Timestamp> registry_opened_from_json(std::string_view text) {
  try {
    return core::from_unix_micros(json::parse(text).at("at_us").get<std::int64_t>());
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string epcis_result_json(const EpcisEventResult& r) {
  json j;
  j["eventID"] = r.event_id;
  j["effect"] = r.effect;
  j["status"] = r.status;
  if (!r.reason.empty()) j["reason"] = r.reason;
  if (r.effect == "observe") {
    j["observations"] = r.observations;
    j["movements"] = r.movements;
  }
  return j.dump();
}

std::string epcis_captured_json(const EpcisCaptured& c) {
  json j;
  j["event_id"] = c.event_id;
  j["canonical_sha256"] = c.canonical_sha256;
  j["path"] = c.path;
  j["result"] = json::parse(c.result_json);
  return j.dump();
}

std::optional<EpcisCaptured> epcis_captured_from_json(std::string_view text) {
  try {
    const auto j = json::parse(text);
    return EpcisCaptured{j.at("event_id").get<std::string>(), j.at("canonical_sha256").get<std::string>(),
                         j.at("path").get<std::string>(), j.at("result").dump()};
  } catch (const std::exception&) {
    return std::nullopt;
  }
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
