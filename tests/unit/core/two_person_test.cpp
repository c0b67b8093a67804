// Two-person scenarios: any order, ordered (a supervisor first), same person twice, a second person without
// the biometric factor, window expiry, the lone person after one leaves (alarm, or deny the exit), racks,
// supervisor override, lockdown, fire (which keeps them for entries) and threat levels.
#include <gtest/gtest.h>

#include "scenario_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

void both_into_the_cage(Scenario& s) {
  ASSERT_EQ(s.badge("cage-in", 2), "pending/missing_factor/biometric");
  ASSERT_EQ(s.finger("cage-in", "bob"), "pending/second_person_pending/second_person");
  ASSERT_EQ(s.badge("cage-in", 1), "pending/missing_factor/biometric");
  ASSERT_EQ(s.finger("cage-in", "ada"), "grant/granted");
}

TEST(TwoPerson, AnyOrderCageGrantsBothWhenTheSecondCompletes) {
  Scenario s;
  both_into_the_cage(s);
  ASSERT_TRUE(s.last.first_person);
  EXPECT_EQ(s.last.first_person->person, PersonId{"bob"});
  EXPECT_EQ(s.last.first_person->verdict, Verdict::Grant);
  EXPECT_EQ(s.last.decision->person, PersonId{"ada"});
  EXPECT_EQ(s.engine.state().occupancy.at(ZoneId{"cage"}), 2U);
}

TEST(TwoPerson, OrderedVaultNeedsASupervisorFirst) {
  Scenario s;
  EXPECT_EQ(s.badge("vault-in", 2), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("vault-in", "bob"), "deny/two_person_order");
  EXPECT_EQ(s.badge("vault-in", 1), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("vault-in", "ada"), "pending/second_person_pending/second_person");
  EXPECT_EQ(s.badge("vault-in", 2), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("vault-in", "bob"), "grant/granted");
}

TEST(TwoPerson, SamePersonTwiceNeverCounts) {
  Scenario s;
  EXPECT_EQ(s.badge("cage-in", 1), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("cage-in", "ada"), "pending/second_person_pending/second_person");
  EXPECT_EQ(s.badge("cage-in", 1), "deny/same_person_twice");
  EXPECT_EQ(s.finger("cage-in", "ada"), "deny/same_person_twice");
  EXPECT_EQ(s.badge("cage-in", 2), "pending/missing_factor/biometric");  // Ada is still waiting
  EXPECT_EQ(s.finger("cage-in", "bob"), "grant/granted");
}

TEST(TwoPerson, SecondPersonLackingTheBiometricNeverCompletes) {
  Scenario s;
  EXPECT_EQ(s.badge("cage-in", 1), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("cage-in", "ada"), "pending/second_person_pending/second_person");
  EXPECT_EQ(s.badge("cage-in", 3), "pending/missing_factor/biometric");  // cy has no fingerprint
  EXPECT_EQ(s.badge("cage-in", 3), "pending/missing_factor/biometric");
  EXPECT_EQ(s.tick(28), "- !two_person_window_expired");
  EXPECT_FALSE(s.engine.state().presence.contains(PersonId{"ada"}));
}

TEST(TwoPerson, WindowExpiryDeniesTheLateSecondPerson) {
  Scenario s;
  EXPECT_EQ(s.badge("cage-in", 1), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("cage-in", "ada"), "pending/second_person_pending/second_person");
  EXPECT_EQ(s.badge("cage-in", 2, 20), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("cage-in", "bob", 11), "deny/window_expired !two_person_window_expired");
  // Both start again.
  EXPECT_EQ(s.badge("cage-in", 2), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("cage-in", "bob"), "pending/second_person_pending/second_person");
}

TEST(TwoPerson, LonePersonAlarmAfterTheGracePeriod) {
  Scenario s;
  both_into_the_cage(s);
  EXPECT_EQ(s.badge("cage-out", 2), "grant/granted");
  EXPECT_EQ(s.tick(29), "-");
  EXPECT_EQ(s.tick(2), "- !lone_person");
  EXPECT_EQ(s.last.alarms[0].subject, "cage");
  EXPECT_EQ(s.tick(60), "-");
  EXPECT_EQ(s.badge("cage-out", 1), "grant/granted");
  EXPECT_TRUE(s.engine.state().lone.empty());
}

