// Remote door commands meet the rules a badge meets (docs/operator-api.md, "Door commands"): the interlock,
// lockdowns, fire egress and the place's tier. Each test is named after the defect it pins.
#include <gtest/gtest.h>

#include "portcullis/core/policy/remote_command_rules.hpp"
#include "scenario_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

CommandJudgement judge(Scenario& s, const char* door, DoorCommandKind kind) {
  return judge_door_command(s.engine.model(), s.engine.state(), PortalId{door}, kind, s.now, 3);
}

TEST(RemoteCommands, RemoteUnlockOfAMantrapDoorNeedsASecondOperator) {
  Scenario s;
  const auto j = judge(s, "outer", DoorCommandKind::LockOpen);
  EXPECT_EQ(j.ruling, CommandRuling::NeedsSecondOperator);
  EXPECT_EQ(j.reason, "mantrap");
  EXPECT_EQ(judge(s, "inner", DoorCommandKind::Unlock).ruling, CommandRuling::NeedsSecondOperator);
  EXPECT_EQ(judge(s, "outer", DoorCommandKind::Lock).ruling, CommandRuling::Allowed);
}

TEST(RemoteCommands, RemoteUnlockWhileTheOtherVestibuleDoorIsOpenIsRefusedAsInterlockBusy) {
  Scenario s;
  s.contact("inner", true, 1);
  s.tick(1);  // debounced open
  const auto j = judge(s, "outer", DoorCommandKind::MomentaryUnlock);
  EXPECT_EQ(j.ruling, CommandRuling::Refused);
  EXPECT_EQ(j.reason, "interlock_busy");
  s.contact("inner", false, 1);
  s.tick(1);
  EXPECT_EQ(judge(s, "outer", DoorCommandKind::MomentaryUnlock).ruling, CommandRuling::NeedsSecondOperator);
}

TEST(RemoteCommands, RemoteUnlockIntoALockedDownZoneIsRefused) {
  Scenario s;
  EXPECT_EQ(judge(s, "front", DoorCommandKind::Unlock).ruling, CommandRuling::Allowed);
  s.act(SetLockdown{ZoneId{"lobby"}, "incident"});
  const auto j = judge(s, "front", DoorCommandKind::Unlock);
  EXPECT_EQ(j.ruling, CommandRuling::Refused);
  EXPECT_EQ(j.reason, "lockdown");
  // Locking is always possible during a lockdown.
  EXPECT_EQ(judge(s, "front", DoorCommandKind::Lock).ruling, CommandRuling::Allowed);
}

TEST(RemoteCommands, RemoteLockOfAnEgressDoorDuringAFireIsRefused) {
  Scenario s;
  EXPECT_EQ(judge(s, "front", DoorCommandKind::Lock).ruling, CommandRuling::Allowed);
  s.fire(true, "lobby");
  const auto j = judge(s, "front", DoorCommandKind::Lock);  // front is fail-safe
  EXPECT_EQ(j.ruling, CommandRuling::Refused);
  EXPECT_EQ(j.reason, "fire_egress");
  EXPECT_EQ(judge(s, "inner", DoorCommandKind::Lock).reason,
            "fire_egress");  // mantrap doors are released too
  s.fire(false, "lobby");
  EXPECT_EQ(judge(s, "front", DoorCommandKind::Lock).ruling, CommandRuling::Allowed);
}

TEST(RemoteCommands, RemoteUnlockIntoATwoPersonPlaceOrHighTierNeedsASecondOperator) {
  Scenario s;
  EXPECT_EQ(judge(s, "cage-door", DoorCommandKind::MomentaryUnlock).reason, "two_person_place");
  EXPECT_EQ(judge(s, "vault-door", DoorCommandKind::Unlock).reason, "two_person_place");
  EXPECT_EQ(judge(s, "front", DoorCommandKind::MomentaryUnlock).ruling, CommandRuling::Allowed);
  // A threat level raises the lobby (tier 1) to tier 3: the front door then needs two operators.
  s.act(SetThreatLevel{ZoneId{}, 2, "credible threat"});
  const auto raised = judge(s, "front", DoorCommandKind::MomentaryUnlock);
  EXPECT_EQ(raised.ruling, CommandRuling::NeedsSecondOperator);
  EXPECT_EQ(raised.reason, "tier");
}

TEST(RemoteCommands, AnUnknownDoorIsRefused) {
  Scenario s;
  EXPECT_EQ(judge(s, "atlantis", DoorCommandKind::Lock).reason, "unknown_door");
  EXPECT_EQ(parse_door_command_kind("lock_open"), DoorCommandKind::LockOpen);
  EXPECT_FALSE(parse_door_command_kind("explode"));
}

}  // namespace
}  // namespace portcullis::core
