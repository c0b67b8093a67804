#include "portcullis/core/engine.hpp"

#include <algorithm>
#include <type_traits>

#include "access_check.hpp"
#include "passage.hpp"
#include "portcullis/core/antipassback/presence.hpp"

namespace portcullis::core {
namespace {

// Device events that carry an access request; everything else (door contacts, tamper, fire...) is issue 4.
class AccessRequests {
 public:
  AccessRequests(const SiteModel& model, const PinVerifier* pins, EngineState& state, const DeviceId& device,
                 Timestamp now)
      : model_(model), pins_(pins), state_(state), device_(device), now_(now) {}

  Outcome card(const CardPresented& event) {
    const Index reader = model_.reader_index(event.reader);
    if (reader == kNoIndex) return unknown_reader();
    if (!served_by_device(reader)) return reader_not_on_device(reader);
    const detail::Passage passage = detail::passage_of(model_, reader);
    const Index credential = model_.card_credential(event.card.facility, event.card.number);
    if (credential == kNoIndex) return unknown_credential(passage);
    const CredentialNode& cred = model_.credential(credential);
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
    const detail::Passage passage = detail::passage_of(model_, reader);
    if (!event.matched) {
      // The attempt stays open: the person may try the finger again within the window.
      Outcome out;
      out.decision = base_decision(passage);
      out.decision->reason = Reason::BiometricMismatch;
      return out;
    }
    const Index credential = model_.biometric_credential(event.template_id);
    if (credential == kNoIndex) return unknown_credential(passage);
    const CredentialNode& cred = model_.credential(credential);
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
    const detail::Passage passage = detail::passage_of(model_, reader);
    key_ = detail::attempt_key(passage);
    PendingAttempt* attempt = live_attempt();
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

  // Evaluates the attempt at key_: keeps it while pending, applies anti-passback and presence on grant.
  Outcome finish(const detail::Passage& passage) {
    Outcome out;
    PendingAttempt& attempt = state_.attempts.at(key_);
    Decision d = detail::evaluate_attempt(model_, state_, passage, attempt, now_);
    if (d.verdict == Verdict::Pending) {
      out.decision = std::move(d);
      return out;
    }
    const PersonId person = attempt.person;
    state_.attempts.erase(key_);
    if (d.verdict == Verdict::Grant && !passage.rack) {
      const Index governing = passage.egress ? passage.source : passage.destination;
      const ApbCheck apb = check_anti_passback(model_, state_, person, passage.source, governing, now_);
      if (apb.violation && (apb.mode == ApbMode::Hard || apb.mode == ApbMode::Timed)) {
        d.verdict = Verdict::Deny;
        d.reason = Reason::AntiPassback;
      } else {
        if (apb.violation) {
          out.alarms.push_back(
              {"anti_passback_violation", Severity::Low, person.str(),
               "entered " + d.destination.str() + " through " + d.portal.str() + " while recorded elsewhere",
               false});
        }
        state_.presence[person] = Presence{d.destination, now_};
      }
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
  state_.attempts.clear();  // keyed by indexes of the old model
}

Outcome Engine::apply(const DeviceEvent& event, Timestamp now) {
  AccessRequests requests{*model_, pins_.get(), state_, event.device, now};
  return std::visit(
      [&](const auto& payload) -> Outcome {
        using T = std::decay_t<decltype(payload)>;
        if constexpr (std::is_same_v<T, CardPresented>) {
          return requests.card(payload);
        } else if constexpr (std::is_same_v<T, PinEntered>) {
          return requests.pin(payload);
        } else if constexpr (std::is_same_v<T, BiometricMatch>) {
          return requests.biometric(payload);
        } else {
          return Outcome{};
        }
      },
      event.payload);
}

}  // namespace portcullis::core
