#pragma once
// The access engine: (model, state, event, time) -> (new state, decision, alarms).
// It owns the mutable state (presence, pending attempts, counters); the model is shared and immutable.
// Not thread-safe by design: one engine per site, driven by that site's single sequencer thread.
#include <memory>

#include "portcullis/core/device_event.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/core/site_model.hpp"

namespace portcullis::core {

class Engine {
 public:
  explicit Engine(std::shared_ptr<const SiteModel> model);

  // Decide one event. `now` is the server's receive time of the event (replays pass the stored one).
  [[nodiscard]] Outcome apply(const DeviceEvent& event, Timestamp now);

  void replace_model(std::shared_ptr<const SiteModel> model);
  [[nodiscard]] const SiteModel& model() const noexcept { return *model_; }

 private:
  [[nodiscard]] Outcome decide_card(const CardPresented& card);

  std::shared_ptr<const SiteModel> model_;
};

}  // namespace portcullis::core
