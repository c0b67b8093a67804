#include <algorithm>
#include <type_traits>

#include "portcullis/core/engine.hpp"

namespace portcullis::core {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};

Outcome answer(Reason reason, PersonId person = {}, ZoneId zone = {}) {
  Decision d;
  d.verdict = reason == Reason::Applied ? Verdict::Grant : Verdict::Deny;
  d.reason = reason;
  d.person = std::move(person);
  d.destination = std::move(zone);
  return Outcome{std::move(d), {}, std::nullopt, {}};
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
    state_.presence.erase(a.person);
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

 private:
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

Outcome Engine::apply(const OperatorAction& action, Timestamp now, const Actor& who) {
  OperatorActions actions{*model_, state_, now, who};
  return std::visit(actions, action);
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
                    },
                    action);
}

}  // namespace portcullis::core