TEST(TwoPerson, DenyExitPolicyMakesThePairLeaveTogether) {
  SiteDefinition site = scenario_site_definition();
  site.settings.lone_person_policy = LonePersonPolicy::DenyExit;
  Scenario s{site};
  both_into_the_cage(s);
  EXPECT_EQ(s.badge("cage-out", 2), "pending/second_person_pending/second_person");
  EXPECT_EQ(s.badge("cage-out", 1), "grant/granted");
  ASSERT_TRUE(s.last.first_person);
  EXPECT_FALSE(s.engine.state().occupancy.contains(ZoneId{"cage"}));
  EXPECT_EQ(s.tick(60), "-");
}

TEST(TwoPerson, RackOpensForTwoDistinctPersons) {
  Scenario s;
  EXPECT_EQ(s.badge("rk-r", 1), "pending/missing_factor/pin");
  EXPECT_EQ(s.pin("rk-r", 1), "pending/second_person_pending/second_person");
  EXPECT_EQ(s.badge("rk-r", 4), "pending/missing_factor/pin");
  EXPECT_EQ(s.pin("rk-r", 4), "grant/granted");
  EXPECT_EQ(s.last.decision->rack, RackId{"rk"});
}

TEST(TwoPerson, SupervisorOverrideIsItsOwnAuditedDecision) {
  Scenario s;
  const SupervisorOverride let_cy_in{PersonId{"cy"}, PortalId{"cage-door"}, RackId{}, "vendor swap"};
  EXPECT_EQ(s.act(let_cy_in, false), "deny/approver_role_required");
  // Into a two-person place one supervisor is not enough (supervisor_override_test.cpp).
  EXPECT_EQ(s.act(let_cy_in), "pending/second_operator_required");
}

TEST(TwoPerson, LockdownAtTheNextDecisionAndOverride) {
  Scenario s;
  EXPECT_EQ(s.badge("inner-in", 1), "pending/missing_factor/pin");
  EXPECT_EQ(s.act(SetLockdown{ZoneId{"hall"}, "incident"}), "grant/applied !lockdown");
  EXPECT_EQ(s.pin("inner-in", 1), "deny/lockdown");
  EXPECT_EQ(s.act(SupervisorOverride{PersonId{"ada"}, PortalId{"inner"}, RackId{}, "responder"}),
            "pending/second_operator_required");  // through a lockdown: two operators
}

TEST(TwoPerson, FireAlarmKeepsTwoPersonRulesForEntries) {
  Scenario s;
  EXPECT_EQ(s.fire(true, "hall"), "- !fire_alarm");
  EXPECT_EQ(s.badge("cage-in", 1), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("cage-in", "ada"), "pending/second_person_pending/second_person");
  EXPECT_EQ(s.badge("cage-in", 2), "pending/missing_factor/biometric");
  EXPECT_EQ(s.finger("cage-in", "bob"), "grant/granted");  // two persons: in, fire or not
  EXPECT_EQ(s.badge("cage-out", 2), "grant/fire_alarm_release");
  EXPECT_EQ(s.tick(31), "- !lone_person");  // one left behind during the fire is still an alarm
}

TEST(ThreatLevel, RaisesEveryTierAtTheNextDecision) {
  Scenario s;
  EXPECT_EQ(s.badge("front-in", 1), "grant/granted");
  EXPECT_EQ(s.act(SetThreatLevel{ZoneId{}, 1, "credible threat"}), "grant/applied !threat_level");
  EXPECT_EQ(s.badge("front-in", 2), "pending/missing_factor/pin");  // lobby now needs tier 2
  EXPECT_EQ(s.pin("front-in", 2), "grant/granted");
  EXPECT_EQ(s.badge("inner-in", 1), "pending/missing_factor/biometric");  // hall now tier 3: badge + bio
  EXPECT_EQ(s.finger("inner-bio", "ada"), "pending/second_person_pending/second_person");
  EXPECT_EQ(s.act(SetThreatLevel{ZoneId{}, 0, "over"}), "grant/applied");
  EXPECT_EQ(s.badge("front-in", 3), "grant/granted");
  EXPECT_EQ(s.act(SetThreatLevel{ZoneId{"atlantis"}, 1, ""}), "deny/unknown_subject");
}

}  // namespace
}  // namespace portcullis::core
