#pragma once
// The access engine: (model, state, event, time) -> (new state, decision, alarms).
// It owns the mutable state (presence, pending attempts, counters, operator overrides); the model is shared
// and immutable. Not thread-safe by design: one engine per site, driven by that site's single sequencer
// thread. Deterministic: the same model, inputs and times give the same outcomes and the same state, which is
// how a restart rebuilds state by replaying the stored log through a fresh engine.
#include <memory>

#include "portcullis/core/device_event.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/core/policy/engine_state.hpp"
#include "portcullis/core/policy/operator_action.hpp"
#include "portcullis/core/policy/pin_verifier.hpp"
#include "portcullis/core/site_model.hpp"

namespace portcullis::core {

class Engine {
 public:
  // `pins` may be null: live PIN entries then deny with decision_unavailable (recorded verdicts still
  // replay).
  explicit Engine(std::shared_ptr<const SiteModel> model, std::shared_ptr<const PinVerifier> pins = nullptr);

  // Decide one device event. `now` is the server's receive time of the event (replays pass the stored one).
  [[nodiscard]] Outcome apply(const DeviceEvent& event, Timestamp now);

  // Apply one operator action. Outcome::decision says Grant/applied or Deny/<why refused>.
  [[nodiscard]] Outcome apply(const OperatorAction& action, Timestamp now, const Actor& who);

  // Deadlines only (held doors, stuck vestibules, two-person windows, silent devices, lone persons, debounced
  // contacts): the core has no timers. Every apply() first evaluates them with its own time; the server also
  // calls tick() periodically. Record a tick in the log when its outcome has alarms: a replay then raises
  // them at the same point. Ticks without alarms need not be recorded (the next input re-derives the same
  // state).
  [[nodiscard]] Outcome tick(Timestamp now);

  // Swap in a newly loaded site. Operator overrides, presence and PIN counters are kept (they are keyed by
  // id); pending multi-factor attempts are abandoned. The log must record the reload so a replay swaps at the
  // same point.
  void replace_model(std::shared_ptr<const SiteModel> model);

  // The site definition behind the model, needed to apply admin edits (admin_change.hpp): the model becomes
  // SiteModel::build(definition + EngineState::admin). Problems (JSON paths) and nothing changes when that
  // does not validate. A site reload is load_site() with the new definition; pending attempts are
  // abandoned as with replace_model(). Without a definition, admin edits are refused.
  // `built`, when given, is the model of `definition` already built (start-up): used if no edits are in
  // force.
  [[nodiscard]] Problems load_site(std::shared_ptr<const SiteDefinition> definition,
                                   std::shared_ptr<const SiteModel> built = nullptr);
  // The engine a snapshot describes (core/snapshot): `state` over the model built from `definition` (the
  // site loaded last, null: keep the model given to the constructor) with the admin edits of `state` laid
  // over it. Pending attempts are kept: the model is the one they were resolved in. Problems, and nothing
  // changes, when the definition with the edits does not validate. `built`, when given, is the model of
  // `definition` already built (the start-up site): used if no edits are in force, as load_site() does.
  [[nodiscard]] Problems restore(std::shared_ptr<const SiteDefinition> definition, EngineState state,
                                 std::shared_ptr<const SiteModel> built = nullptr);
  // What the last AdminChange did (before/after, or why it was refused).
  [[nodiscard]] const AdminReport& last_admin_report() const noexcept { return admin_report_; }
  [[nodiscard]] std::shared_ptr<const SiteModel> shared_model() const noexcept { return model_; }
  // The definition in force: the loaded one with the admin edits laid over it (null without one).
  [[nodiscard]] std::shared_ptr<const SiteDefinition> effective_definition() const noexcept {
    return effective_;
  }

  [[nodiscard]] const SiteModel& model() const noexcept { return *model_; }
  [[nodiscard]] const EngineState& state() const noexcept { return state_; }

 private:
  std::shared_ptr<const SiteModel> model_;
  std::shared_ptr<const PinVerifier> pins_;
  EngineState state_;
  // Admin edits (admin_change.hpp): the loaded definition, and it with the edits laid over it.
  std::shared_ptr<const SiteDefinition> base_;
  std::shared_ptr<const SiteDefinition> effective_;
  AdminReport admin_report_;
  Outcome apply_admin(const AdminChange& change, Timestamp now, const Actor& who);
  Outcome admin_edit(const AdminEdit& edit);
  void swap_model_keeping_attempts(std::shared_ptr<const SiteModel> model);
};

}  // namespace portcullis::core
