#include "two_person_rule.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "access_check.hpp"
#include "portcullis/core/antipassback/presence.hpp"

namespace portcullis::core::detail {
namespace {

const TwoPersonRuleDef& rule_of(const SiteModel& model, const Passage& passage) {
  return passage.rack ? model.rack_two_person_rule(passage.target)
                      : model.zone_two_person_rule(passage.destination);
}

bool in_group(const SiteModel& model, const PersonId& person, const GroupId& group) {
  const Index p = model.person_index(person);
  const Index g = model.group_index(group);
  if (p == kNoIndex || g == kNoIndex) return false;
  const auto& groups = model.person(p).groups;
  return std::binary_search(groups.begin(), groups.end(), g);
}

std::string place_of(const Decision& d) {
  return d.rack.empty() ? d.portal.str() : d.rack.str();
}

Alarm fraud_alarm(const Decision& d) {
  return {"two_person_fraud", Severity::Critical, d.person.str(),
          d.person.str() + " presented a second credential of their own at " + place_of(d) +
              " while waiting for a second person",
          false};
}

// The first person as the policy sees them now. Indexes are resolved again: an admin edit may have moved or
// removed them since the attempt started.
Decision first_again(const SiteModel& model, const EngineState& state, const Passage& passage,
                     const TwoPersonAttempt& tp, Timestamp now) {
  PendingAttempt a = tp.first_attempt;
  Decision refused = tp.first;
  refused.verdict = Verdict::Deny;
  a.person_index = model.person_index(a.person);
  if (a.person_index == kNoIndex) {
    refused.reason = Reason::PersonRevoked;
    return refused;
  }
  a.card_index = a.card.empty() ? kNoIndex : model.credential_index(a.card);
  a.biometric_index = a.biometric.empty() ? kNoIndex : model.credential_index(a.biometric);
  if ((!a.card.empty() && a.card_index == kNoIndex) ||
      (!a.biometric.empty() && a.biometric_index == kNoIndex)) {
    refused.reason = Reason::CredentialRevoked;
    return refused;
  }
  bool needs_two = false;
  Decision d = evaluate_attempt(model, state, passage, a, now, needs_two);
  if (d.verdict == Verdict::Grant) return tp.first;
  d.verdict = Verdict::Deny;  // a factor no longer enough is a refusal, not a new prompt
  return d;
}

}  // namespace

std::optional<Outcome> same_person_twice(const SiteModel& model, EngineState& state, const Passage& passage,
                                         Index person, const CredentialId& presented, Timestamp now) {
  auto it = state.two_person.find(attempt_key(passage));
  if (it == state.two_person.end() || it->second.expired || now >= it->second.deadline) return std::nullopt;
  const TwoPersonAttempt& tp = it->second;
  if (tp.first.person != model.person(person).id) return std::nullopt;
  Outcome out;
  out.decision = tp.first;
  out.decision->verdict = Verdict::Deny;
  out.decision->reason = Reason::SamePersonTwice;
  out.decision->credential = CredentialId{};
  out.decision->needed.reset();
  // The same badge again is impatience; another credential of the same person is an attempt to be two.
  if (presented != tp.first_attempt.card && presented != tp.first_attempt.biometric)
    out.alarms.push_back(fraud_alarm(*out.decision));
  return out;
}

bool pair_exit_needed(const SiteModel& model, const EngineState& state, const Passage& passage,
                      const PersonId& person) {
  if (passage.rack || model.settings().lone_person_policy != LonePersonPolicy::DenyExit) return false;
  if (model.zone(passage.source).def.min_occupancy < 2) return false;
  const ZoneId& zone = model.zone(passage.source).def.id;
  auto occ = state.occupancy.find(zone);
  if (occ == state.occupancy.end() || occ->second != 2) return false;
  auto where = state.presence.find(person);
  return where != state.presence.end() && where->second.zone == zone;
}

Outcome two_person_step(const SiteModel& model, EngineState& state, const Passage& passage, Decision d,
                        const PendingAttempt& attempt, bool exit, Timestamp now) {
  Outcome out;
  const PersonId person = d.person;
  const std::uint64_t key = attempt_key(passage);
  const TwoPersonRuleDef& rule = rule_of(model, passage);
  auto deny = [&](Reason r) {
    d.verdict = Verdict::Deny;
    d.reason = r;
    out.decision = d;
    return out;
  };
  if (auto it = state.two_person.find(key); it != state.two_person.end()) {
    TwoPersonAttempt& tp = it->second;
    if (!tp.expired && now < tp.deadline) {
      if (tp.first.person == person) {
        if (d.credential != tp.first.credential) out.alarms.push_back(fraud_alarm(d));
        return deny(Reason::SamePersonTwice);
      }
      if (exit) {
        auto where = state.presence.find(person);
        if (where == state.presence.end() || where->second.zone != model.zone(passage.source).def.id) {
          return deny(Reason::SecondPersonPending);  // the second of a pair exit must be inside too
        }
      }
      const Decision first = first_again(model, state, passage, tp, now);
      if (first.verdict == Verdict::Grant) {
        std::vector<Alarm> soft;
        if (auto refused = passage_checks(model, state, passage, person, now, out.alarms, soft))
          return deny(*refused);
        out.alarms.insert(out.alarms.end(), soft.begin(), soft.end());
        state.two_person.erase(it);
        commit_access(model, state, passage, first.person, now);
        commit_access(model, state, passage, person, now);
        out.first_person = first;
        out.decision = d;
        return out;
      }
      // The first person is no longer allowed: they do not pass, and this person becomes the first.
      out.first_person = first;
      state.two_person.erase(it);
    } else {
      const bool late =
          tp.expired && now < tp.deadline + (tp.deadline - tp.started) && tp.first.person != person;
      state.two_person.erase(it);
      if (late) return deny(Reason::WindowExpired);
    }
  }
  if (!exit && rule.mode == TwoPersonMode::Ordered && !in_group(model, person, rule.first_group)) {
    return deny(Reason::TwoPersonOrder);
  }
  if (!passage.rack) {
    const Index governing = passage.egress ? passage.source : passage.destination;
    const ApbCheck apb = check_anti_passback(model, state, person, passage.source, governing, now);
    if (apb.violation && (apb.mode == ApbMode::Hard || apb.mode == ApbMode::Timed))
      return deny(Reason::AntiPassback);
    if (apb.violation) {
      out.alarms.push_back({"anti_passback_violation", Severity::Low, person.str(),
                            "at " + model.portal(passage.target).def.id.str() + " while recorded elsewhere",
                            false});
    }
  }
  TwoPersonAttempt tp;
  tp.first = d;
  tp.first_attempt = attempt;
  tp.started = now;
  tp.deadline = now + std::chrono::seconds{rule.window_s};
  tp.exit = exit;
  state.two_person[key] = tp;
  d.verdict = Verdict::Pending;
  d.reason = Reason::SecondPersonPending;
  d.needed = Factor::SecondPerson;
  out.decision = d;
  return out;
}

}  // namespace portcullis::core::detail
