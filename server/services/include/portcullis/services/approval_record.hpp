#pragma once
// PendingApproval <-> its stored form (json::ApprovalRecord), shared by the command desk and the admin API.
#include <optional>
#include <string>

#include "portcullis/ledger/records/desk_record.hpp"
#include "portcullis/operators/dual_approval.hpp"

namespace portcullis::services::detail {

inline json::ApprovalRecord approval_record(const operators::PendingApproval& a) {
  json::ApprovalRecord r;
  r.action = a.action;
  r.change_sha256 = a.change_hash;
  r.status = std::string(operators::to_string(a.status));
  r.requested_at_us = core::to_unix_micros(a.requested_at);
  r.expires_at_us = core::to_unix_micros(a.expires_at);
  if (a.decided_by) r.decided_by = a.decided_by->str();
  if (a.decided_at) r.decided_at_us = core::to_unix_micros(*a.decided_at);
  return r;
}

inline std::optional<operators::ApprovalStatus> approval_status(const std::string& text) {
  using S = operators::ApprovalStatus;
  for (const auto s : {S::Pending, S::Approved, S::Executed, S::Rejected, S::Voided, S::Expired}) {
    if (operators::to_string(s) == text) return s;
  }
  return std::nullopt;
}

// Nullopt when the status is unknown.
inline std::optional<operators::PendingApproval> approval_from(const json::ApprovalRecord& r,
                                                               const std::string& id,
                                                               const std::string& requester,
                                                               const std::string& requester_person) {
  const auto status = approval_status(r.status);
  if (!status) return std::nullopt;
  operators::PendingApproval a;
  a.id = operators::ApprovalId{id};
  a.action = r.action;
  a.requester = core::OperatorId{requester};
  a.requester_person = core::PersonId{requester_person};
  a.change_hash = r.change_sha256;
  a.approver_roles = operators::kDefaultApproverRoles;  // the only roles either caller asks for
  a.requested_at = core::from_unix_micros(r.requested_at_us);
  a.expires_at = core::from_unix_micros(r.expires_at_us);
  a.status = *status;
  if (!r.decided_by.empty()) a.decided_by = core::OperatorId{r.decided_by};
  if (r.decided_at_us != 0) a.decided_at = core::from_unix_micros(r.decided_at_us);
  if (*status != operators::ApprovalStatus::Pending && *status != operators::ApprovalStatus::Approved)
    a.closed_at = a.decided_at ? a.decided_at : a.expires_at;
  return a;
}

}  // namespace portcullis::services::detail
