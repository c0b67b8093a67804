#include "portcullis/operators/dual_approval.hpp"

#include <utility>

namespace portcullis::operators {
namespace {

ApprovalStep refused(const PendingApproval& approval, ApprovalCheck why) {
  return {why, approval};
}

// A decision by an operator (approve, reject).
ApprovalStep decided(const PendingApproval& approval, ApprovalStatus status, const core::OperatorId& by,
                     core::Timestamp now) {
  ApprovalStep step{ApprovalCheck::Ok, approval};
  step.approval.status = status;
  step.approval.decided_by = by;
  step.approval.decided_at = now;
  if (status != ApprovalStatus::Approved) step.approval.closed_at = now;
  return step;
}

// A final state reached without a decision (executed, voided, expired).
ApprovalStep closed(const PendingApproval& approval, ApprovalCheck why, ApprovalStatus status,
                    core::Timestamp now) {
  ApprovalStep step{why, approval};
  step.approval.status = status;
  step.approval.closed_at = now;
  return step;
}

}  // namespace

std::string_view to_string(ApprovalStatus s) noexcept {
  switch (s) {
    case ApprovalStatus::Pending: return "pending";
    case ApprovalStatus::Approved: return "approved";
    case ApprovalStatus::Executed: return "executed";
    case ApprovalStatus::Rejected: return "rejected";
    case ApprovalStatus::Voided: return "voided";
    case ApprovalStatus::Expired: return "expired";
  }
  return "unknown";
}

std::string_view to_string(ApprovalCheck c) noexcept {
  switch (c) {
    case ApprovalCheck::Ok: return "ok";
    case ApprovalCheck::NotPending: return "not_pending";
    case ApprovalCheck::NotApproved: return "not_approved";
    case ApprovalCheck::Expired: return "expired";
    case ApprovalCheck::NotAnOperator: return "not_an_operator";
    case ApprovalCheck::SelfApproval: return "self_approval";
    case ApprovalCheck::NotAPerson: return "not_a_person";
    case ApprovalCheck::RoleNotAllowed: return "role_not_allowed";
    case ApprovalCheck::ChangeModified: return "change_modified";
  }
  return "unknown";
}

PendingApproval request_approval(ApprovalId id, std::string action, const Principal& requester,
                                 std::string_view canonical_change, const ChangeHasher& hash,
                                 core::Timestamp now, core::Duration validity, RoleSet approver_roles) {
  PendingApproval approval;
  approval.id = std::move(id);
  approval.action = std::move(action);
  approval.requester = requester.operator_id;
  approval.requester_person = requester.person;
  approval.change_hash = hash(canonical_change);
  approval.approver_roles = approver_roles;
  approval.requested_at = now;
  approval.expires_at = now + validity;
  return approval;
}

ApprovalStep approve(const PendingApproval& approval, const Principal& approver,
                     std::string_view current_change, const ChangeHasher& hash, core::Timestamp now) {
  if (approval.status != ApprovalStatus::Pending) return refused(approval, ApprovalCheck::NotPending);
  if (now >= approval.expires_at) {
    return closed(approval, ApprovalCheck::Expired, ApprovalStatus::Expired, now);
  }
  if (!approver.is_operator()) return refused(approval, ApprovalCheck::NotAnOperator);
  if (approver.is_same_operator_or_person(approval.requester, approval.requester_person)) {
    return refused(approval, ApprovalCheck::SelfApproval);
  }
  if (!approver.has_role_in(approval.approver_roles)) return refused(approval, ApprovalCheck::RoleNotAllowed);
  // Two accounts count as two people only when each is linked to its person: a service account (or an
  // account never linked) on either side could be the other's owner.
  if (approver.person.empty() || approval.requester_person.empty())
    return refused(approval, ApprovalCheck::NotAPerson);
  // The approver saw the change as it is now; if that is not what was requested, neither version
  // was approved by two people, so the request dies and must be made again.
  if (hash(current_change) != approval.change_hash) {
    return closed(approval, ApprovalCheck::ChangeModified, ApprovalStatus::Voided, now);
  }
  return decided(approval, ApprovalStatus::Approved, approver.operator_id, now);
}

ApprovalStep reject(const PendingApproval& approval, const Principal& by, core::Timestamp now) {
  if (approval.status != ApprovalStatus::Pending) return refused(approval, ApprovalCheck::NotPending);
  if (!by.is_operator()) return refused(approval, ApprovalCheck::NotAnOperator);
  const bool withdrawing = by.is_same_operator_or_person(approval.requester, approval.requester_person);
  if (!withdrawing && !by.has_role_in(approval.approver_roles)) {
    return refused(approval, ApprovalCheck::RoleNotAllowed);
  }
  return decided(approval, ApprovalStatus::Rejected, by.operator_id, now);
}

ApprovalStep consume_for_execution(const PendingApproval& approval, std::string_view current_change,
                                   const ChangeHasher& hash, core::Timestamp now) {
  if (approval.status != ApprovalStatus::Approved) return refused(approval, ApprovalCheck::NotApproved);
  if (now >= approval.expires_at) {
    return closed(approval, ApprovalCheck::Expired, ApprovalStatus::Expired, now);
  }
  if (hash(current_change) != approval.change_hash) {
    return closed(approval, ApprovalCheck::ChangeModified, ApprovalStatus::Voided, now);
  }
  return closed(approval, ApprovalCheck::Ok, ApprovalStatus::Executed, now);
}

}  // namespace portcullis::operators
