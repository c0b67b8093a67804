// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
#include "portcullis/ledger/records/operator_action_record.hpp"

#include <nlohmann/json.hpp>

#include "admin_fields.hpp"
#include "portcullis/core/overloaded.hpp"
#include "portcullis/ledger/records/detail/admin_views.hpp"

namespace portcullis::json {
namespace {
using detail::group_view;
using detail::person_view;
using nlohmann::json;
}  // namespace

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

std::string problems_json(const core::Problems& problems) {
  json list = json::array();
  for (const auto& p : problems) list.push_back({{"path", p.json_path}, {"message", p.message}});
  // Messages may quote what was sent: never throw on a byte that is not UTF-8.
  return list.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace portcullis::json
