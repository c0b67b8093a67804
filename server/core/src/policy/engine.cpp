#include "portcullis/core/engine.hpp"

#include <algorithm>

#include "access_check.hpp"
#include "device_time.hpp"
#include "passage.hpp"
#include "portcullis/core/policy/device_scope.hpp"
#include "supervision.hpp"
#include "two_person_rule.hpp"

namespace portcullis::core {
namespace {

// Device events that carry an access request.
class AccessRequests {
 public:
  AccessRequests(const SiteModel& model, const PinVerifier* pins, EngineState& state, const DeviceId& device,
                 detail::EventTime time)
      : model_(model), pins_(pins), state_(state), device_(device), now_(time.at), late_(time.late) {}

  // `reader`: the model index of event.reader (looked up by the device scope check).
  Outcome card(const CardPresented& event, Index reader) {
    if (reader == kNoIndex) return unknown_reader();
    if ((model_.reader(reader).def.reads & kReadsBadge) == 0) return cannot_read(reader, "badge");
    const detail::Passage passage = detail::passage_of(model_, reader);
    if (late_) return late_event(passage);
    const Index credential = model_.card_credential(event.card.facility, event.card.number);
    if (fire_egress(passage)) return fire_release(passage, credential);
    if (credential == kNoIndex) return unknown_credential(passage);
    const CredentialNode& cred = model_.credential(credential);
    if (auto twice = detail::same_person_twice(model_, state_, passage, cred.person, cred.id, now_))
      return *twice;
    PendingAttempt& attempt =
        join_attempt(passage, cred.person, [](const PendingAttempt& a) { return a.card.empty(); });
    attempt.card = cred.id;
    attempt.card_index = credential;
    attempt.factors = static_cast<FactorMask>(attempt.factors | factor_bit(Factor::Badge));
    return finish(passage);
  }

  // `reader`: the model index of event.reader (looked up by the device scope check).
  Outcome biometric(const BiometricMatch& event, Index reader) {
    if (reader == kNoIndex) return unknown_reader();
    if ((model_.reader(reader).def.reads & kReadsBiometric) == 0) return cannot_read(reader, "biometric");
    const detail::Passage passage = detail::passage_of(model_, reader);
    if (late_) return late_event(passage);
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
    if (auto twice = detail::same_person_twice(model_, state_, passage, cred.person, cred.id, now_))
      return *twice;
    PendingAttempt& attempt =
        join_attempt(passage, cred.person, [](const PendingAttempt& a) { return a.biometric.empty(); });
    attempt.biometric = cred.id;
    attempt.biometric_index = credential;
    attempt.factors = static_cast<FactorMask>(attempt.factors | factor_bit(Factor::Biometric));
    return finish(passage);
  }

