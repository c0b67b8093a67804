#include "access_check.hpp"

#include <algorithm>
#include <bit>

#include "portcullis/core/calendar/schedule.hpp"
#include "supervision.hpp"

namespace portcullis::core::detail {
namespace {

// How close a covering allow grant came to granting: a higher rank is the more useful reason to report.
enum class GrantMiss { None = 0, Revoked = 1, Expired = 2, NotYetValid = 3, OutsideSchedule = 4, Active = 5 };

Reason reason_of(GrantMiss miss) {
  switch (miss) {
    case GrantMiss::Revoked: return Reason::GrantRevoked;
    case GrantMiss::Expired: return Reason::GrantExpired;
    case GrantMiss::NotYetValid: return Reason::GrantNotYetValid;
    case GrantMiss::OutsideSchedule: return Reason::OutsideSchedule;
    case GrantMiss::None:
    case GrantMiss::Active: break;
  }
  return Reason::NoGrant;
}

class GrantScan {
 public:
  GrantScan(const SiteModel& model, const EngineState& state, const Passage& passage, Timestamp now)
      : model_(model), state_(state), passage_(passage), now_(now) {}

  void scan(Index person_index) {
    const PersonNode& person = model_.person(person_index);
    const Index wanted = passage_.rack ? (kRackTargetBit | passage_.target) : passage_.destination;
    scan_coverage(person.coverage, wanted);
    for (Index group : person.groups) scan_coverage(model_.group(group).coverage, wanted);
    for (const auto& [id, grant] : state_.added_grants) consider_added_grant(grant, person);
  }

  bool explicit_deny = false;
  GrantMiss best = GrantMiss::None;

 private:
  void scan_coverage(const std::vector<Coverage>& coverage, Index wanted) {
    auto it = std::lower_bound(coverage.begin(), coverage.end(), Coverage{wanted, 0});
    for (; it != coverage.end() && it->target == wanted; ++it) consider_model_grant(it->grant);
  }

  bool revoked(const GrantId& id, bool model_flag) const {
    if (state_.grant_revoked.empty()) return model_flag;
    auto it = state_.grant_revoked.find(id);
    return it == state_.grant_revoked.end() ? model_flag : it->second;
  }

  GrantMiss state_of(const GrantId& id, bool model_flag, const std::optional<Timestamp>& from,
                     const std::optional<Timestamp>& until, Index schedule, bool unknown_schedule) {
    if (revoked(id, model_flag)) return GrantMiss::Revoked;
    if (from && now_ < *from) return GrantMiss::NotYetValid;
    if (until && now_ >= *until) return GrantMiss::Expired;
    if (unknown_schedule) return GrantMiss::OutsideSchedule;
    if (schedule != kNoIndex) {
      if (!local_) local_ = to_local(model_.settings().time_zone, now_);
      if (!schedule_open(model_.schedule(schedule), model_.holidays(), *local_))
        return GrantMiss::OutsideSchedule;
    }
    return GrantMiss::Active;
  }

  void record(GrantEffect effect, GrantMiss miss) {
    if (effect == GrantEffect::Deny) {
      explicit_deny = explicit_deny || miss == GrantMiss::Active;
    } else {
      best = std::max(best, miss);
    }
  }

  // Called only for grants whose coverage includes the passage's target.
  void consider_model_grant(Index g) {
    const GrantNode& grant = model_.grant(g);
    if (!state_.removed_grants.empty() && state_.removed_grants.contains(grant.id)) return;
    record(grant.effect,
           state_of(grant.id, grant.revoked, grant.valid_from, grant.valid_until, grant.schedule, false));
  }

  bool covers(const GrantDef& grant) const {
    const bool subtree = grant.include_subzones || grant.effect == GrantEffect::Deny;
    if (passage_.rack) {
      const RackId& rack = model_.rack(passage_.target).def.id;
      if (std::find(grant.racks.begin(), grant.racks.end(), rack) != grant.racks.end()) return true;
      if (grant.effect != GrantEffect::Deny) return false;
    }
    const Index wanted = passage_.destination;
    return std::any_of(grant.zones.begin(), grant.zones.end(), [&](const ZoneId& id) {
      const Index z = model_.zone_index(id);
      if (z == kNoIndex) return false;
      return z == wanted || (subtree && model_.is_within(wanted, z));
    });
  }

  void consider_added_grant(const GrantDef& grant, const PersonNode& person) {
    if (!grant.person.empty()) {
      if (grant.person != person.id) return;
    } else {
      const Index group = model_.group_index(grant.group);
      if (group == kNoIndex || !std::binary_search(person.groups.begin(), person.groups.end(), group)) return;
    }
    if (!covers(grant)) return;
    const Index schedule = grant.schedule.empty() ? kNoIndex : model_.schedule_index(grant.schedule);
    const bool unknown_schedule = !grant.schedule.empty() && schedule == kNoIndex;  // fail secure
    record(grant.effect, state_of(grant.id, grant.revoked, grant.valid_from, grant.valid_until, schedule,
                                  unknown_schedule));
  }

