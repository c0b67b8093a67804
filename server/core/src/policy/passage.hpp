#pragma once
// Internal: where a reader leads. A portal reader moves a person between two zones; a rack reader opens the
// rack (the person stays in the rack's zone). Egress (towards the root of the zone tree) is never impeded by
// policy: it only needs a valid credential and is tracked for anti-passback.
#include <cstdint>
#include <optional>
#include <vector>

#include "portcullis/core/outcome.hpp"
#include "portcullis/core/policy/engine_state.hpp"
#include "portcullis/core/site_model.hpp"

namespace portcullis::core::detail {

struct Passage {
  Index reader = kNoIndex;
  bool rack = false;
  Index target = kNoIndex;  // portal or rack index
  ReaderSide side = ReaderSide::Entry;
  Index source = kNoIndex;
  Index destination = kNoIndex;
  bool egress = false;
  int tier = 0;
};

[[nodiscard]] Passage passage_of(const SiteModel& model, Index reader);

// Pending attempts are per portal side (or rack): every reader there contributes factors to one attempt.
[[nodiscard]] inline std::uint64_t attempt_key(const Passage& p) {
  return (static_cast<std::uint64_t>(p.target) << 2U) | (p.rack ? 2U : 0U) |
         (p.side == ReaderSide::Exit ? 1U : 0U);
}

// Anti-passback and the mantrap for one person about to pass (portals only): the refusal, or nullopt.
// Hard refusals' alarms go to `alarms`; a soft anti-passback violation's alarm to `soft_alarms`, kept only
// if the passage happens.
[[nodiscard]] std::optional<Reason> passage_checks(const SiteModel& model, const EngineState& state,
                                                   const Passage& passage, const PersonId& person,
                                                   Timestamp now, std::vector<Alarm>& alarms,
                                                   std::vector<Alarm>& soft_alarms);
// A granted passage happens: presence moves and the door is released, or the rack's door is released.
void commit_access(const SiteModel& model, EngineState& state, const Passage& passage, const PersonId& person,
                   Timestamp now);

}  // namespace portcullis::core::detail
