#pragma once
// Anti-passback: where each person is, from granted passages. A person must be where the reader assumes
// (the passage's source zone) when their presence is known; unknown presence (never seen, forgiven, or
// forgotten by a timed zone) passes. The zone that governs a passage is the one entered, or for egress the
// one left. Hard and Timed deny a violation; Soft grants and raises an alarm; Timed also forgets presence in
// its zone after the zone's timeout.
#include <optional>

#include "portcullis/core/policy/engine_state.hpp"
#include "portcullis/core/site_model.hpp"

namespace portcullis::core {

// The person's presence, or nullopt when unknown or forgotten (timed zones) at `now`.
[[nodiscard]] std::optional<Presence> current_presence(const SiteModel& model, const EngineState& state,
                                                       const PersonId& person, Timestamp now);

struct ApbCheck {
  bool violation = false;
  ApbMode mode = ApbMode::None;
};

// source/destination/governing are zone indexes of `model`.
[[nodiscard]] ApbCheck check_anti_passback(const SiteModel& model, const EngineState& state,
                                           const PersonId& person, Index source, Index governing,
                                           Timestamp now);

}  // namespace portcullis::core
