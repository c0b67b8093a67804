#include <algorithm>
#include <type_traits>
#include "portcullis/core/overloaded.hpp"

#include "portcullis/core/engine.hpp"
#include "request_retention.hpp"
#include "supervision.hpp"

namespace portcullis::core {
namespace {

Outcome answer(Reason reason, PersonId person = {}, ZoneId zone = {}) {
  Decision d;
  d.verdict = reason == Reason::Applied ? Verdict::Grant : Verdict::Deny;
  d.reason = reason;
  d.person = std::move(person);
  d.destination = std::move(zone);
  Outcome out;
  out.decision = std::move(d);
  return out;
}

class OperatorActions {
 public:
  OperatorActions(const SiteModel& model, EngineState& state, Timestamp now, const Actor& who)
      : model_(model), state_(state), now_(now), who_(who) {}

  Outcome operator()(const RevokePerson& a) { return set_person(a.person, true); }
  Outcome operator()(const RestorePerson& a) { return set_person(a.person, false); }
  Outcome operator()(const RevokeCredential& a) { return set_credential(a.credential, true); }
  Outcome operator()(const RestoreCredential& a) { return set_credential(a.credential, false); }
  Outcome operator()(const RevokeGrant& a) { return set_grant(a.grant, true); }
  Outcome operator()(const RestoreGrant& a) { return set_grant(a.grant, false); }

  Outcome operator()(const AddGrant& a) {
    const GrantDef& g = a.grant;
    if (g.id.empty() || grant_exists(g.id)) return answer(Reason::DuplicateId);
    if (g.person.empty() == g.group.empty()) return answer(Reason::UnknownSubject);
    if (!g.person.empty() && model_.person_index(g.person) == kNoIndex) return answer(Reason::UnknownSubject);
    if (!g.group.empty() && model_.group_index(g.group) == kNoIndex) return answer(Reason::UnknownSubject);
    if (g.zones.empty() && g.racks.empty()) return answer(Reason::UnknownSubject);
    const bool zones_known = std::all_of(g.zones.begin(), g.zones.end(),
                                         [&](const ZoneId& z) { return model_.zone_index(z) != kNoIndex; });
    const bool racks_known = std::all_of(g.racks.begin(), g.racks.end(),
                                         [&](const RackId& r) { return model_.rack_index(r) != kNoIndex; });
    const bool schedule_known = g.schedule.empty() || model_.schedule_index(g.schedule) != kNoIndex;
    if (!zones_known || !racks_known || !schedule_known) return answer(Reason::UnknownSubject);
    state_.added_grants.emplace(g.id, g);
    return answer(Reason::Applied, g.person);
  }

  Outcome operator()(const RemoveGrant& a) {
    if (state_.added_grants.erase(a.grant) > 0) return answer(Reason::Applied);
    if (model_.grant_index(a.grant) == kNoIndex || state_.removed_grants.contains(a.grant)) {
      return answer(Reason::UnknownSubject);
    }
    state_.removed_grants.insert(a.grant);
    return answer(Reason::Applied);
  }

  Outcome operator()(const RequestJitGrant& a) {
    detail::forget_finished_jit_requests(model_, state_, now_);
    if (a.request_id.empty() || state_.jit_requests.contains(a.request_id))
      return answer(Reason::DuplicateId);
    if (model_.person_index(a.person) == kNoIndex || model_.zone_index(a.zone) == kNoIndex) {
      return answer(Reason::UnknownSubject, a.person, a.zone);
    }
    if (a.duration <= Duration::zero() ||
        a.duration > std::chrono::seconds{model_.settings().jit_max_duration_s}) {
      return answer(Reason::DurationTooLong, a.person, a.zone);
    }
    state_.jit_requests.emplace(
        a.request_id, JitRequest{who_.id, who_.person, a.person, a.zone, a.reason, a.duration, now_, false});
    return answer(Reason::Applied, a.person, a.zone);
  }

