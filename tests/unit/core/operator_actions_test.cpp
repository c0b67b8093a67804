// Operator actions are engine inputs: revocations, added and just-in-time grants, lockdowns.
#include <gtest/gtest.h>

#include "test_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

class OperatorActions : public ::testing::Test {
 protected:
  Engine engine{build_or_throw(test_site_definition())};
  Timestamp t = monday_10_local();
  Actor guard{OperatorId{"guard-1"}, PersonId{}, false};
  Actor supervisor{OperatorId{"sup-1"}, PersonId{"fay"}, true};
  Outcome at(const DeviceEvent& e, Duration after = 1s) {
    t += after;
    return engine.apply(e, t);
  }
  Outcome act(const OperatorAction& a, const Actor& who) { return engine.apply(a, t, who); }
};

TEST_F(OperatorActions, RevokeAndRestorePersonApplyToTheNextDecision) {
  EXPECT_EQ(summary(act(RevokePerson{PersonId{"ada"}, "terminated"}, guard)), "grant/applied");
  EXPECT_EQ(summary(at(card("front-in", 1))), "deny/person_revoked");
  EXPECT_EQ(summary(act(RestorePerson{PersonId{"ada"}, "mistake"}, guard)), "grant/applied");
  EXPECT_EQ(summary(at(card("front-in", 1))), "grant/granted");
}

TEST_F(OperatorActions, RestoreOverridesTheSiteFile) {
  EXPECT_EQ(summary(at(card("front-in", 3))), "deny/person_revoked");
  act(RestorePerson{PersonId{"eve"}, "rehired"}, guard);
  EXPECT_EQ(summary(at(card("front-in", 3))), "grant/granted");
}

TEST_F(OperatorActions, RevokeCredential) {
  act(RevokeCredential{CredentialId{"ada-card"}, "lost"}, guard);
  EXPECT_EQ(summary(at(card("front-in", 1))), "deny/credential_revoked");
}

TEST_F(OperatorActions, RevokeGrant) {
  act(RevokeGrant{GrantId{"g-staff"}, "audit"}, guard);
  EXPECT_EQ(summary(at(card("front-in", 1))), "deny/grant_revoked");
  act(RestoreGrant{GrantId{"g-staff"}, "audit done"}, guard);
  EXPECT_EQ(summary(at(card("front-in", 1))), "grant/granted");
}

TEST_F(OperatorActions, RemoveGrantLeavesNoGrant) {
  EXPECT_EQ(summary(act(RemoveGrant{GrantId{"g-staff"}, "reorg"}, guard)), "grant/applied");
  EXPECT_EQ(summary(at(card("front-in", 1))), "deny/no_grant");
  EXPECT_EQ(summary(act(RemoveGrant{GrantId{"g-staff"}, "again"}, guard)), "deny/unknown_subject");
}

TEST_F(OperatorActions, AddedDenyBeatsEveryGrant) {
  GrantDef deny;
  deny.id = GrantId{"op-deny-ada"};
  deny.person = PersonId{"ada"};
  deny.effect = GrantEffect::Deny;
  deny.zones = {ZoneId{"lobby"}};
  EXPECT_EQ(summary(act(AddGrant{deny}, guard)), "grant/applied");
  EXPECT_EQ(summary(at(card("front-in", 1))), "deny/explicit_deny");
  EXPECT_EQ(summary(at(card("office-in", 1))), "deny/explicit_deny");  // a deny covers the subtree
  EXPECT_EQ(summary(act(AddGrant{deny}, guard)), "deny/duplicate_id");
  EXPECT_EQ(summary(act(RemoveGrant{deny.id, "lifted"}, guard)), "grant/applied");
  EXPECT_EQ(summary(at(card("front-in", 1))), "grant/granted");
}

TEST_F(OperatorActions, AddGrantRefusesUnknownReferences) {
  GrantDef g;
  g.id = GrantId{"op-x"};
  g.person = PersonId{"nobody"};
  g.zones = {ZoneId{"lobby"}};
  EXPECT_EQ(summary(act(AddGrant{g}, guard)), "deny/unknown_subject");
  g.person = PersonId{"ada"};
  g.zones = {ZoneId{"atlantis"}};
  EXPECT_EQ(summary(act(AddGrant{g}, guard)), "deny/unknown_subject");
}

TEST_F(OperatorActions, JitGrantIsApprovedBySomeoneElseAndEndsByItself) {
  act(RemoveGrant{GrantId{"g-staff"}, "test"}, guard);
  EXPECT_EQ(summary(act(RequestJitGrant{"r1", PersonId{"ada"}, ZoneId{"lobby"}, "delivery", 1h}, guard)),
            "grant/applied");
  EXPECT_EQ(summary(at(card("front-in", 1))), "deny/no_grant");  // not approved yet
  EXPECT_EQ(summary(act(ApproveJitGrant{"r1", "ok"}, supervisor)), "grant/applied");
  EXPECT_EQ(summary(at(card("front-in", 1))), "grant/granted");
  EXPECT_EQ(summary(at(card("front-out", 1))), "grant/granted");
  EXPECT_EQ(summary(at(card("front-in", 1), 1h)), "deny/grant_expired");
}

