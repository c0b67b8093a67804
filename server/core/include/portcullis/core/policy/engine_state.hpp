#pragma once
// Everything the engine remembers between events. Derived only from the ordered (events, actions, times),
// so replaying the log into a fresh engine rebuilds it exactly; operator== lets a test prove that.
// Keyed by ids, not model indexes, so it survives a site reload (pending attempts excepted: a reload
// abandons them, see Engine::replace_model).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "portcullis/core/model/site_definition.hpp"
#include "portcullis/core/site_model.hpp"
#include "portcullis/core/strong_id.hpp"
#include "portcullis/core/time.hpp"

namespace portcullis::core {

struct Presence {
  ZoneId zone;
  Timestamp since{};
  friend bool operator==(const Presence&, const Presence&) = default;
};

// Factors presented at one portal side (or rack) by one person, combining into one access attempt.
struct PendingAttempt {
  PersonId person;
  CredentialId card;
  CredentialId biometric;
  FactorMask factors = 0;
  Timestamp started{};
  // The same, resolved in the current model (attempts do not survive a model swap).
  Index person_index = kNoIndex;
  Index card_index = kNoIndex;
  Index biometric_index = kNoIndex;
  friend bool operator==(const PendingAttempt&, const PendingAttempt&) = default;
};

struct JitRequest {
  OperatorId requested_by;
  PersonId requested_by_person;
  PersonId person;
  ZoneId zone;
  std::string reason;
  Duration duration{};
  Timestamp requested_at{};
  bool approved = false;
  friend bool operator==(const JitRequest&, const JitRequest&) = default;
};

struct EngineState {
  // Operator overrides of the model's revoked flags: true = revoked, false = restored.
  std::unordered_map<PersonId, bool> person_revoked;
  std::unordered_map<CredentialId, bool> credential_revoked;
  std::unordered_map<GrantId, bool> grant_revoked;
  std::unordered_set<GrantId> removed_grants;  // model grants removed by an operator
  std::map<GrantId, GrantDef> added_grants;    // operator and just-in-time grants
  std::map<std::string, JitRequest> jit_requests;
  bool site_lockdown = false;
  std::unordered_set<ZoneId> lockdowns;
  std::unordered_map<PersonId, Presence> presence;
  std::unordered_map<CredentialId, int> pin_failures;
  std::unordered_set<CredentialId> locked_credentials;
  // Key: reader target (portal or rack index) and side, see attempt_key().
  std::unordered_map<std::uint64_t, PendingAttempt> attempts;

  friend bool operator==(const EngineState&, const EngineState&) = default;
};

}  // namespace portcullis::core
