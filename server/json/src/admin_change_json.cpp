#include "portcullis/json/admin_change_json.hpp"
#include "portcullis/core/overloaded.hpp"
#include "portcullis/json/strict_json.hpp"

#include <algorithm>
#include <map>

#include "admin_fields.hpp"
#include "field_reader.hpp"
#include "portcullis/json/operator_action_json.hpp"
#include "portcullis/json/operator_json.hpp"

namespace portcullis::json {
namespace {
using nlohmann::json;

json optional_time(const std::optional<core::Timestamp>& t) {
  return t ? json(core::to_unix_micros(*t)) : json(nullptr);
}
std::optional<core::Timestamp> time_from(const json& j) {
  if (j.is_null()) return std::nullopt;
  return core::from_unix_micros(j.get<std::int64_t>());
}

const char* clearance_name(core::ClearanceStatus s) {
  switch (s) {
    case core::ClearanceStatus::None: return "none";
    case core::ClearanceStatus::Pending: return "pending";
    case core::ClearanceStatus::Cleared: return "cleared";
    case core::ClearanceStatus::Denied: return "denied";
  }
  return "none";
}
core::ClearanceStatus clearance_from(const std::string& s) {
  if (s == "pending") return core::ClearanceStatus::Pending;
  if (s == "cleared") return core::ClearanceStatus::Cleared;
  if (s == "denied") return core::ClearanceStatus::Denied;
  return core::ClearanceStatus::None;
}

json clearance_fields(const core::ClearanceDef& c) {
  return {{"status", clearance_name(c.status)}, {"expires_us", optional_time(c.expires)}};
}
core::ClearanceDef clearance_of(const json& j) {
  return {clearance_from(j.at("status").get<std::string>()), time_from(j.at("expires_us"))};
}

json card_fields(const core::CardDef& c) {
  return {{"id", c.id.str()},       {"format", static_cast<int>(c.format)},
          {"facility", c.facility}, {"number", c.number},
          {"raw_bits", c.raw_bits}, {"revoked", c.revoked}};
}
core::CardDef card_of(const json& j) {
  core::CardDef c;
  c.id = core::CredentialId{j.at("id").get<std::string>()};
  c.format = static_cast<core::CardFormat>(j.at("format").get<int>());
  c.facility = j.at("facility").get<std::uint32_t>();
  c.number = j.at("number").get<std::uint64_t>();
  c.raw_bits = j.at("raw_bits").get<std::string>();
  c.revoked = j.at("revoked").get<bool>();
  return c;
}

// For before/after: what an auditor needs, never a PIN hash.
json person_view(const core::PersonDef& p) {
  json cards = json::array();
  for (const auto& c : p.cards) cards.push_back(card_fields(c));
  json bios = json::array();
  for (const auto& b : p.biometrics)
    bios.push_back({{"id", b.id.str()}, {"template_id", b.template_id}, {"revoked", b.revoked}});
  return {{"id", p.id.str()},
          {"name", p.name},
          {"role", p.role},
          {"revoked", p.revoked},
          {"clearance", clearance_fields(p.clearance)},
          {"cards", cards},
          {"biometrics", bios},
          {"pin", !p.pin_hash.empty()},
          {"duress_pin", !p.duress_pin_hash.empty()}};
}
json group_view(const core::GroupDef& g) {
  json members = json::array();
  for (const auto& m : g.members) members.push_back(m.str());
  return {{"id", g.id.str()}, {"name", g.name}, {"members", members}};
}

template <class Def, class IdOf>
json diff(const std::vector<Def>* before, const std::vector<Def>& after, IdOf id_of) {
  constexpr std::size_t kMaxIds = 200;
  std::map<std::string, const Def*> old;
  if (before != nullptr) {
    for (const auto& d : *before) old.emplace(id_of(d), &d);
  }
  json added = json::array(), removed = json::array(), changed = json::array();
  bool truncated = false;
  auto push = [&](json& list, const std::string& id) {
    if (list.size() < kMaxIds)
      list.push_back(id);
    else
      truncated = true;
  };
  std::map<std::string, bool> seen;
  for (const auto& d : after) {
    const std::string id = id_of(d);
    seen[id] = true;
    auto it = old.find(id);
    if (it == old.end())
      push(added, id);
    else if (!(*it->second == d))
      push(changed, id);
  }
  for (const auto& [id, d] : old) {
    if (!seen.contains(id)) push(removed, id);
  }
  json out{{"added", added}, {"removed", removed}, {"changed", changed}};
  if (truncated) out["truncated"] = true;
  return out;
}

}  // namespace

namespace detail {

json grant_fields(const core::GrantDef& g) {
  json zones = json::array(), racks = json::array();
  for (const auto& z : g.zones) zones.push_back(z.str());
  for (const auto& r : g.racks) racks.push_back(r.str());
  return {{"id", g.id.str()},
          {"person", g.person.str()},
          {"group", g.group.str()},
          {"effect", g.effect == core::GrantEffect::Allow ? "allow" : "deny"},
          {"zones", zones},
          {"racks", racks},
          {"include_subzones", g.include_subzones},
          {"schedule", g.schedule.str()},
          {"valid_from_us", optional_time(g.valid_from)},
          {"valid_until_us", optional_time(g.valid_until)},
          {"revoked", g.revoked}};
}

core::GrantDef grant_from(const json& j) {
  core::GrantDef g;
  g.id = core::GrantId{j.at("id").get<std::string>()};
  g.person = core::PersonId{j.at("person").get<std::string>()};
  g.group = core::GroupId{j.at("group").get<std::string>()};
  g.effect = j.at("effect").get<std::string>() == "deny" ? core::GrantEffect::Deny : core::GrantEffect::Allow;
  for (const auto& z : j.at("zones")) g.zones.emplace_back(z.get<std::string>());
  for (const auto& r : j.at("racks")) g.racks.emplace_back(r.get<std::string>());
  g.include_subzones = j.at("include_subzones").get<bool>();
  g.schedule = core::ScheduleId{j.at("schedule").get<std::string>()};
  g.valid_from = time_from(j.at("valid_from_us"));
  g.valid_until = time_from(j.at("valid_until_us"));
  g.revoked = j.at("revoked").get<bool>();
  return g;
}

void admin_change_fields(const core::AdminChange& change, json& j) {
  std::visit(core::Overloaded{
                 [&](const core::UpsertPerson& e) {
                   j["person"] = e.person.str();
                   j["name"] = e.name;
                   j["role"] = e.role;
                   j["clearance"] = clearance_fields(e.clearance);
                 },
                 [&](const core::AddCard& e) {
                   j["person"] = e.person.str();
                   j["card"] = card_fields(e.card);
                 },
                 [&](const core::AddBiometric& e) {
                   j["person"] = e.person.str();
                   j["biometric"] = {{"id", e.biometric.id.str()},
                                     {"template_id", e.biometric.template_id},
                                     {"revoked", e.biometric.revoked}};
                 },
                 [&](const core::SetPin& e) {
                   // The slow salted hash (never the PIN): replay must verify PINs the same way.
                   j["person"] = e.person.str();
                   j["pin_hash"] = e.pin_hash;
                   j["duress"] = e.duress;
                 },
                 [&](const core::RemoveCredential& e) {
                   j["person"] = e.person.str();
                   j["credential"] = e.credential.str();
                   j["reason"] = e.reason;
                 },
                 [&](const core::AddGroupMember& e) {
                   j["group"] = e.group.str();
                   j["person"] = e.person.str();
                 },
                 [&](const core::RemoveGroupMember& e) {
                   j["group"] = e.group.str();
                   j["person"] = e.person.str();
                 },
             },
             change.edit);
}

std::optional<core::AdminChange> admin_change_from(const std::string& name, const json& j) {
  auto str = [&](const char* key) { return j.at(key).get<std::string>(); };
  const core::PersonId person{j.contains("person") ? str("person") : std::string{}};
  if (name == "upsert_person")
    return core::AdminChange{
        core::UpsertPerson{person, str("name"), str("role"), clearance_of(j.at("clearance"))}};
  if (name == "add_card") return core::AdminChange{core::AddCard{person, card_of(j.at("card"))}};
  if (name == "add_biometric") {
    const auto& b = j.at("biometric");
    return core::AdminChange{core::AddBiometric{
        person, core::BiometricDef{core::CredentialId{b.at("id").get<std::string>()},
                                   b.at("template_id").get<std::string>(), b.at("revoked").get<bool>()}}};
  }
  if (name == "set_pin")
    return core::AdminChange{core::SetPin{person, str("pin_hash"), j.at("duress").get<bool>()}};
  if (name == "remove_credential")
    return core::AdminChange{
        core::RemoveCredential{person, core::CredentialId{str("credential")}, str("reason")}};
  if (name == "add_group_member")
    return core::AdminChange{core::AddGroupMember{core::GroupId{str("group")}, person}};
  if (name == "remove_group_member")
    return core::AdminChange{core::RemoveGroupMember{core::GroupId{str("group")}, person}};
  return std::nullopt;
}

}  // namespace detail

std::string stored_admin_action_json(const core::OperatorAction& action, const core::Actor& actor,
                                     const core::AdminReport& report) {
  json j = json::parse(stored_action_json(action, actor));
  if (report.refusal != core::AdminReport::Refusal::None) {
    j["problems"] = json::parse(problems_json(report.problems));
    return j.dump();
  }
  if (report.person_before) j["before"] = person_view(*report.person_before);
  if (report.person_after) j["after"] = person_view(*report.person_after);
  if (report.group_before) j["before"] = group_view(*report.group_before);
  if (report.group_after) j["after"] = group_view(*report.group_after);
  if (!j.contains("before") && j.contains("after")) j["before"] = nullptr;
  return j.dump();
}

std::string people_json(const core::SiteDefinition& site) {
  json people = json::array();
  for (const auto& p : site.people) people.push_back(person_view(p));
  json groups = json::array();
  for (const auto& g : site.groups) groups.push_back(group_view(g));
  return json{{"people", people}, {"groups", groups}}.dump();
}

std::string site_summary_with_edits(std::string_view site_text, const core::SiteDefinition& site) {
  json summary = json::parse(site_summary_json(site_text));
  json people = json::array();
  for (const auto& p : site.people)
    people.push_back({{"id", p.id.str()},
                      {"name", p.name},
                      {"role", p.role},
                      {"status", p.revoked ? "revoked" : "active"}});
  summary["people"] = std::move(people);
  json groups = json::array();
  for (const auto& g : site.groups) groups.push_back({{"id", g.id.str()}, {"name", g.name}});
  summary["groups"] = std::move(groups);
  return summary.dump();
}

std::string problems_json(const core::Problems& problems) {
  json list = json::array();
  for (const auto& p : problems) list.push_back({{"path", p.json_path}, {"message", p.message}});
  // Messages may quote what was sent: never throw on a byte that is not UTF-8.
  return list.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string reasons_json(const std::vector<std::string>& reasons) {
  return json(reasons).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string site_change_summary_json(const core::SiteDefinition* before, const core::SiteDefinition& after) {
  auto id = [](const auto& d) { return d.id.str(); };
  json j;
  j["zones"] = diff(before ? &before->zones : nullptr, after.zones, id);
  j["portals"] = diff(before ? &before->portals : nullptr, after.portals, id);
  j["racks"] = diff(before ? &before->racks : nullptr, after.racks, id);
  j["people"] = diff(before ? &before->people : nullptr, after.people, id);
  j["groups"] = diff(before ? &before->groups : nullptr, after.groups, id);
  j["grants"] = diff(before ? &before->grants : nullptr, after.grants, id);
  j["devices"] = diff(before ? &before->devices : nullptr, after.devices, id);
  j["mantraps"] = diff(before ? &before->mantraps : nullptr, after.mantraps, id);
  j["tiers"] = diff(before ? &before->tiers : nullptr, after.tiers,
                    [](const core::TierRequirementDef& t) { return std::to_string(t.tier); });
  j["settings_changed"] = before == nullptr || !(before->settings == after.settings) ||
                          !(before->two_person_rules == after.two_person_rules);
  return j.dump();
}

namespace {
std::variant<json, FieldError> parse_object(std::string_view body, std::size_t max_depth) {
  return parse_strict_object(body, max_depth);
}
}  // namespace

std::variant<PinBody, FieldError> parse_pin_body(std::string_view body) {
  auto doc = parse_object(body, 2);
  if (auto* e = std::get_if<FieldError>(&doc)) return *e;
  detail::FieldReader r{std::get<json>(doc), ""};
  PinBody out;
  out.pin = r.string("pin", 12);
  if (r.optional("duress")) out.duress = r.boolean("duress");
  r.reject_unknown_fields();
  if (!r.ok()) return *r.error();
  const bool digits =
      std::all_of(out.pin.begin(), out.pin.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (out.pin.size() < 4 || !digits) return FieldError{"pin", "expected 4 to 12 digits"};
  return out;
}

std::variant<std::string, FieldError> parse_member_body(std::string_view body) {
  auto doc = parse_object(body, 2);
  if (auto* e = std::get_if<FieldError>(&doc)) return *e;
  detail::FieldReader r{std::get<json>(doc), ""};
  auto person = r.id("person");
  r.reject_unknown_fields();
  if (!r.ok()) return *r.error();
  return person;
}

std::variant<std::pair<std::string, std::string>, FieldError> split_credential_body(std::string_view body) {
  auto doc = parse_object(body, 3);
  if (auto* e = std::get_if<FieldError>(&doc)) return *e;
  auto& j = std::get<json>(doc);
  if (!j.contains("type") || !j["type"].is_string())
    return FieldError{"type", "expected \"card\" or \"biometric\""};
  const auto type = j["type"].get<std::string>();
  if (type != "card" && type != "biometric") return FieldError{"type", "expected \"card\" or \"biometric\""};
  j.erase("type");
  return std::pair{type, j.dump()};
}

std::string site_loaded_payload(const std::string& loaded_by, const std::string& version,
                                const std::string& content_sha256, const std::string& previous_sha256,
                                const std::string& changes_json) {
  json j{{"content_sha256", content_sha256},
         {"loaded_by", loaded_by},
         {"previous_sha256", previous_sha256},
         {"version", version}};
  j["changes"] = json::parse(changes_json);
  return j.dump();
}

std::optional<std::string> site_loaded_hash(std::string_view payload) {
  try {
    const auto j = json::parse(payload);
    if (j.contains("content_sha256") && j["content_sha256"].is_string())
      return j["content_sha256"].get<std::string>();
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace portcullis::json
