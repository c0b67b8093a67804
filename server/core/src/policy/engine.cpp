#include "portcullis/core/engine.hpp"

#include <algorithm>
#include <type_traits>

#include "access_check.hpp"
#include "passage.hpp"
#include "portcullis/core/antipassback/presence.hpp"
#include "supervision.hpp"

namespace portcullis::core {
namespace {

// Device events that carry an access request.
class AccessRequests {
 public:
  AccessRequests(const SiteModel& model, const PinVerifier* pins, EngineState& state, const DeviceId& device,
                 Timestamp now)
      : model_(model), pins_(pins), state_(state), device_(device), now_(now) {}

  Outcome card(const CardPresented& event) {
    const Index reader = model_.reader_index(event.reader);
    if (reader == kNoIndex) return unknown_reader();
    if (!served_by_device(reader)) return reader_not_on_device(reader);
    if ((model_.reader(reader).def.reads & kReadsBadge) == 0) return cannot_read(reader, "badge");
    const detail::Passage passage = detail::passage_of(model_, reader);
    const Index credential = model_.card_credential(event.card.facility, event.card.number);
    if (fire_egress(passage)) return fire_release(passage, credential);
    if (credential == kNoIndex) return unknown_credential(passage);
    const CredentialNode& cred = model_.credential(credential);
    if (auto twice = same_person_twice(passage, cred.person)) return *twice;
    PendingAttempt& attempt =
        join_attempt(passage, cred.person, [](const PendingAttempt& a) { return a.card.empty(); });
    attempt.card = cred.id;
    attempt.card_index = credential;
    attempt.factors = static_cast<FactorMask>(attempt.factors | factor_bit(Factor::Badge));
    return finish(passage);
  }

  Outcome biometric(const BiometricMatch& event) {
    const Index reader = model_.reader_index(event.reader);
    if (reader == kNoIndex) return unknown_reader();
    if (!served_by_device(reader)) return reader_not_on_device(reader);
    if ((model_.reader(reader).def.reads & kReadsBiometric) == 0) return cannot_read(reader, "biometric");
    const detail::Passage passage = detail::passage_of(model_, reader);
    if (!event.matched && fire_egress(passage)) return fire_release(passage, kNoIndex);
    if (!event.matched) {
      // The attempt stays open: the person may try the finger again within the window.
      Outcome out;
      out.decision = base_decision(passage);
      out.decision->reason = Reason::BiometricMismatch;
      return out;
    }
    const Index credential = model_.biometric_credential(event.template_id);
    if (fire_egress(passage)) return fire_release(passage, credential);
    if (credential == kNoIndex) return unknown_credential(passage);
    const CredentialNode& cred = model_.credential(credential);
    if (auto twice = same_person_twice(passage, cred.person)) return *twice;
    PendingAttempt& attempt =
        join_attempt(passage, cred.person, [](const PendingAttempt& a) { return a.biometric.empty(); });
    attempt.biometric = cred.id;
    attempt.biometric_index = credential;
    attempt.factors = static_cast<FactorMask>(attempt.factors | factor_bit(Factor::Biometric));
    return finish(passage);
  }

