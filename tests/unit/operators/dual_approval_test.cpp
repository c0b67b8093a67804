#include "portcullis/operators/dual_approval.hpp"

#include <gtest/gtest.h>

#include "portcullis/operators/crypto/digest.hpp"

namespace portcullis::operators {
namespace {

using namespace std::chrono_literals;

const core::Timestamp kNow = core::from_unix_micros(1'700'000'000'000'000);
constexpr std::string_view kChange = R"({"action":"remote_unlock","portal":"cage-7","seconds":5})";
constexpr std::string_view kEditedChange = R"({"action":"remote_unlock","portal":"cage-7","seconds":500})";

const ChangeHasher kHash = [](std::string_view bytes) { return crypto::sha256_hex(bytes); };

const Principal kRequester =
    Principal::operator_with(core::OperatorId{"op-alice"}, Role::Supervisor, core::PersonId{"p-alice"});
const Principal kSupervisor =
    Principal::operator_with(core::OperatorId{"op-bob"}, Role::Supervisor, core::PersonId{"p-bob"});
const Principal kAdmin =
    Principal::operator_with(core::OperatorId{"op-carol"}, Role::Admin, core::PersonId{"p-carol"});
const Principal kGuard =
    Principal::operator_with(core::OperatorId{"op-dave"}, Role::Guard, core::PersonId{"p-dave"});

PendingApproval requested() {
  return request_approval(ApprovalId{"apr-1"}, "remote_unlock", kRequester, kChange, kHash, kNow, 10min);
}

TEST(DualApproval, ARequestIsPendingAndBoundToTheHashOfTheChange) {
  const auto approval = requested();
  EXPECT_EQ(approval.status, ApprovalStatus::Pending);
  EXPECT_EQ(approval.change_hash, crypto::sha256_hex(kChange));
  EXPECT_EQ(approval.expires_at, kNow + 10min);
}

TEST(DualApproval, SelfApprovalIsRefusedAndLeavesTheRequestPending) {
  const auto step = approve(requested(), kRequester, kChange, kHash, kNow + 1min);
  EXPECT_EQ(step.result, ApprovalCheck::SelfApproval);
  EXPECT_EQ(step.approval.status, ApprovalStatus::Pending);
}

TEST(DualApproval, SelfApprovalIsRefusedEvenForAnAdmin) {
  auto approval = request_approval(ApprovalId{"apr-2"}, "grant", kAdmin, kChange, kHash, kNow, 10min);
  EXPECT_EQ(approve(approval, kAdmin, kChange, kHash, kNow).result, ApprovalCheck::SelfApproval);
}

TEST(DualApproval, ASecondAccountOfTheSamePersonCannotApprove) {
  const auto alice_as_supervisor =
      Principal::operator_with(core::OperatorId{"op-alice-day"}, Role::Supervisor, core::PersonId{"p-alice"});
  const auto alice_as_admin =
      Principal::operator_with(core::OperatorId{"op-alice-admin"}, Role::Admin, core::PersonId{"p-alice"});
  const auto bob_admin =
      Principal::operator_with(core::OperatorId{"op-bob-admin"}, Role::Admin, core::PersonId{"p-bob"});
  const auto approval = request_approval(ApprovalId{"apr-4"}, "remote_unlock", alice_as_supervisor, kChange,
                                         kHash, kNow, 10min);
  EXPECT_EQ(approval.requester_person, core::PersonId{"p-alice"});
  EXPECT_EQ(approve(approval, alice_as_admin, kChange, kHash, kNow).result, ApprovalCheck::SelfApproval);
  EXPECT_EQ(approve(approval, bob_admin, kChange, kHash, kNow).result, ApprovalCheck::Ok);
}

TEST(DualApproval, UnlinkedOperatorAccountsDefeatSamePersonChecks) {
  // A service account (not linked to a person) could be anyone's second account: it never approves, and
  // what it requests is never approved (by one person's other account, or anyone's).
  const auto service = Principal::operator_with(core::OperatorId{"svc-night"}, Role::Supervisor);
  EXPECT_TRUE(service.is_service_account());
  EXPECT_EQ(approve(requested(), service, kChange, kHash, kNow).result, ApprovalCheck::NotAPerson);
  const auto from_service =
      request_approval(ApprovalId{"apr-9"}, "remote_unlock", service, kChange, kHash, kNow, 10min);
  EXPECT_EQ(approve(from_service, kSupervisor, kChange, kHash, kNow).result, ApprovalCheck::NotAPerson);
  EXPECT_EQ(approve(from_service, kSupervisor, kChange, kHash, kNow).approval.status,
            ApprovalStatus::Pending);
}

TEST(DualApproval, ADifferentSupervisorApproves) {
  const auto step = approve(requested(), kSupervisor, kChange, kHash, kNow + 1min);
  ASSERT_EQ(step.result, ApprovalCheck::Ok);
  EXPECT_EQ(step.approval.status, ApprovalStatus::Approved);
  EXPECT_EQ(step.approval.decided_by, kSupervisor.operator_id);
  EXPECT_EQ(step.approval.decided_at, kNow + 1min);
}

TEST(DualApproval, RolesOutsideTheApproverSetCannotApprove) {
  EXPECT_EQ(approve(requested(), kGuard, kChange, kHash, kNow).result, ApprovalCheck::RoleNotAllowed);
  EXPECT_EQ(approve(requested(), Principal::device(core::DeviceId{"ctrl"}), kChange, kHash, kNow).result,
            ApprovalCheck::NotAnOperator);
  EXPECT_EQ(approve(requested(), Principal::anonymous(), kChange, kHash, kNow).result,
            ApprovalCheck::NotAnOperator);
}

TEST(DualApproval, AnEditBeforeApprovalVoidsTheRequest) {
  const auto step = approve(requested(), kSupervisor, kEditedChange, kHash, kNow + 1min);
  EXPECT_EQ(step.result, ApprovalCheck::ChangeModified);
  EXPECT_EQ(step.approval.status, ApprovalStatus::Voided);
  // Approving the original afterwards does not revive it.
  EXPECT_EQ(approve(step.approval, kAdmin, kChange, kHash, kNow + 2min).result, ApprovalCheck::NotPending);
}

TEST(DualApproval, AnEditAfterApprovalVoidsIt) {
  const auto approved = approve(requested(), kSupervisor, kChange, kHash, kNow + 1min);
  ASSERT_TRUE(approved);
  const auto execution = consume_for_execution(approved.approval, kEditedChange, kHash, kNow + 2min);
  EXPECT_EQ(execution.result, ApprovalCheck::ChangeModified);
  EXPECT_EQ(execution.approval.status, ApprovalStatus::Voided);
  EXPECT_EQ(execution.approval.decided_at, kNow + 1min) << "the approval time survives the void";
  EXPECT_EQ(execution.approval.closed_at, kNow + 2min);
  EXPECT_EQ(consume_for_execution(execution.approval, kChange, kHash, kNow + 3min).result,
            ApprovalCheck::NotApproved);
}

TEST(DualApproval, TheApprovedChangeExecutesExactlyOnce) {
  const auto approved = approve(requested(), kSupervisor, kChange, kHash, kNow + 1min);
  const auto executed = consume_for_execution(approved.approval, kChange, kHash, kNow + 2min);
  ASSERT_EQ(executed.result, ApprovalCheck::Ok);
  EXPECT_EQ(executed.approval.status, ApprovalStatus::Executed);
  EXPECT_EQ(executed.approval.closed_at, kNow + 2min);
  EXPECT_EQ(consume_for_execution(executed.approval, kChange, kHash, kNow + 3min).result,
            ApprovalCheck::NotApproved);
}

TEST(DualApproval, NothingExecutesWithoutApproval) {
  EXPECT_EQ(consume_for_execution(requested(), kChange, kHash, kNow).result, ApprovalCheck::NotApproved);
}

TEST(DualApproval, ExpiredRequestsCanNeitherBeApprovedNorExecuted) {
  const auto late = approve(requested(), kSupervisor, kChange, kHash, kNow + 10min);
  EXPECT_EQ(late.result, ApprovalCheck::Expired);
  EXPECT_EQ(late.approval.status, ApprovalStatus::Expired);

  const auto approved = approve(requested(), kSupervisor, kChange, kHash, kNow + 9min);
  ASSERT_TRUE(approved);
  EXPECT_EQ(consume_for_execution(approved.approval, kChange, kHash, kNow + 11min).result,
            ApprovalCheck::Expired);
}

TEST(DualApproval, AnApproverRejectsOrTheRequesterWithdraws) {
  const auto rejected = reject(requested(), kSupervisor, kNow);
  EXPECT_EQ(rejected.result, ApprovalCheck::Ok);
  EXPECT_EQ(rejected.approval.status, ApprovalStatus::Rejected);
  EXPECT_EQ(approve(rejected.approval, kAdmin, kChange, kHash, kNow).result, ApprovalCheck::NotPending);

  EXPECT_EQ(reject(requested(), kRequester, kNow).approval.status, ApprovalStatus::Rejected);
  EXPECT_EQ(reject(requested(), kGuard, kNow).result, ApprovalCheck::RoleNotAllowed);
}

TEST(DualApproval, ApproverRolesAreChosenPerRequest) {
  const auto admins_only = request_approval(ApprovalId{"apr-3"}, "tier_change", kRequester, kChange, kHash,
                                            kNow, 10min, RoleSet{Role::Admin});
  EXPECT_EQ(approve(admins_only, kSupervisor, kChange, kHash, kNow).result, ApprovalCheck::RoleNotAllowed);
  EXPECT_EQ(approve(admins_only, kAdmin, kChange, kHash, kNow).result, ApprovalCheck::Ok);
}

}  // namespace
}  // namespace portcullis::operators
