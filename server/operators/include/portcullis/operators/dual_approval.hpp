#pragma once
// Dual approval (two-person integrity for operator actions) as a pure state machine.
// The approval is bound to a hash of the canonical bytes of the exact change, so what gets
// executed is what was approved: an edit after the request or after the approval voids it.
//
//   Pending --approve--> Approved --consume_for_execution--> Executed
//      |  \                  |
//      |   reject            +--(change edited / expired)--> Voided / Expired
//      +--(change edited)--> Voided,  (past expires_at) --> Expired
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "portcullis/core/strong_id.hpp"
#include "portcullis/core/time.hpp"
#include "portcullis/operators/principal.hpp"

namespace portcullis::operators {

using ApprovalId = core::StrongId<struct ApprovalIdTag>;

// Hash of a change's canonical bytes (crypto/digest.hpp sha256_hex). Injected to keep this pure.
using ChangeHasher = std::function<std::string(std::string_view canonical_bytes)>;

enum class ApprovalStatus : std::uint8_t { Pending, Approved, Executed, Rejected, Voided, Expired };

struct PendingApproval {
  ApprovalId id;
  std::string action;  // what kind of change, e.g. "remote_unlock", "grant_two_person_zone"
  core::OperatorId requester;
  core::PersonId requester_person;  // empty when the account is not linked to a site person
  std::string change_hash;
  RoleSet approver_roles;
  core::Timestamp requested_at;
  core::Timestamp expires_at;  // bounds approval and execution both
  ApprovalStatus status = ApprovalStatus::Pending;
  // Who approved or rejected, and when.
  std::optional<core::OperatorId> decided_by;
  std::optional<core::Timestamp> decided_at;
  // When it reached a final state (executed, rejected, voided, expired); kept apart from decided_at
  // so the audit trail still shows when an approval was given after it was voided or used.
  std::optional<core::Timestamp> closed_at;
};

enum class ApprovalCheck : std::uint8_t {
  Ok,
  NotPending,   // already approved, rejected, executed, voided or expired
  NotApproved,  // execution asked for something not (yet) approved
  Expired,
  NotAnOperator,  // devices and anonymous callers never approve
  SelfApproval,   // the requester (same account or same person) cannot approve their own request
  RoleNotAllowed,
  ChangeModified,  // the change's hash differs from the one requested: the approval is void
  NotAPerson,      // the approver or the requester is a service account (not linked to a site person)
};

[[nodiscard]] std::string_view to_string(ApprovalStatus s) noexcept;
[[nodiscard]] std::string_view to_string(ApprovalCheck c) noexcept;

struct ApprovalStep {
  ApprovalCheck result = ApprovalCheck::NotPending;
  PendingApproval approval;  // the record to store (unchanged when the step was refused without effect)
  explicit operator bool() const noexcept { return result == ApprovalCheck::Ok; }
};

inline constexpr RoleSet kDefaultApproverRoles{Role::Supervisor, Role::Admin};

[[nodiscard]] PendingApproval request_approval(ApprovalId id, std::string action, const Principal& requester,
                                               std::string_view canonical_change, const ChangeHasher& hash,
                                               core::Timestamp now, core::Duration validity,
                                               RoleSet approver_roles = kDefaultApproverRoles);

// `current_change` is the change as it stands now, re-serialized canonically by the caller.
[[nodiscard]] ApprovalStep approve(const PendingApproval& approval, const Principal& approver,
                                   std::string_view current_change, const ChangeHasher& hash,
                                   core::Timestamp now);

// An allowed approver declines, or the requester withdraws.
[[nodiscard]] ApprovalStep reject(const PendingApproval& approval, const Principal& by, core::Timestamp now);

// Called right before the change is applied: Ok only for an approved, unexpired approval whose
// change is byte-for-byte the approved one. Ok moves it to Executed, so it is single use.
[[nodiscard]] ApprovalStep consume_for_execution(const PendingApproval& approval,
                                                 std::string_view current_change, const ChangeHasher& hash,
                                                 core::Timestamp now);

}  // namespace portcullis::operators