  // `reader`: the model index of event.reader (looked up by the device scope check).
  Outcome pin(const PinEntered& event, Index reader) {
    if (reader == kNoIndex) return unknown_reader();
    if ((model_.reader(reader).def.reads & kReadsPin) == 0) return cannot_read(reader, "PIN");
    const detail::Passage passage = detail::passage_of(model_, reader);
    if (late_) return late_event(passage);
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

  // An access request decided long after it happened: the moment at the door is gone, and it must never
  // combine with factors presented since. Recorded with this reason; nothing changes.
  Outcome late_event(const detail::Passage& passage) const {
    Outcome out;
    out.decision = base_decision(passage);
    out.decision->reason = Reason::LateEvent;
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

  bool fire_egress(const detail::Passage& passage) const {
    return detail::fire_egress(model_, state_, passage);
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
      detail::commit_passage(model_, state_, passage.target, passage.destination, out.decision->person, now_);
    } else {
      DoorState& door = state_.doors[model_.portal(passage.target).def.id];
      door.released_until = std::max(door.released_until,
                                     now_ + std::chrono::seconds{model_.portal(passage.target).def.unlock_s});
    }
    return out;
  }

  // Evaluates the attempt at key_: keeps it while pending; then two-person rules, anti-passback and the
  // mantrap; on grant presence moves and the door is released.
  // Each return builds its outcome in place (one named result per function): this is every badge's path.
  Outcome finish(const detail::Passage& passage) {
    PendingAttempt& attempt = state_.attempts.at(key_);
    bool needs_two = false;
    Decision d = detail::evaluate_attempt(model_, state_, passage, attempt, now_, needs_two);
    if (d.verdict == Verdict::Pending) return with_decision(std::move(d));
    if (d.verdict != Verdict::Grant) {
      state_.attempts.erase(key_);
      return with_decision(std::move(d));
    }
    // A fire changes nothing here: egress under fire was granted before any of this (fire_release).
    const bool pair_exit = !needs_two && detail::pair_exit_needed(model_, state_, passage, attempt.person);
    if (needs_two || pair_exit) {
      const PendingAttempt decided = attempt;  // kept to decide the first person again at completion
      state_.attempts.erase(key_);
      return detail::two_person_step(model_, state_, passage, std::move(d), decided, pair_exit, now_);
    }
    return pass(passage, std::move(d), attempt);
  }

  static Outcome with_decision(Decision d) {
    Outcome out;
    out.decision = std::move(d);
    return out;
  }

  // A granted attempt that needs no second person: the passage checks (anti-passback, mantrap) have the last
  // word; on success presence moves and the door is released.
  Outcome pass(const detail::Passage& passage, Decision d, PendingAttempt& attempt) {
    Outcome out;
    const PersonId person = std::move(attempt.person);
    state_.attempts.erase(key_);
    std::vector<Alarm> soft;
    if (auto refused = detail::passage_checks(model_, state_, passage, person, now_, out.alarms, soft)) {
      d.verdict = Verdict::Deny;
      d.reason = *refused;
    } else {
      out.alarms.insert(out.alarms.end(), soft.begin(), soft.end());
      detail::commit_access(model_, state_, passage, person, now_);
    }
    out.decision = std::move(d);
    return out;
  }

  const SiteModel& model_;
  const PinVerifier* pins_;
  EngineState& state_;
  const DeviceId& device_;
  Timestamp now_;
  bool late_ = false;
  std::uint64_t key_ = 0;
};

// Refused outright: nothing in the state changes, not even the device's liveness.
Outcome out_of_scope(const DeviceEvent& event, const ScopeRefusal& refusal) {
  Outcome out;
  out.decision = Decision{};
  out.decision->reason = Reason::DeviceOutOfScope;
  out.refused_field = refusal.field;
  out.alarms.push_back({"device_out_of_scope", refusal.severity, event.device.str(),
                        std::string(type_name(event.payload)) + " refused: " + refusal.detail, false});
  return out;
}

// The event's own part of the decision. Each branch returns its outcome as a prvalue, so the outcome is
// built in place (no moves of its strings on the path every badge takes).
Outcome decide_event(const SiteModel& model, EngineState& state, AccessRequests& requests,
                     const DeviceEvent& event, Index reader, Timestamp at) {
  const DevicePayload& payload = event.payload;
  if (const auto* card = std::get_if<CardPresented>(&payload)) return requests.card(*card, reader);
  if (const auto* pin = std::get_if<PinEntered>(&payload)) return requests.pin(*pin, reader);
  if (const auto* finger = std::get_if<BiometricMatch>(&payload)) return requests.biometric(*finger, reader);
  Outcome out;
  if (const auto* rex = std::get_if<RequestToExit>(&payload)) {
    detail::request_to_exit(model, state, *rex, at, out.alarms);
  } else if (const auto* tamper = std::get_if<Tamper>(&payload)) {
    detail::tamper(*tamper, event.device, out.alarms);
  } else if (const auto* fire = std::get_if<FireAlarm>(&payload)) {
    detail::fire_alarm(model, state, *fire, out.alarms);  // life safety: whenever it arrives
  } else if (const auto* occupancy = std::get_if<OccupancyReport>(&payload)) {
    detail::occupancy_report(model, state, *occupancy, at, out.alarms);
  }
  return out;
}

// Everything after the scope check; one named result, built in place.
Outcome apply_in_scope(const SiteModel& model, const PinVerifier* pins, EngineState& state,
                       const DeviceEvent& event, Timestamp now, const ScopeIndexes& found) {
  const detail::EventTime time = detail::event_time(model, state, event, now);
  // A door contact is judged at its own time before the deadlines run at the receive time: a door forced and
  // shut while its controller was offline is forced, not held, when both reports arrive together.
  std::vector<Alarm> contact_alarms;
  const auto* contact = std::get_if<DoorContact>(&event.payload);
  if (contact != nullptr) detail::door_contact(model, state, *contact, time.at, contact_alarms);
  std::vector<Alarm> due;
  detail::run_deadlines(model, state, now, due, contact);
  detail::heard_from(model, state, event.device, found.device, now);
  AccessRequests requests{model, pins, state, event.device, time};
  Outcome out = decide_event(model, state, requests, event, found.reader, time.at);
  detail::after_input(model, state, now);
  if (out.decision && !time.late) out.door_action = detail::door_action_for(model, state, *out.decision);
  // Alarms in the order they arose: deadlines that fell due, the door contact's, then the event's own.
  if (!contact_alarms.empty())
    out.alarms.insert(out.alarms.begin(), contact_alarms.begin(), contact_alarms.end());
  if (!due.empty()) out.alarms.insert(out.alarms.begin(), due.begin(), due.end());
  return out;
}

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
  ScopeIndexes found;
  if (auto refusal = check_device_scope(*model_, event, &found)) return out_of_scope(event, *refusal);
  return apply_in_scope(*model_, pins_.get(), state_, event, now, found);
}

Outcome Engine::tick(Timestamp now) {
  Outcome out;
  detail::run_deadlines(*model_, state_, now, out.alarms);
  detail::after_input(*model_, state_, now);
  return out;
}

}  // namespace portcullis::core