  Outcome operator()(const ApproveJitGrant& a) {
    auto it = state_.jit_requests.find(a.request_id);
    if (it == state_.jit_requests.end()) return answer(Reason::UnknownSubject);
    JitRequest& request = it->second;
    if (request.approved) return answer(Reason::DuplicateId, request.person, request.zone);
    if (!who_.may_approve) return answer(Reason::ApproverRoleRequired, request.person, request.zone);
    const bool self = who_.id == request.requested_by ||
                      (!who_.person.empty() &&
                       (who_.person == request.person || who_.person == request.requested_by_person));
    if (self) return answer(Reason::SelfApproval, request.person, request.zone);
    if (now_ - request.requested_at > std::chrono::seconds{model_.settings().jit_request_ttl_s}) {
      return answer(Reason::RequestExpired, request.person, request.zone);
    }
    request.approved = true;
    GrantDef grant;
    grant.id = GrantId{"jit:" + a.request_id};
    grant.person = request.person;
    grant.zones = {request.zone};
    grant.valid_from = now_;
    grant.valid_until = now_ + request.duration;  // ends by itself
    state_.added_grants.insert_or_assign(grant.id, grant);
    return answer(Reason::Applied, request.person, request.zone);
  }

  Outcome operator()(const ForgivePresence& a) {
    if (model_.person_index(a.person) == kNoIndex) return answer(Reason::UnknownSubject, a.person);
    detail::set_presence(state_, a.person, std::nullopt);
    return answer(Reason::Applied, a.person);
  }

  Outcome operator()(const SetLockdown& a) {
    if (!a.zone.empty() && model_.zone_index(a.zone) == kNoIndex)
      return answer(Reason::UnknownSubject, {}, a.zone);
    if (a.zone.empty()) {
      state_.site_lockdown = true;
    } else {
      state_.lockdowns.insert(a.zone);
    }
    Outcome out = answer(Reason::Applied, {}, a.zone);
    out.alarms.push_back({"lockdown", Severity::High, a.zone.empty() ? std::string{"site"} : a.zone.str(),
                          "set by " + who_.id.str() + ": " + a.reason, false});
    return out;
  }

  Outcome operator()(const ClearLockdown& a) {
    if (a.zone.empty()) {
      state_.site_lockdown = false;
    } else if (state_.lockdowns.erase(a.zone) == 0) {
      return answer(Reason::UnknownSubject, {}, a.zone);
    }
    return answer(Reason::Applied, {}, a.zone);
  }

  Outcome operator()(const ClearFire& a) {
    if (!state_.fires.contains(a.zone)) return answer(Reason::UnknownSubject, {}, a.zone);
    auto it = state_.fire_clear_requests.find(a.request_id);
    // A confirmation never starts a request of its own, and a new request never reuses an id.
    if (a.confirm && it == state_.fire_clear_requests.end())
      return answer(Reason::UnknownSubject, {}, a.zone);
    if (!a.confirm && it != state_.fire_clear_requests.end()) return answer(Reason::DuplicateId, {}, a.zone);
    if (it == state_.fire_clear_requests.end()) {
      if (a.request_id.empty()) return answer(Reason::InvalidValue, {}, a.zone);
      detail::forget_lapsed_fire_clear_requests(state_, now_);
      if (!who_.may_approve) return answer(Reason::ApproverRoleRequired, {}, a.zone);
      state_.fire_clear_requests[a.request_id] = FireClearRequest{who_.id, who_.person, a.zone, now_};
      Outcome out = answer(Reason::Applied, {}, a.zone);
      out.alarms.push_back({"fire_clear_requested", Severity::High, place(a.zone),
                            who_.id.str() + " asks to clear the fire state: " + a.reason, false});
      return out;
    }
    const FireClearRequest request = it->second;
    if (request.zone != a.zone) return answer(Reason::DuplicateId, {}, a.zone);
    const bool self = who_.id == request.requested_by ||
                      (!who_.person.empty() && who_.person == request.requested_by_person);
    if (self) return answer(Reason::SelfApproval, {}, a.zone);
    state_.fire_clear_requests.erase(it);
    if (now_ - request.requested_at > kFireClearTtl) return answer(Reason::RequestExpired, {}, a.zone);
    state_.fires.erase(a.zone);
    Outcome out = answer(Reason::Applied, {}, a.zone);
    out.alarms.push_back(
        {"fire_cleared", Severity::High, place(a.zone),
         "cleared by " + request.requested_by.str() + " and " + who_.id.str() + ": " + a.reason, false});
    return out;
  }

  // Decided by Engine::apply_admin (it needs the site definition); never reaches this visitor.
  Outcome operator()(const AdminChange&) { return answer(Reason::DecisionUnavailable); }