  const SiteModel& model_;
  const EngineState& state_;
  const Passage& passage_;
  Timestamp now_;
  std::optional<LocalTime> local_;
};

bool locked_down(const SiteModel& model, const EngineState& state, Index zone) {
  if (state.site_lockdown) return true;
  for (const ZoneId& id : state.lockdowns) {
    const Index locked = model.zone_index(id);
    if (locked != kNoIndex && model.is_within(zone, locked)) return true;
  }
  return false;
}

// The factor to ask for next: from the acceptable set missing the fewest factors (the first such set).
Factor next_factor(const TierNode& tier, FactorMask presented) {
  FactorMask best_missing = 0xFF;
  int best_count = 99;
  for (FactorMask set : tier.any_of) {
    const auto missing = static_cast<FactorMask>(set & ~presented);
    const int count = std::popcount(static_cast<unsigned>(missing));
    if (count < best_count) {
      best_count = count;
      best_missing = missing;
    }
  }
  for (Factor f : {Factor::Badge, Factor::Pin, Factor::Biometric}) {
    if ((best_missing & factor_bit(f)) != 0) return f;
  }
  return Factor::Badge;
}

// An operator's revoke (true) or restore (false) of the id, if any.
template <class Map, class Id>
std::optional<bool> revoked_override(const Map& overrides, const Id& id) {
  if (overrides.empty()) return std::nullopt;
  auto it = overrides.find(id);
  if (it == overrides.end()) return std::nullopt;
  return it->second;
}

}  // namespace

bool person_revoked(const SiteModel& model, const EngineState& state, const PersonId& person) {
  if (state.person_revoked.empty()) {
    const Index p = model.person_index(person);
    return p == kNoIndex || model.person(p).revoked;
  }
  if (auto it = state.person_revoked.find(person); it != state.person_revoked.end()) return it->second;
  const Index p = model.person_index(person);
  return p == kNoIndex || model.person(p).revoked;
}

bool credential_revoked(const SiteModel& model, const EngineState& state, const CredentialId& credential) {
  if (state.credential_revoked.empty()) {
    const Index c = model.credential_index(credential);
    return c == kNoIndex || model.credential(c).revoked;
  }
  if (auto it = state.credential_revoked.find(credential); it != state.credential_revoked.end())
    return it->second;
  const Index c = model.credential_index(credential);
  return c == kNoIndex || model.credential(c).revoked;
}

Decision evaluate_attempt(const SiteModel& model, const EngineState& state, const Passage& passage,
                          const PendingAttempt& attempt, Timestamp now, bool& two_person) {
  two_person = false;
  Decision d;
  d.verdict = Verdict::Deny;
  d.person = attempt.person;
  d.credential = attempt.card.empty() ? attempt.biometric : attempt.card;
  if (passage.rack) {
    d.rack = model.rack(passage.target).def.id;
  } else {
    d.portal = model.portal(passage.target).def.id;
  }
  d.destination = model.zone(passage.destination).def.id;

  auto deny = [&](Reason r) {
    d.reason = r;
    return d;
  };
  for (const auto& [id, index] : {std::pair{&attempt.card, attempt.card_index},
                                  std::pair{&attempt.biometric, attempt.biometric_index}}) {
    if (id->empty()) continue;
    if (revoked_override(state.credential_revoked, *id).value_or(model.credential(index).revoked)) {
      return deny(Reason::CredentialRevoked);
    }
    if (!state.locked_credentials.empty() && state.locked_credentials.contains(*id))
      return deny(Reason::CredentialLocked);
  }
  const Index person = attempt.person_index;
  if (revoked_override(state.person_revoked, attempt.person).value_or(model.person(person).revoked)) {
    return deny(Reason::PersonRevoked);
  }

  if (!passage.egress) {
    if (locked_down(model, state, passage.destination)) return deny(Reason::Lockdown);
    const int level = state.threat_levels.empty() ? 0 : threat_level(model, state, passage.destination);
    const TierNode* tier = model.tier(model.raised_tier(passage.tier, level));
    if (tier == nullptr) return deny(Reason::DecisionUnavailable);

    GrantScan grants{model, state, passage, now};
    grants.scan(person);
    if (grants.explicit_deny) return deny(Reason::ExplicitDeny);

    if (tier->def.clearance_required) {
      const ClearanceDef& clearance = model.person(person).clearance;
      if (clearance.status != ClearanceStatus::Cleared) return deny(Reason::ClearanceMissing);
      if (clearance.expires && now >= *clearance.expires) return deny(Reason::ClearanceExpired);
    }
    if (grants.best != GrantMiss::Active) return deny(reason_of(grants.best));

    const bool satisfied = std::any_of(tier->any_of.begin(), tier->any_of.end(),
                                       [&](FactorMask set) { return (set & attempt.factors) == set; });
    if (!satisfied) {
      d.verdict = Verdict::Pending;
      d.reason = Reason::MissingFactor;
      d.needed = next_factor(*tier, attempt.factors);
      return d;
    }
    two_person = tier->def.two_person || model.zone(passage.destination).def.min_occupancy >= 2 ||
                 (passage.rack && model.rack(passage.target).def.two_person);
  }
  d.verdict = Verdict::Grant;
  d.reason = Reason::Granted;
  return d;
}

}  // namespace portcullis::core::detail
