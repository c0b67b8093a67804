#include "request_retention.hpp"

#include <string_view>

#include "portcullis/core/policy/operator_action.hpp"

namespace portcullis::core::detail {

void forget_finished_jit_requests(const SiteModel& model, EngineState& state, Timestamp now) {
  const auto& settings = model.settings();
  // Approved or not, a request can matter at most for its approval window plus the longest grant.
  const Duration useful =
      std::chrono::seconds{settings.jit_request_ttl_s} + std::chrono::seconds{settings.jit_max_duration_s};
  std::erase_if(state.jit_requests, [&](const auto& entry) {
    return now - entry.second.requested_at > useful + kFinishedRequestMemory;
  });
  // The grants approvals added ("jit:<request>") end by themselves; only those are forgotten here (an
  // admin's dated grant is part of the site's policy and stays).
  std::erase_if(state.added_grants, [&](const auto& entry) {
    const GrantDef& grant = entry.second;
    return std::string_view{entry.first.str()}.starts_with("jit:") && grant.valid_until &&
           now - *grant.valid_until > kFinishedRequestMemory;
  });
}

void forget_lapsed_fire_clear_requests(EngineState& state, Timestamp now) {
  std::erase_if(state.fire_clear_requests, [&](const auto& entry) {
    return now - entry.second.requested_at > kFireClearTtl + kFinishedRequestMemory;
  });
}

void forget_lapsed_overrides(EngineState& state, Timestamp now) {
  std::erase_if(state.pending_overrides,
                [&](const auto& entry) { return now - entry.second.at > kOverrideConfirmWindow; });
}

}  // namespace portcullis::core::detail
