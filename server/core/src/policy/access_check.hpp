#pragma once
// Internal: the policy steps of one access attempt, in the documented order (docs/access-policy.md):
// credential and person status, lockdown, explicit deny, clearance, grant coverage in time, factors,
// two-person. Pure: reads the model and state, changes nothing. Anti-passback comes after, in the engine.
#include "passage.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/core/policy/engine_state.hpp"

namespace portcullis::core::detail {

// Verdict Grant here means "policy allows"; the engine still applies two-person rules (`two_person` is set
// when the place needs them), anti-passback and the mantrap. Threat levels raise the tier first.
[[nodiscard]] Decision evaluate_attempt(const SiteModel& model, const EngineState& state,
                                        const Passage& passage, const PendingAttempt& attempt, Timestamp now,
                                        bool& two_person);

[[nodiscard]] bool person_revoked(const SiteModel& model, const EngineState& state, const PersonId& person);
[[nodiscard]] bool credential_revoked(const SiteModel& model, const EngineState& state,
                                      const CredentialId& credential);

}  // namespace portcullis::core::detail
