#pragma once
// Internal: two-person integrity at a portal side or rack. The first person waits (pending) until a second,
// distinct person completes within the rule's window; both pass together. The first person is decided again
// at completion (revoked, expired or edited in between: refused). One person's second credential never
// counts as a second person, and is an alarm (two_person_fraud). Leaving a min-occupancy zone under the
// deny_exit policy needs a pair too. Fire changes none of this.
#include <optional>

#include "passage.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/core/policy/engine_state.hpp"

namespace portcullis::core::detail {

// The first person of a pending two-person attempt presenting again (another credential of their own):
// refused with same_person_twice, and with a two_person_fraud alarm when `presented` is not a credential the
// first person already used; the first person keeps waiting.
[[nodiscard]] std::optional<Outcome> same_person_twice(const SiteModel& model, EngineState& state,
                                                       const Passage& passage, Index person,
                                                       const CredentialId& presented, Timestamp now);

// Leaving a min-occupancy zone would leave one person alone and the site denies that (deny_exit).
[[nodiscard]] bool pair_exit_needed(const SiteModel& model, const EngineState& state, const Passage& passage,
                                    const PersonId& person);

// A person the policy allows at a two-person place (or a pair exit): waits as the first, or completes the
// pending attempt as the second. `attempt` is the person's own factors, kept to decide the first again.
[[nodiscard]] Outcome two_person_step(const SiteModel& model, EngineState& state, const Passage& passage,
                                      Decision decision, const PendingAttempt& attempt, bool exit,
                                      Timestamp now);

}  // namespace portcullis::core::detail
