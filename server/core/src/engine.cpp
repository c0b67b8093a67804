#include "portcullis/core/engine.hpp"

#include <type_traits>

namespace portcullis::core {

Engine::Engine(std::shared_ptr<const SiteModel> model) : model_(std::move(model)) {
  if (!model_) model_ = std::make_shared<const SiteModel>();
}

void Engine::replace_model(std::shared_ptr<const SiteModel> model) {
  if (model) model_ = std::move(model);
}

Outcome Engine::apply(const DeviceEvent& event, Timestamp /*now*/) {
  return std::visit(
      [this](const auto& payload) -> Outcome {
        using T = std::decay_t<decltype(payload)>;
        if constexpr (std::is_same_v<T, CardPresented>) {
          return decide_card(payload);
        } else {
          return Outcome{};
        }
      },
      event.payload);
}

Outcome Engine::decide_card(const CardPresented& presented) {
  Decision decision;
  decision.verdict = Verdict::Deny;
  const Reader* reader = model_->reader(presented.reader);
  if (reader == nullptr) {
    decision.reason = Reason::UnknownReader;
    return Outcome{decision, {}};
  }
  decision.portal = reader->portal;
  if (const Portal* portal = model_->portal(reader->portal)) {
    decision.destination = reader->side == ReaderSide::Entry ? portal->to : portal->from;
  }
  const CardCredential* card = model_->card(presented.card.facility, presented.card.number);
  if (card == nullptr) {
    decision.reason = Reason::UnknownCredential;
    return Outcome{decision, {}};
  }
  decision.person = card->person;
  decision.verdict = Verdict::Grant;
  decision.reason = Reason::Granted;
  return Outcome{decision, {}};
}

}  // namespace portcullis::core