TEST_F(OperatorActions, SelfApprovalIsRefused) {
  const Actor requester{OperatorId{"sup-2"}, PersonId{"carl"}, true};
  act(RequestJitGrant{"r1", PersonId{"bob"}, ZoneId{"lobby"}, "work", 1h}, requester);
  EXPECT_EQ(summary(act(ApproveJitGrant{"r1", ""}, requester)), "deny/self_approval");
  // Another operator account of the same person is still the same person.
  EXPECT_EQ(summary(act(ApproveJitGrant{"r1", ""}, Actor{OperatorId{"carl-2"}, PersonId{"carl"}, true})),
            "deny/self_approval");
  // Nor may the beneficiary approve.
  EXPECT_EQ(summary(act(ApproveJitGrant{"r1", ""}, Actor{OperatorId{"bob-op"}, PersonId{"bob"}, true})),
            "deny/self_approval");
  EXPECT_EQ(summary(act(ApproveJitGrant{"r1", ""}, guard)), "deny/approver_role_required");
  EXPECT_EQ(summary(act(ApproveJitGrant{"r1", ""}, supervisor)), "grant/applied");
  EXPECT_EQ(summary(act(ApproveJitGrant{"r1", ""}, supervisor)), "deny/duplicate_id");
}

TEST_F(OperatorActions, JitRequestsExpireAndHaveAMaximumDuration) {
  EXPECT_EQ(summary(act(RequestJitGrant{"r1", PersonId{"bob"}, ZoneId{"lobby"}, "x", 13h}, guard)),
            "deny/duration_too_long");
  EXPECT_EQ(summary(act(RequestJitGrant{"r2", PersonId{"bob"}, ZoneId{"lobby"}, "x", 1h}, guard)),
            "grant/applied");
  EXPECT_EQ(summary(act(RequestJitGrant{"r2", PersonId{"bob"}, ZoneId{"lobby"}, "x", 1h}, guard)),
            "deny/duplicate_id");
  t += 25h;
  EXPECT_EQ(summary(act(ApproveJitGrant{"r2", ""}, supervisor)), "deny/request_expired");
  EXPECT_EQ(summary(act(ApproveJitGrant{"nope", ""}, supervisor)), "deny/unknown_subject");
}

TEST_F(OperatorActions, ZoneLockdownCoversItsSubtreeButNotEgress) {
  at(card("front-in", 1));
  const Outcome set = act(SetLockdown{ZoneId{"lobby"}, "incident"}, supervisor);
  EXPECT_EQ(summary(set), "grant/applied");
  ASSERT_EQ(set.alarms.size(), 1U);
  EXPECT_EQ(set.alarms[0].kind, "lockdown");
  EXPECT_EQ(summary(at(card("office-in", 1))), "deny/lockdown");
  EXPECT_EQ(summary(at(card("front-out", 1))), "grant/granted");  // never impede egress
  EXPECT_EQ(summary(at(card("front-in", 1))), "deny/lockdown");
  act(ClearLockdown{ZoneId{"lobby"}, "over"}, supervisor);
  EXPECT_EQ(summary(at(card("front-in", 1))), "grant/granted");
}

TEST_F(OperatorActions, SiteLockdown) {
  act(SetLockdown{ZoneId{}, "threat"}, supervisor);
  EXPECT_EQ(summary(at(card("front-in", 1))), "deny/lockdown");
  act(ClearLockdown{ZoneId{}, "over"}, supervisor);
  EXPECT_EQ(summary(at(card("front-in", 1))), "grant/granted");
}

TEST_F(OperatorActions, UnknownSubjectsAreRefused) {
  EXPECT_EQ(summary(act(RevokePerson{PersonId{"nobody"}, ""}, guard)), "deny/unknown_subject");
  EXPECT_EQ(summary(act(RevokeCredential{CredentialId{"nothing"}, ""}, guard)), "deny/unknown_subject");
  EXPECT_EQ(summary(act(RevokeGrant{GrantId{"nothing"}, ""}, guard)), "deny/unknown_subject");
  EXPECT_EQ(summary(act(SetLockdown{ZoneId{"atlantis"}, ""}, guard)), "deny/unknown_subject");
  EXPECT_EQ(summary(act(ForgivePresence{PersonId{"nobody"}, ""}, guard)), "deny/unknown_subject");
}

}  // namespace
}  // namespace portcullis::core
