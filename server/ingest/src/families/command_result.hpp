#pragma once
// Answers shared by the families that decide operators' changes.
#include "portcullis/core/policy/access_widening.hpp"
#include "portcullis/ingest/ingest_types.hpp"
#include "portcullis/json/admin_change_json.hpp"

namespace portcullis::ingest {

// The answer to a change that widens access to a sensitive place without a second approver: applied and
// recorded only once another operator approves it (the API holds it, see AdminApi).
inline CommandResult needs_second_approver(const core::Widening& widening) {
  CommandResult result;
  result.status = 428;
  result.field = "approval";
  result.message = "widens access to a sensitive place: " + widening.reasons.front();
  result.detail_json = json::reasons_json(widening.reasons);
  return result;
}

}  // namespace portcullis::ingest