  Outcome operator()(const SetThreatLevel& a) {
    if (!a.zone.empty() && model_.zone_index(a.zone) == kNoIndex)
      return answer(Reason::UnknownSubject, {}, a.zone);
    if (a.level < 0 || a.level > 9) return answer(Reason::UnknownSubject, {}, a.zone);
    Outcome out = answer(Reason::Applied, {}, a.zone);
    if (a.level == 0) {
      state_.threat_levels.erase(a.zone);
      return out;
    }
    state_.threat_levels[a.zone] = a.level;
    out.alarms.push_back({"threat_level", Severity::High, a.zone.empty() ? std::string{"site"} : a.zone.str(),
                          "level " + std::to_string(a.level) + " set by " + who_.id.str() + ": " + a.reason,
                          false});
    return out;
  }

  Outcome operator()(const SupervisorOverride& a) {
    const Index person = model_.person_index(a.person);
    const Index portal = a.portal.empty() ? kNoIndex : model_.portal_index(a.portal);
    const Index rack = a.rack.empty() ? kNoIndex : model_.rack_index(a.rack);
    if (person == kNoIndex || (portal == kNoIndex) == (rack == kNoIndex))
      return answer(Reason::UnknownSubject, a.person);
    Decision d;
    d.verdict = Verdict::Deny;
    d.person = a.person;
    if (portal != kNoIndex) {
      d.portal = a.portal;
      d.destination = model_.portal(portal).def.to;
    } else {
      d.rack = a.rack;
      d.destination = model_.rack(rack).def.zone;
    }
    Outcome out;
    auto refuse = [&](Reason r) {
      d.reason = r;
      out.decision = d;
      return out;
    };
    if (!who_.may_approve) return refuse(Reason::ApproverRoleRequired);
    if (!who_.person.empty() && who_.person == a.person) return refuse(Reason::SelfApproval);
    bool revoked = model_.person(person).revoked;
    if (auto it = state_.person_revoked.find(a.person); it != state_.person_revoked.end())
      revoked = it->second;
    if (revoked) return refuse(Reason::PersonRevoked);
    std::string confirmed_by;
    detail::forget_lapsed_overrides(state_, now_);
    if (needs_second_operator(portal, rack)) {
      // One supervisor alone must not put one person into a two-person place or through a lockdown: the
      // same override from a second operator, another person, within the window completes it.
      const std::string key = a.person.str() + "|" + (portal != kNoIndex ? a.portal.str() : a.rack.str());
      auto pending = state_.pending_overrides.find(key);
      if (pending != state_.pending_overrides.end() && now_ - pending->second.at > kOverrideConfirmWindow)
        pending = state_.pending_overrides.erase(pending);
      if (pending == state_.pending_overrides.end() || pending->second.by == who_.id) {
        state_.pending_overrides.insert_or_assign(key, PendingOverride{who_.id, who_.person, now_});
        d.verdict = Verdict::Pending;
        d.reason = Reason::SecondOperatorRequired;
        out.decision = d;
        return out;
      }
      const PendingOverride& first = pending->second;
      const bool same_person =
          who_.person.empty() || first.by_person.empty() || first.by_person == who_.person;
      if (same_person) return refuse(Reason::SelfApproval);
      if (first.by_person == a.person) return refuse(Reason::SelfApproval);
      confirmed_by = first.by.str();
      state_.pending_overrides.erase(pending);
    }
    if (portal != kNoIndex) {
      const PortalNode& p = model_.portal(portal);
      // An override is an entry: a fire does not lift the interlock for it.
      if (auto busy =
              detail::mantrap_check(model_, state_, portal, p.from, false, a.person, now_, out.alarms))
        return refuse(*busy);
      detail::commit_passage(model_, state_, portal, p.to, a.person, now_);
    } else {
      detail::release_rack_door(model_, state_, rack, a.person, now_);
    }
    d.verdict = Verdict::Grant;
    d.reason = Reason::SupervisorOverride;
    out.decision = d;
    out.alarms.push_back({"supervisor_override", Severity::Medium,
                          a.portal.empty() ? a.rack.str() : a.portal.str(),
                          (confirmed_by.empty() ? who_.id.str() : confirmed_by + " and " + who_.id.str()) +
                              " let " + a.person.str() + " through alone: " + a.reason,
                          false});
    return out;
  }

