#pragma once
// How long finished two-step requests stay in memory. Just-in-time requests, fire-clear requests and
// overrides waiting for a second operator are created by operators and would otherwise be kept forever.
// Each is forgotten a day after it can no longer change anything (expired, or its grant ended), so an
// answer about it within that day is still "request_expired" rather than "unknown"; the record stays in
// history. Forgetting runs when a new request of the same kind is decided, at that record's time, so a
// restart's replay forgets at exactly the same points and decides exactly the same.
#include "portcullis/core/policy/engine_state.hpp"
#include "portcullis/core/site_model.hpp"
#include "portcullis/core/time.hpp"

namespace portcullis::core::detail {

inline constexpr std::chrono::hours kFinishedRequestMemory{24};

// Just-in-time requests past their approval window and duration, and the grants of approved ones that
// ended, a day later.
void forget_finished_jit_requests(const SiteModel& model, EngineState& state, Timestamp now);
// Fire-clear requests a day after they lapsed unconfirmed.
void forget_lapsed_fire_clear_requests(EngineState& state, Timestamp now);
// Overrides whose confirmation window has passed (they behave as absent already).
void forget_lapsed_overrides(EngineState& state, Timestamp now);

}  // namespace portcullis::core::detail
