#include "portcullis/json/operator_action_json.hpp"
#include "portcullis/core/overloaded.hpp"
#include "portcullis/json/strict_json.hpp"

#include <nlohmann/json.hpp>

#include "admin_fields.hpp"
#include "field_reader.hpp"

namespace portcullis::json {
namespace {
using nlohmann::json;

constexpr std::int64_t kMaxJitSeconds = 7 * 24 * 3600;
constexpr std::int64_t kMaxThreatLevel = 9;

}  // namespace

std::variant<core::OperatorAction, FieldError> parse_action_request(std::string_view route,
                                                                    const std::string& target,
                                                                    std::string_view body,
                                                                    const std::string& new_id) {
  auto parsed = parse_strict_object(body, 3, true);
  if (auto* e = std::get_if<FieldError>(&parsed)) return *e;
  json doc = std::move(std::get<json>(parsed));
  detail::FieldReader r{doc, ""};
  if (!detail::FieldReader::valid_id(target) && !target.empty())
    return FieldError{"id", "not a valid identifier"};
  std::optional<core::OperatorAction> action;
  auto reason = [&] { return r.string("reason", 2000); };
  if (route == "revoke_person")
    action = core::RevokePerson{core::PersonId{target}, reason()};
  else if (route == "revoke_credential")
    action = core::RevokeCredential{core::CredentialId{target}, reason()};
  else if (route == "revoke_grant")
    action = core::RevokeGrant{core::GrantId{target}, reason()};
  else if (route == "restore_person")
    action = core::RestorePerson{core::PersonId{target}, reason()};
  else if (route == "restore_credential")
    action = core::RestoreCredential{core::CredentialId{target}, reason()};
  else if (route == "restore_grant")
    action = core::RestoreGrant{core::GrantId{target}, reason()};
  else if (route == "remove_grant")
    action = core::RemoveGrant{core::GrantId{target}, reason()};
  else if (route == "forgive")
    action = core::ForgivePresence{core::PersonId{target}, reason()};
  else if (route == "lockdown" || route == "release") {
    core::ZoneId zone;
    if (r.optional("zone")) zone = core::ZoneId{r.id("zone")};
    if (route == "lockdown")
      action = core::SetLockdown{zone, reason()};
    else
      action = core::ClearLockdown{zone, reason()};
  } else if (route == "request_jit") {
    core::RequestJitGrant jit;
    jit.request_id = new_id;
    jit.person = core::PersonId{r.id("person")};
    jit.zone = core::ZoneId{r.id("zone")};
    jit.reason = reason();
    jit.duration = std::chrono::seconds{r.integer("duration_s", 60, kMaxJitSeconds)};
    action = jit;
  } else if (route == "approve_jit") {
    action = core::ApproveJitGrant{target, r.string("comment", 2000)};
  } else if (route == "threat_level") {
    core::SetThreatLevel level;
    if (r.optional("zone")) level.zone = core::ZoneId{r.id("zone")};
    level.level = static_cast<int>(r.integer("level", 0, kMaxThreatLevel));
    level.reason = reason();
    action = level;
  } else if (route == "override") {
    core::SupervisorOverride override_entry;
    override_entry.person = core::PersonId{r.id("person")};
    if (r.optional("portal")) override_entry.portal = core::PortalId{r.id("portal")};
    if (r.optional("rack")) override_entry.rack = core::RackId{r.id("rack")};
    override_entry.reason = reason();
    if (r.ok() && override_entry.portal.empty() == override_entry.rack.empty())
      return FieldError{"portal", "give exactly one of portal or rack"};
    action = override_entry;
  } else if (route == "clear_fire" || route == "confirm_fire_clear") {
    // The zone whose fire state no panel clears (absent: the site-wide one); the confirmation names it again.
    core::ClearFire clear;
    clear.request_id = route == "clear_fire" ? new_id : target;
    clear.confirm = route == "confirm_fire_clear";
    if (r.optional("zone")) clear.zone = core::ZoneId{r.id("zone")};
    clear.reason = reason();
    action = clear;
  } else {
    return FieldError{"path", "unknown action"};
  }
  r.reject_unknown_fields();
  if (!r.ok()) return *r.error();
  return *action;
}

std::string stored_action_json(const core::OperatorAction& action, const core::Actor& actor) {
  json j;
  j["action"] = core::type_name(action);
  j["actor"] = {{"id", actor.id.str()}, {"person", actor.person.str()}, {"may_approve", actor.may_approve}};
  std::visit(
      core::Overloaded{
          [&](const core::RevokePerson& a) { j["person"] = a.person.str(), j["reason"] = a.reason; },
          [&](const core::RestorePerson& a) { j["person"] = a.person.str(), j["reason"] = a.reason; },
          [&](const core::RevokeCredential& a) {
            j["credential"] = a.credential.str(), j["reason"] = a.reason;
          },
          [&](const core::RestoreCredential& a) {
            j["credential"] = a.credential.str(), j["reason"] = a.reason;
          },
          [&](const core::RevokeGrant& a) { j["grant"] = a.grant.str(), j["reason"] = a.reason; },
          [&](const core::RestoreGrant& a) { j["grant"] = a.grant.str(), j["reason"] = a.reason; },
          [&](const core::AddGrant& a) { j["grant"] = detail::grant_fields(a.grant); },
          [&](const core::AdminChange& a) { detail::admin_change_fields(a, j); },
          [&](const core::RemoveGrant& a) { j["grant"] = a.grant.str(), j["reason"] = a.reason; },
          [&](const core::RequestJitGrant& a) {
            j["request_id"] = a.request_id;
            j["person"] = a.person.str();
            j["zone"] = a.zone.str();
            j["reason"] = a.reason;
            j["duration_us"] = a.duration.count();
          },
          [&](const core::ApproveJitGrant& a) { j["request_id"] = a.request_id, j["comment"] = a.comment; },
          [&](const core::ForgivePresence& a) { j["person"] = a.person.str(), j["reason"] = a.reason; },
          [&](const core::SetLockdown& a) { j["zone"] = a.zone.str(), j["reason"] = a.reason; },
          [&](const core::ClearLockdown& a) { j["zone"] = a.zone.str(), j["reason"] = a.reason; },
          [&](const core::SetThreatLevel& a) {
            j["zone"] = a.zone.str(), j["level"] = a.level, j["reason"] = a.reason;
          },
          [&](const core::SupervisorOverride& a) {
            j["person"] = a.person.str(), j["portal"] = a.portal.str(), j["rack"] = a.rack.str();
            j["reason"] = a.reason;
          },
          [&](const core::ClearFire& a) {
            j["request_id"] = a.request_id, j["zone"] = a.zone.str(), j["reason"] = a.reason;
            j["confirm"] = a.confirm;
          },
      },
      action);
  return j.dump();
}

std::optional<StoredAction> action_from_stored_json(std::string_view text) {
  try {
    const auto j = json::parse(text);
    StoredAction s;
    s.actor.id = core::OperatorId{j.at("actor").at("id").get<std::string>()};
    s.actor.person = core::PersonId{j.at("actor").at("person").get<std::string>()};
    s.actor.may_approve = j.at("actor").at("may_approve").get<bool>();
    const auto name = j.at("action").get<std::string>();
    auto str = [&](const char* key) { return j.at(key).get<std::string>(); };
    if (auto change = detail::admin_change_from(name, j)) {
      s.action = std::move(*change);
      return s;
    }
    const core::OperatorAction candidates[] = {
        core::AddGrant{},         core::RevokePerson{},      core::RestorePerson{},
        core::RevokeCredential{}, core::RestoreCredential{}, core::RevokeGrant{},
        core::RestoreGrant{},     core::RemoveGrant{},       core::RequestJitGrant{},
        core::ApproveJitGrant{},  core::ForgivePresence{},   core::SetLockdown{},
        core::ClearLockdown{},    core::SetThreatLevel{},    core::SupervisorOverride{},
        core::ClearFire{}};
    for (const auto& candidate : candidates) {
      if (name != core::type_name(candidate)) continue;
      s.action = std::visit(
          core::Overloaded{
              [&](const core::RevokePerson&) -> core::OperatorAction {
                return core::RevokePerson{core::PersonId{str("person")}, str("reason")};
              },
              [&](const core::RestorePerson&) -> core::OperatorAction {
                return core::RestorePerson{core::PersonId{str("person")}, str("reason")};
              },
              [&](const core::RevokeCredential&) -> core::OperatorAction {
                return core::RevokeCredential{core::CredentialId{str("credential")}, str("reason")};
              },
              [&](const core::RestoreCredential&) -> core::OperatorAction {
                return core::RestoreCredential{core::CredentialId{str("credential")}, str("reason")};
              },
              [&](const core::RevokeGrant&) -> core::OperatorAction {
                return core::RevokeGrant{core::GrantId{str("grant")}, str("reason")};
              },
              [&](const core::RestoreGrant&) -> core::OperatorAction {
                return core::RestoreGrant{core::GrantId{str("grant")}, str("reason")};
              },
              [&](const core::AddGrant&) -> core::OperatorAction {
                return core::AddGrant{detail::grant_from(j.at("grant"))};
              },
              [&](const core::AdminChange&) -> core::OperatorAction { return core::AdminChange{}; },
              [&](const core::RemoveGrant&) -> core::OperatorAction {
                return core::RemoveGrant{core::GrantId{str("grant")}, str("reason")};
              },
              [&](const core::RequestJitGrant&) -> core::OperatorAction {
                return core::RequestJitGrant{str("request_id"), core::PersonId{str("person")},
                                             core::ZoneId{str("zone")}, str("reason"),
                                             core::Duration{j.at("duration_us").get<std::int64_t>()}};
              },
              [&](const core::ApproveJitGrant&) -> core::OperatorAction {
                return core::ApproveJitGrant{str("request_id"), str("comment")};
              },
              [&](const core::ForgivePresence&) -> core::OperatorAction {
                return core::ForgivePresence{core::PersonId{str("person")}, str("reason")};
              },
              [&](const core::SetLockdown&) -> core::OperatorAction {
                return core::SetLockdown{core::ZoneId{str("zone")}, str("reason")};
              },
              [&](const core::ClearLockdown&) -> core::OperatorAction {
                return core::ClearLockdown{core::ZoneId{str("zone")}, str("reason")};
              },
              [&](const core::SetThreatLevel&) -> core::OperatorAction {
                return core::SetThreatLevel{core::ZoneId{str("zone")}, j.at("level").get<int>(),
                                            str("reason")};
              },
              [&](const core::SupervisorOverride&) -> core::OperatorAction {
                return core::SupervisorOverride{core::PersonId{str("person")}, core::PortalId{str("portal")},
                                                core::RackId{str("rack")}, str("reason")};
              },
              [&](const core::ClearFire&) -> core::OperatorAction {
                return core::ClearFire{str("request_id"), core::ZoneId{str("zone")}, str("reason"),
                                       j.at("confirm").get<bool>()};
              },
          },
          candidate);
      return s;
    }
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace portcullis::json