 private:
  bool locked_down(Index zone) const {
    if (state_.site_lockdown) return true;
    return std::any_of(state_.lockdowns.begin(), state_.lockdowns.end(), [&](const ZoneId& id) {
      const Index locked = model_.zone_index(id);
      return locked != kNoIndex && model_.is_within(zone, locked);
    });
  }
  bool two_person_zone(Index zone) const {
    const ZoneDef& def = model_.zone(zone).def;
    const TierNode* tier = model_.tier(def.tier);
    return def.min_occupancy >= 2 || (tier != nullptr && tier->def.two_person);
  }
  // An override into a two-person place (a zone, a two-person rack) or into a locked-down zone.
  bool needs_second_operator(Index portal, Index rack) const {
    if (portal != kNoIndex) {
      const Index to = model_.portal(portal).to;
      return two_person_zone(to) || locked_down(to);
    }
    const RackNode& r = model_.rack(rack);
    const TierNode* tier = model_.tier(r.def.tier);
    return r.def.two_person || (tier != nullptr && tier->def.two_person) || two_person_zone(r.zone) ||
           locked_down(r.zone);
  }
  static std::string place(const ZoneId& zone) { return zone.empty() ? std::string{"site"} : zone.str(); }

  bool grant_exists(const GrantId& id) const {
    return state_.added_grants.contains(id) ||
           (model_.grant_index(id) != kNoIndex && !state_.removed_grants.contains(id));
  }

  Outcome set_person(const PersonId& person, bool revoked) {
    if (model_.person_index(person) == kNoIndex) return answer(Reason::UnknownSubject, person);
    state_.person_revoked[person] = revoked;
    return answer(Reason::Applied, person);
  }

  Outcome set_credential(const CredentialId& credential, bool revoked) {
    const Index c = model_.credential_index(credential);
    if (c == kNoIndex) return answer(Reason::UnknownSubject);
    state_.credential_revoked[credential] = revoked;
    if (!revoked) {
      state_.locked_credentials.erase(credential);
      state_.pin_failures.erase(credential);
    }
    Outcome out = answer(Reason::Applied, model_.person(model_.credential(c).person).id);
    out.decision->credential = credential;
    return out;
  }

  Outcome set_grant(const GrantId& grant, bool revoked) {
    if (!grant_exists(grant)) return answer(Reason::UnknownSubject);
    state_.grant_revoked[grant] = revoked;
    return answer(Reason::Applied);
  }

  const SiteModel& model_;
  EngineState& state_;
  Timestamp now_;
  const Actor& who_;
};

}  // namespace

namespace {
template <class Action>
Outcome apply_action(const SiteModel& model, EngineState& state, const Action& action, Timestamp now,
                     const Actor& who) {
  std::vector<Alarm> due;
  detail::run_deadlines(model, state, now, due);
  OperatorActions actions{model, state, now, who};
  Outcome out;
  if constexpr (std::is_same_v<Action, OperatorAction>) {
    out = std::visit(actions, action);
  } else {
    out = actions(action);
  }
  detail::after_input(model, state, now);
  out.alarms.insert(out.alarms.begin(), due.begin(), due.end());
  return out;
}
}  // namespace

Outcome Engine::apply(const OperatorAction& action, Timestamp now, const Actor& who) {
  if (const auto* change = std::get_if<AdminChange>(&action)) return apply_admin(*change, now, who);
  return apply_action(*model_, state_, action, now, who);
}

const char* type_name(const OperatorAction& action) noexcept {
  return std::visit(Overloaded{
                        [](const RevokePerson&) { return "revoke_person"; },
                        [](const RestorePerson&) { return "restore_person"; },
                        [](const RevokeCredential&) { return "revoke_credential"; },
                        [](const RestoreCredential&) { return "restore_credential"; },
                        [](const RevokeGrant&) { return "revoke_grant"; },
                        [](const RestoreGrant&) { return "restore_grant"; },
                        [](const AddGrant&) { return "add_grant"; },
                        [](const RemoveGrant&) { return "remove_grant"; },
                        [](const RequestJitGrant&) { return "request_jit_grant"; },
                        [](const ApproveJitGrant&) { return "approve_jit_grant"; },
                        [](const ForgivePresence&) { return "forgive_presence"; },
                        [](const SetLockdown&) { return "set_lockdown"; },
                        [](const ClearLockdown&) { return "clear_lockdown"; },
                        [](const SetThreatLevel&) { return "set_threat_level"; },
                        [](const SupervisorOverride&) { return "supervisor_override"; },
                        [](const ClearFire&) { return "clear_fire"; },
                        [](const AdminChange& a) { return type_name(a.edit); },
                    },
                    action);
}

}  // namespace portcullis::core
