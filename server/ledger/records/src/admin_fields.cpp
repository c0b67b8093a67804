// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
#include "admin_fields.hpp"

#include "portcullis/core/overloaded.hpp"
#include "portcullis/ledger/records/detail/admin_views.hpp"

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

}  // namespace

namespace detail {

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
}  // namespace portcullis::json
