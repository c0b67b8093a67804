// A supervisor override is never a one-person bypass of a two-person place or a lockdown: a second operator,
// another person, must give the same override within the window (docs/access-policy.md, "Supervisor
// override").
#include <gtest/gtest.h>

#include "scenario_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

const Actor kSam{OperatorId{"sam"}, PersonId{"sam-person"}, true};
const Actor kSue{OperatorId{"sue"}, PersonId{"sue-person"}, true};
const Actor kSamsSecondAccount{OperatorId{"sam-2"}, PersonId{"sam-person"}, true};

std::string act_as(Scenario& s, const OperatorAction& action, const Actor& who, double after_s = 1) {
  s.now += std::chrono::milliseconds{static_cast<std::int64_t>(after_s * 1000)};
  s.last = s.engine.apply(action, s.now, who);
  return Scenario::describe(s.last);
}

TEST(SupervisorOverride, OneSupervisorAloneCannotOverrideIntoATwoPersonPlace) {
  Scenario s;
  const SupervisorOverride let_cy_in{PersonId{"cy"}, PortalId{"cage-door"}, RackId{}, "vendor swap"};
  EXPECT_EQ(act_as(s, let_cy_in, kSam), "pending/second_operator_required");
  EXPECT_FALSE(s.engine.state().presence.contains(PersonId{"cy"}));
  EXPECT_EQ(act_as(s, let_cy_in, kSam), "pending/second_operator_required") << "the same operator twice";
  EXPECT_EQ(act_as(s, let_cy_in, kSamsSecondAccount), "deny/self_approval") << "one person, two accounts";
  EXPECT_EQ(act_as(s, let_cy_in, kSue), "grant/supervisor_override !supervisor_override");
  EXPECT_EQ(s.engine.state().presence.at(PersonId{"cy"}).zone, ZoneId{"cage"});
  EXPECT_NE(s.last.alarms.at(0).detail.find("sam and sue"), std::string::npos) << s.last.alarms.at(0).detail;
  EXPECT_EQ(s.tick(31), "- !lone_person");  // alone in the cage: the override does not hide it
}

TEST(SupervisorOverride, OneSupervisorAloneCannotOverrideThroughALockdown) {
  Scenario s;
  EXPECT_EQ(act_as(s, SetLockdown{ZoneId{"hall"}, "incident"}, kSam), "grant/applied !lockdown");
  const SupervisorOverride responder{PersonId{"ada"}, PortalId{"inner"}, RackId{}, "responder"};
  EXPECT_EQ(act_as(s, responder, kSam), "pending/second_operator_required");
  EXPECT_EQ(act_as(s, responder, kSue), "grant/supervisor_override !supervisor_override");
}

TEST(SupervisorOverride, AnUnlinkedAccountNeverConfirmsAnOverride) {
  Scenario s;
  const Actor unlinked{OperatorId{"svc"}, PersonId{}, true};
  const SupervisorOverride let_cy_in{PersonId{"cy"}, PortalId{"cage-door"}, RackId{}, "vendor swap"};
  EXPECT_EQ(act_as(s, let_cy_in, kSam), "pending/second_operator_required");
  EXPECT_EQ(act_as(s, let_cy_in, unlinked), "deny/self_approval");
}

TEST(SupervisorOverride, TheSecondOperatorMustComeWithinTheWindow) {
  Scenario s;
  const SupervisorOverride let_cy_in{PersonId{"cy"}, PortalId{"cage-door"}, RackId{}, "vendor swap"};
  EXPECT_EQ(act_as(s, let_cy_in, kSam), "pending/second_operator_required");
  EXPECT_EQ(act_as(s, let_cy_in, kSue, 121), "pending/second_operator_required") << "a new first step";
  EXPECT_EQ(act_as(s, let_cy_in, kSam), "grant/supervisor_override !supervisor_override");
}

TEST(SupervisorOverride, AnOrdinaryDoorStillTakesOneSupervisor) {
  Scenario s;
  EXPECT_EQ(act_as(s, SupervisorOverride{PersonId{"cy"}, PortalId{"outer"}, RackId{}, "escort"}, kSam),
            "grant/supervisor_override !supervisor_override");
}

}  // namespace
}  // namespace portcullis::core