  Outcome pin(const PinEntered& event) {
    const Index reader = model_.reader_index(event.reader);
    if (reader == kNoIndex) return unknown_reader();
    if (!served_by_device(reader)) return reader_not_on_device(reader);
    if ((model_.reader(reader).def.reads & kReadsPin) == 0) return cannot_read(reader, "PIN");
    const detail::Passage passage = detail::passage_of(model_, reader);
    key_ = detail::attempt_key(passage);
    PendingAttempt* attempt = live_attempt();
    if (fire_egress(passage)) {
      return fire_release(
          passage, attempt == nullptr
                       ? kNoIndex
                       : (attempt->card_index != kNoIndex ? attempt->card_index : attempt->biometric_index));
    }
    Outcome out;
    out.decision = base_decision(passage);
    if (attempt == nullptr) {
      // A PIN identifies nobody: it only completes an attempt a badge or a finger started.
      out.decision->reason = Reason::MissingFactor;
      out.decision->needed = Factor::Badge;
      return out;
    }
    out.decision->person = attempt->person;
    out.decision->credential = attempt->card.empty() ? attempt->biometric : attempt->card;
    const Index person = attempt->person_index;
    std::optional<PinVerdict> verdict = event.recorded_verdict;
    if (!verdict) {
      if (pins_ == nullptr) {
        out.decision->reason = Reason::DecisionUnavailable;
        return out;
      }
      verdict = verify(model_.person(person), event.pin);
    }
    out.pin_verdict = verdict;
    out.pin_verified_for = attempt->person;
    const CredentialId counted = out.decision->credential;
    if (*verdict == PinVerdict::Mismatch) {
      const int failures = ++state_.pin_failures[counted];
      out.decision->reason = Reason::WrongPin;
      if (failures >= model_.settings().pin_max_failures) {
        state_.pin_failures.erase(counted);
        state_.locked_credentials.insert(counted);
        state_.attempts.erase(key_);
        out.alarms.push_back({"credential_locked", Severity::High, counted.str(),
                              std::to_string(failures) + " wrong PINs at " + out.decision->portal.str() +
                                  out.decision->rack.str(),
                              false});
      } else {
        out.decision->needed = Factor::Pin;
      }
      return out;
    }
    state_.pin_failures.erase(counted);
    attempt->factors = static_cast<FactorMask>(attempt->factors | factor_bit(Factor::Pin));
    const PersonId who = attempt->person;
    Outcome decided = finish(passage);
    decided.pin_verdict = out.pin_verdict;
    decided.pin_verified_for = out.pin_verified_for;
    if (*verdict == PinVerdict::Duress) {
      // Silent: the door behaves exactly as for the normal PIN; only operators see this alarm.
      decided.alarms.push_back(
          {"duress", Severity::Critical, who.str(),
           "duress PIN at " + decided.decision->portal.str() + decided.decision->rack.str(), true});
    }
    return decided;
  }

 private:
  PinVerdict verify(const PersonNode& person, const std::string& pin) const {
    if (!person.pin_hash.empty() && pins_->verify(person.pin_hash, pin) == PinMatch::Match)
      return PinVerdict::Match;
    if (!person.duress_pin_hash.empty() && pins_->verify(person.duress_pin_hash, pin) == PinMatch::Match) {
      return PinVerdict::Duress;
    }
    return PinVerdict::Mismatch;
  }

  Decision base_decision(const detail::Passage& passage) const {
    Decision d;
    d.verdict = Verdict::Deny;
    if (passage.rack) {
      d.rack = model_.rack(passage.target).def.id;
    } else {
      d.portal = model_.portal(passage.target).def.id;
    }
    d.destination = model_.zone(passage.destination).def.id;
    return d;
  }

  bool served_by_device(Index reader) const {
    if (!model_.settings().bind_readers_to_devices) return true;
    const auto& devices = model_.reader(reader).devices;
    return std::find(devices.begin(), devices.end(), device_) != devices.end();
  }

  // A device reporting a reader it does not serve: misconfiguration or a spoofing attempt. Decided before any
  // credential is looked at, and no attempt state changes.
  Outcome reader_not_on_device(Index reader) const {
    Outcome out;
    out.decision = base_decision(detail::passage_of(model_, reader));
    out.decision->reason = Reason::ReaderNotOnDevice;
    out.alarms.push_back(
        {"reader_device_mismatch", Severity::High, device_.str(),
         "device reported reader " + model_.reader(reader).def.id.str() + " which it does not serve", false});
    return out;
  }

  Outcome cannot_read(Index reader, const char* factor) const {
    Outcome out;
    out.decision = Decision{};
    out.decision->reason = Reason::ReaderCannotRead;
    out.alarms.push_back({"reader_capability_mismatch", Severity::High, device_.str(),
                          std::string("device reported a ") + factor + " from reader " +
                              model_.reader(reader).def.id.str() + ", which cannot read one",
                          false});
    return out;
  }

  static Outcome unknown_reader() {
    Outcome out;
    out.decision = Decision{};
    out.decision->reason = Reason::UnknownReader;
    return out;
  }

