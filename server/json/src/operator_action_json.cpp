#include "portcullis/json/operator_action_json.hpp"

#include <nlohmann/json.hpp>

#include "portcullis/json/strict_json.hpp"
#include "portcullis/ledger/records/detail/field_reader.hpp"

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

}  // namespace portcullis::json
