#pragma once
// Changes operators make between site loads, as inputs of the engine like device events: they are stored in
// the same ordered log and replayed, so a restart rebuilds revocations, added and just-in-time grants,
// lockdowns and forgiven presence exactly. The HTTP layer authenticates the operator and passes an Actor.
#include <chrono>
#include <string>
#include <variant>

#include "portcullis/core/model/site_definition.hpp"
#include "portcullis/core/policy/admin_change.hpp"
#include "portcullis/core/strong_id.hpp"
#include "portcullis/core/time.hpp"

namespace portcullis::core {

// Who acts. `person` links the operator account to a person of the site (empty if none) so a person cannot
// approve access for themselves through a second account; `may_approve` is the approver role, checked by the
// server's authorization and passed in so the engine can refuse consistently on replay.
struct Actor {
  OperatorId id;
  PersonId person;
  bool may_approve = false;
};

struct RevokePerson {
  PersonId person;
  std::string reason;
};
struct RestorePerson {
  PersonId person;
  std::string reason;
};
struct RevokeCredential {
  CredentialId credential;
  std::string reason;
};
// Also lifts a PIN-failure lock on the credential.
struct RestoreCredential {
  CredentialId credential;
  std::string reason;
};
struct RevokeGrant {
  GrantId grant;
  std::string reason;
};
struct RestoreGrant {
  GrantId grant;
  std::string reason;
};
struct AddGrant {
  GrantDef grant;
};
struct RemoveGrant {
  GrantId grant;
  std::string reason;
};
// A person asks for access to one zone for a while; someone else with the approver role approves.
struct RequestJitGrant {
  std::string request_id;
  PersonId person;
  ZoneId zone;
  std::string reason;
  Duration duration{};
};
struct ApproveJitGrant {
  std::string request_id;
  std::string comment;
};
// Anti-passback reset for one person: their presence becomes unknown.
struct ForgivePresence {
  PersonId person;
  std::string reason;
};
// Empty zone: the whole site.
struct SetLockdown {
  ZoneId zone;
  std::string reason;
};
struct ClearLockdown {
  ZoneId zone;
  std::string reason;
};

// Threat level of a zone (its subtree) or, with an empty zone, the whole site: level N makes every entry
// decide with the requirements of the tier N places higher in the site's tiers (capped at the highest).
// Level 0 lifts it. Effective at the next decision.
struct SetThreatLevel {
  ZoneId zone;
  int level = 0;  // 0..9
  std::string reason;
};
// A supervisor (Actor::may_approve) lets one person through a portal (entry side) or open a rack alone:
// bypasses two-person rules and lockdown, never the interlock. Its own decision, supervisor_override, with an
// alarm for the audit trail. Exactly one of portal / rack. Into a two-person place (or a rack) or through a
// lockdown it needs two operators: the first is answered pending/second_operator_required, and the same
// override by another operator of another person within kOverrideConfirmWindow lets the person through.
inline constexpr std::chrono::seconds kOverrideConfirmWindow{120};
struct SupervisorOverride {
  PersonId person;
  PortalId portal;
  RackId rack;
  std::string reason;
};

// Ends the fire state of a zone (empty: the site-wide one) that no panel clears: a panel gone or broken, a
// zone a reload renamed. Two operators: a supervisor (Actor::may_approve) asks with a new request_id, a
// second operator (another account and, when both are linked, another person) confirms with the same
// request_id within kFireClearTtl. Both steps are recorded and raise an alarm.
struct ClearFire {
  std::string request_id;
  ZoneId zone;
  std::string reason;
  bool confirm = false;  // the second operator's step: refers to an existing request, never starts one
};
inline constexpr std::chrono::seconds kFireClearTtl{600};

using OperatorAction =
    std::variant<RevokePerson, RestorePerson, RevokeCredential, RestoreCredential, RevokeGrant, RestoreGrant,
                 AddGrant, RemoveGrant, RequestJitGrant, ApproveJitGrant, ForgivePresence, SetLockdown,
                 ClearLockdown, SetThreatLevel, SupervisorOverride, ClearFire,
                 // Admin edits of people, credentials, membership (admin_change.hpp).
                 AdminChange>;

[[nodiscard]] const char* type_name(const OperatorAction& action) noexcept;

}  // namespace portcullis::core