  Outcome unknown_credential(const detail::Passage& passage) const {
    Outcome out;
    out.decision = base_decision(passage);
    out.decision->reason = Reason::UnknownCredential;
    return out;
  }

  // The attempt at this portal side that is still inside its window, or null (an expired one is dropped).
  PendingAttempt* live_attempt() {
    auto it = state_.attempts.find(key_);
    if (it == state_.attempts.end()) return nullptr;
    if (now_ - it->second.started >= std::chrono::seconds{model_.settings().factor_window_s}) {
      state_.attempts.erase(it);
      return nullptr;
    }
    return &it->second;
  }

  // Adds to the live attempt of the same person when it lacks this factor; otherwise starts a new attempt.
  template <class Lacks>
  PendingAttempt& join_attempt(const detail::Passage& passage, Index person, Lacks lacks) {
    key_ = detail::attempt_key(passage);
    PendingAttempt* live = live_attempt();
    if (live != nullptr && live->person_index == person && lacks(*live)) return *live;
    PendingAttempt& fresh = state_.attempts[key_];
    fresh = PendingAttempt{};
    fresh.person = model_.person(person).id;
    fresh.person_index = person;
    fresh.started = now_;
    return fresh;
  }

  // Egress through a portal a fire alarm covers: never held locked, whoever asks.
  bool fire_egress(const detail::Passage& passage) const {
    return !state_.fires.empty() && !passage.rack && passage.egress &&
           detail::fire_covers_portal(model_, state_, passage.target);
  }

  Outcome fire_release(const detail::Passage& passage, Index credential) {
    Outcome out;
    out.decision = base_decision(passage);
    out.decision->verdict = Verdict::Grant;
    out.decision->reason = Reason::FireAlarmRelease;
    state_.attempts.erase(detail::attempt_key(passage));
    if (credential != kNoIndex) {
      const CredentialNode& cred = model_.credential(credential);
      out.decision->credential = cred.id;
      out.decision->person = model_.person(cred.person).id;
      detail::commit_passage(model_, state_, passage.target, passage.source, passage.destination,
                             out.decision->person, now_);
    } else {
      DoorState& door = state_.doors[model_.portal(passage.target).def.id];
      door.released_until = std::max(door.released_until,
                                     now_ + std::chrono::seconds{model_.portal(passage.target).def.unlock_s});
    }
    return out;
  }

  // The first person of a pending two-person attempt presenting again: two credentials of one person never
  // count as two persons. The first person keeps waiting.
  std::optional<Outcome> same_person_twice(const detail::Passage& passage, Index person) {
    auto it = state_.two_person.find(detail::attempt_key(passage));
    if (it == state_.two_person.end() || it->second.expired || now_ >= it->second.deadline)
      return std::nullopt;
    if (it->second.first.person != model_.person(person).id) return std::nullopt;
    Outcome out;
    out.decision = base_decision(passage);
    out.decision->person = model_.person(person).id;
    out.decision->reason = Reason::SamePersonTwice;
    return out;
  }

  const TwoPersonRuleDef& rule_of(const detail::Passage& passage) const {
    return passage.rack ? model_.rack_two_person_rule(passage.target)
                        : model_.zone_two_person_rule(passage.destination);
  }

  bool in_group(const PersonId& person, const GroupId& group) const {
    const Index p = model_.person_index(person);
    const Index g = model_.group_index(group);
    if (p == kNoIndex || g == kNoIndex) return false;
    const auto& groups = model_.person(p).groups;
    return std::binary_search(groups.begin(), groups.end(), g);
  }

  // Anti-passback (unless suspended) and the mantrap for one person about to pass: the refusal, or nullopt.
  std::optional<Reason> passage_checks(const detail::Passage& passage, const PersonId& person, bool suspended,
                                       Outcome& out, std::vector<Alarm>& soft_alarms) {
    if (passage.rack) return std::nullopt;
    if (!suspended) {
      const Index governing = passage.egress ? passage.source : passage.destination;
      const ApbCheck apb = check_anti_passback(model_, state_, person, passage.source, governing, now_);
      if (apb.violation && (apb.mode == ApbMode::Hard || apb.mode == ApbMode::Timed))
        return Reason::AntiPassback;
      if (apb.violation) {
        soft_alarms.push_back({"anti_passback_violation", Severity::Low, person.str(),
                               "entered " + model_.zone(passage.destination).def.id.str() + " through " +
                                   model_.portal(passage.target).def.id.str() + " while recorded elsewhere",
                               false});
      }
      if (auto refused = detail::mantrap_check(model_, state_, passage.target, passage.source, passage.egress,
                                               person, now_, out.alarms)) {
        return refused;
      }
    }
    return std::nullopt;
  }

