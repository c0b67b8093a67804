// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
#include "portcullis/ledger/records/asset_record.hpp"

#include <nlohmann/json.hpp>

#include "outcome_writer.hpp"
#include "portcullis/core/overloaded.hpp"
#include "portcullis/ledger/records/detail/asset_fields.hpp"
#include "portcullis/ledger/records/detail/field_reader.hpp"
#include "portcullis/ledger/records/detail/json_writer.hpp"

namespace portcullis::json {
namespace {
using detail::FieldReader;
using detail::kMaxEpcLength;
using detail::put_int;
using detail::put_location;
using detail::put_string;
using nlohmann::json;

constexpr std::size_t kMaxText = 2000;
constexpr std::int64_t kMaxMoveOrderSeconds = 30LL * 24 * 3600;
constexpr std::int64_t kMaxMissingAfterSeconds = 365LL * 24 * 3600;

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
  a.epc = r.string("epc", kMaxEpcLength);
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

json action_fields(const core::AssetAction& action) {
  json j;
  std::visit(core::Overloaded{
                 [&](const core::RegisterAsset& a) {
                   j["asset"] = detail::asset_def_to_json(a.asset);
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

core::Location location_from(const json& j) {
  core::Location l;
  if (j.contains("zone")) l.zone = core::ZoneId{j.at("zone").get<std::string>()};
  if (j.contains("rack")) l.rack = core::RackId{j.at("rack").get<std::string>()};
  return l;
}

}  // namespace

namespace detail {

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

std::variant<core::AssetAction, FieldError> read_asset_action(std::string_view type, const json& doc,
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
    a.epc = optional_string(r, "epc", kMaxEpcLength);
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

}  // namespace detail

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
    auto parsed =
        detail::read_asset_action(j.at("action").get<std::string>(), j.at("fields"), core::Timestamp{});
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

}  // namespace portcullis::json
