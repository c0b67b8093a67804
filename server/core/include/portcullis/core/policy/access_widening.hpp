#pragma once
// Separation of duties on the effective model. A change that widens anyone's access to, or relaxes the rules
// of, a sensitive place needs a second operator, whatever route or file it comes through: the sequencer asks
// these functions before it applies an operator action or a site load, and holds a widening one for a second
// approver (docs/operators.md, "Separation of duties"). Changes that only narrow access apply at once.
//
// The comparison is made on the effective policy: the site definition in force (site file + admin edits)
// with the engine's operator overrides folded in (revoked and restored people, credentials and grants,
// removed and added grants). It is conservative: a change it cannot prove narrowing (for instance one grant
// split into two that together cover the same hours) is reported as widening; a second approver costs a
// minute, a missed widening can cost the weights.
#include <string>
#include <vector>

#include "portcullis/core/engine.hpp"
#include "portcullis/core/model/site_definition.hpp"
#include "portcullis/core/policy/engine_state.hpp"
#include "portcullis/core/policy/operator_action.hpp"

namespace portcullis::core {

// A zone or rack of at least this tier is sensitive (as is any two-person place, see is_sensitive_zone).
inline constexpr int kSensitiveTier = 3;

// Why a change needs a second approver: one sentence per finding, naming the place and, for access, the
// person. Empty: the change only narrows access (or touches no sensitive place).
struct Widening {
  std::vector<std::string> reasons;
  [[nodiscard]] bool widens() const noexcept { return !reasons.empty(); }
};

// The definition with the engine's operator overrides folded in: what access decisions read, apart from
// presence, lockdowns, threat levels and PIN-failure locks (operational state, not who may enter).
[[nodiscard]] SiteDefinition effective_policy(const SiteDefinition& definition, const EngineState& state);

// A zone is sensitive when its tier is >= kSensitiveTier, it needs two persons (min_occupancy >= 2, a
// two-person tier, a two-person rule); a rack when its tier is >= kSensitiveTier, it is two-person, has a
// two-person rule or stands in a sensitive zone.
[[nodiscard]] bool is_sensitive_zone(const SiteDefinition& site, const ZoneDef& zone);
[[nodiscard]] bool is_sensitive_rack(const SiteDefinition& site, const RackDef& rack);

// What going from `before` to `after` (both effective policies) widens at the places sensitive in either.
[[nodiscard]] Widening access_widening(const SiteDefinition& before, const SiteDefinition& after);

// What an operator action would widen if applied now: applied to a copy of the engine; nothing changes.
// Approving a just-in-time request and a supervisor override are never held: each already is the second
// person's decision. Without a site definition there is nothing to compare and nothing is held.
[[nodiscard]] Widening widening_of(const Engine& engine, const OperatorAction& action, Timestamp now,
                                   const Actor& who);
// What loading `definition` (with the admin edits in force laid over it, as Engine::load_site does) would
// widen. Nothing is held when no site was loaded before: the first site defines the facility.
[[nodiscard]] Widening widening_of_site_load(const Engine& engine, const SiteDefinition& definition);

}  // namespace portcullis::core