  void commit(const detail::Passage& passage, const PersonId& person) {
    if (passage.rack) {  // rack openings do not move presence; they release the rack's door
      detail::release_rack_door(model_, state_, passage.target, person, now_);
      return;
    }
    detail::commit_passage(model_, state_, passage.target, passage.source, passage.destination, person, now_);
  }

  // Leaving a min-occupancy zone would leave one person alone and the site denies that: two must leave
  // together.
  bool pair_exit_needed(const detail::Passage& passage, const PersonId& person) const {
    if (passage.rack || model_.settings().lone_person_policy != LonePersonPolicy::DenyExit) return false;
    if (model_.zone(passage.source).def.min_occupancy < 2) return false;
    const ZoneId& zone = model_.zone(passage.source).def.id;
    auto occ = state_.occupancy.find(zone);
    if (occ == state_.occupancy.end() || occ->second != 2) return false;
    auto where = state_.presence.find(person);
    return where != state_.presence.end() && where->second.zone == zone;
  }

  // Two-person entry (or a pair exit): the first person waits, the second completes both.
  Outcome two_person(const detail::Passage& passage, Decision d, bool exit) {
    Outcome out;
    const PersonId person = d.person;
    const std::uint64_t key = detail::attempt_key(passage);
    const TwoPersonRuleDef& rule = rule_of(passage);
    auto deny = [&](Reason r) {
      d.verdict = Verdict::Deny;
      d.reason = r;
      out.decision = d;
      return out;
    };
    if (auto it = state_.two_person.find(key); it != state_.two_person.end()) {
      TwoPersonAttempt& tp = it->second;
      if (!tp.expired && now_ < tp.deadline) {
        if (tp.first.person == person) return deny(Reason::SamePersonTwice);
        if (exit) {
          auto where = state_.presence.find(person);
          if (where == state_.presence.end() || where->second.zone != model_.zone(passage.source).def.id) {
            return deny(Reason::SecondPersonPending);  // the second of a pair exit must be inside too
          }
        }
        std::vector<Alarm> soft;
        if (auto refused = passage_checks(passage, person, false, out, soft)) return deny(*refused);
        out.alarms.insert(out.alarms.end(), soft.begin(), soft.end());
        Decision first = tp.first;
        state_.two_person.erase(it);
        commit(passage, first.person);
        commit(passage, person);
        out.first_person = first;
        out.decision = d;
        return out;
      }
      const bool late =
          tp.expired && now_ < tp.deadline + (tp.deadline - tp.started) && tp.first.person != person;
      state_.two_person.erase(it);
      if (late) return deny(Reason::WindowExpired);
    }
    if (!exit && rule.mode == TwoPersonMode::Ordered && !in_group(person, rule.first_group)) {
      return deny(Reason::TwoPersonOrder);
    }
    if (!passage.rack) {
      const Index governing = passage.egress ? passage.source : passage.destination;
      const ApbCheck apb = check_anti_passback(model_, state_, person, passage.source, governing, now_);
      if (apb.violation && (apb.mode == ApbMode::Hard || apb.mode == ApbMode::Timed))
        return deny(Reason::AntiPassback);
      if (apb.violation) {
        out.alarms.push_back(
            {"anti_passback_violation", Severity::Low, person.str(),
             "at " + model_.portal(passage.target).def.id.str() + " while recorded elsewhere", false});
      }
    }
    TwoPersonAttempt tp;
    tp.first = d;
    tp.started = now_;
    tp.deadline = now_ + std::chrono::seconds{rule.window_s};
    tp.exit = exit;
    state_.two_person[key] = tp;
    d.verdict = Verdict::Pending;
    d.reason = Reason::SecondPersonPending;
    d.needed = Factor::SecondPerson;
    out.decision = d;
    return out;
  }

  // Evaluates the attempt at key_: keeps it while pending; then two-person rules, anti-passback and the
  // mantrap; on grant presence moves and the door is released.
  Outcome finish(const detail::Passage& passage) {
    Outcome out;
    PendingAttempt& attempt = state_.attempts.at(key_);
    bool needs_two = false;
    Decision d = detail::evaluate_attempt(model_, state_, passage, attempt, now_, needs_two);
    if (d.verdict == Verdict::Pending) {
      out.decision = std::move(d);
      return out;
    }
    const PersonId person = attempt.person;
    state_.attempts.erase(key_);
    if (d.verdict != Verdict::Grant) {
      out.decision = std::move(d);
      return out;
    }
    const bool suspended = detail::suspended_by_fire(model_, state_, passage);
    if (!suspended && needs_two) return two_person(passage, std::move(d), false);
    if (!suspended && pair_exit_needed(passage, person)) return two_person(passage, std::move(d), true);
    std::vector<Alarm> soft;
    if (auto refused = passage_checks(passage, person, suspended, out, soft)) {
      d.verdict = Verdict::Deny;
      d.reason = *refused;
    } else {
      out.alarms.insert(out.alarms.end(), soft.begin(), soft.end());
      commit(passage, person);
    }
    out.decision = std::move(d);
    return out;
  }

  const SiteModel& model_;
  const PinVerifier* pins_;
  EngineState& state_;
  const DeviceId& device_;
  Timestamp now_;
  std::uint64_t key_ = 0;
};

}  // namespace

Engine::Engine(std::shared_ptr<const SiteModel> model, std::shared_ptr<const PinVerifier> pins)
    : model_(std::move(model)), pins_(std::move(pins)) {
  if (!model_) model_ = std::make_shared<const SiteModel>();
}

void Engine::replace_model(std::shared_ptr<const SiteModel> model) {
  if (!model) return;
  model_ = std::move(model);
  state_.attempts.clear();    // keyed by indexes of the old model
  state_.two_person.clear();  // likewise
}

Outcome Engine::apply(const DeviceEvent& event, Timestamp now) {
  std::vector<Alarm> due;
  detail::run_deadlines(*model_, state_, now, due);
  detail::heard_from(*model_, state_, event.device, now);
  AccessRequests requests{*model_, pins_.get(), state_, event.device, now};
  Outcome out = std::visit(
      [&](const auto& payload) -> Outcome {
        using T = std::decay_t<decltype(payload)>;
        Outcome o;
        if constexpr (std::is_same_v<T, CardPresented>) {
          o = requests.card(payload);
        } else if constexpr (std::is_same_v<T, PinEntered>) {
          o = requests.pin(payload);
        } else if constexpr (std::is_same_v<T, BiometricMatch>) {
          o = requests.biometric(payload);
        } else if constexpr (std::is_same_v<T, DoorContact>) {
          detail::door_contact(*model_, state_, payload, now, o.alarms);
        } else if constexpr (std::is_same_v<T, RequestToExit>) {
          detail::request_to_exit(*model_, state_, payload, now);
        } else if constexpr (std::is_same_v<T, Tamper>) {
          detail::tamper(payload, event.device, o.alarms);
        } else if constexpr (std::is_same_v<T, FireAlarm>) {
          detail::fire_alarm(*model_, state_, payload, o.alarms);
        } else if constexpr (std::is_same_v<T, OccupancyReport>) {
          detail::occupancy_report(*model_, state_, payload, now, o.alarms);
        }
        return o;
      },
      event.payload);
  detail::after_input(*model_, state_, now);
  out.alarms.insert(out.alarms.begin(), due.begin(), due.end());
  return out;
}

Outcome Engine::tick(Timestamp now) {
  Outcome out;
  detail::run_deadlines(*model_, state_, now, out.alarms);
  detail::after_input(*model_, state_, now);
  return out;
}

}  // namespace portcullis::core
