// Memory grows without bound on the decision path: just-in-time requests, their ended grants, fire-clear
// requests and overrides waiting for a second operator were kept forever. A year of requests must leave
// at most about a day's worth in memory, and forgetting must not change any answer a replay gives.
#include <gtest/gtest.h>

#include "scenario_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;
using namespace std::chrono_literals;

TEST(MemoryGrowsWithoutBound, JustInTimeRequestsAndTheirEndedGrantsLeaveMemoryADayAfterTheyEnd) {
  Scenario s;
  const Actor guard{OperatorId{"guard"}, PersonId{"cy"}, false};
  const Actor supervisor{OperatorId{"sup"}, PersonId{"dee"}, true};
  std::size_t most_requests = 0, most_grants = 0;
  for (int i = 0; i < 2000; ++i) {  // one every 4 hours: almost a year
    const std::string id = "jit-" + std::to_string(i);
    s.act_by(guard, RequestJitGrant{id, PersonId{"ada"}, ZoneId{"hall"}, "work", 1h}, 4 * 3600);
    ASSERT_EQ(summary(s.last), "grant/applied") << i;
    if (i % 2 == 0) s.act_by(supervisor, ApproveJitGrant{id, ""}, 60);
    most_requests = std::max(most_requests, s.engine.state().jit_requests.size());
    most_grants = std::max(most_grants, s.engine.state().added_grants.size());
  }
  // Useful for the approval window (24 h) plus the longest grant (12 h), then remembered for a day: at
  // most 60 h of requests, one every 4 h.
  EXPECT_LE(most_requests, 16U);
  EXPECT_LE(most_grants, 8U);
  // A request still remembered answers as before: approving one past its window is request_expired.
  s.act_by(guard, RequestJitGrant{"jit-late", PersonId{"ada"}, ZoneId{"hall"}, "work", 1h}, 60);
  s.act_by(supervisor, ApproveJitGrant{"jit-late", ""}, 25 * 3600);
  EXPECT_EQ(summary(s.last), "deny/request_expired");
}

TEST(MemoryGrowsWithoutBound, LapsedFireClearRequestsAndOverridesLeaveMemory) {
  Scenario s;
  EXPECT_EQ(s.fire(true), "- !fire_alarm");  // a panel that never clears
  const Actor first{OperatorId{"sup"}, PersonId{"dee"}, true};
  std::size_t most_clears = 0, most_overrides = 0;
  for (int i = 0; i < 1000; ++i) {  // never confirmed, one an hour
    s.act_by(first, ClearFire{"cf-" + std::to_string(i), ZoneId{}, "panel gone"}, 3600);
    ASSERT_EQ(summary(s.last), "grant/applied") << i;
    s.act_by(first, SupervisorOverride{PersonId{"ada"}, PortalId{"cage-door"}, RackId{}, "escort"}, 1);
    most_clears = std::max(most_clears, s.engine.state().fire_clear_requests.size());
    most_overrides = std::max(most_overrides, s.engine.state().pending_overrides.size());
  }
  EXPECT_LE(most_clears, 26U);  // 10 minutes to confirm, then remembered for a day
  EXPECT_LE(most_overrides, 1U);
}

// Forgetting happens at recorded requests, so the engine rebuilt from the same log answers identically.
TEST(MemoryGrowsWithoutBound, AReplayForgetsAtTheSamePointsAndAnswersTheSame) {
  Scenario s;
  const Actor guard{OperatorId{"guard"}, PersonId{"cy"}, false};
  const Actor supervisor{OperatorId{"sup"}, PersonId{"dee"}, true};
  for (int i = 0; i < 60; ++i) {
    const std::string id = "jit-" + std::to_string(i);
    s.act_by(guard, RequestJitGrant{id, PersonId{"ada"}, ZoneId{"hall"}, "work", 1h}, 6 * 3600);
    s.act_by(supervisor, ApproveJitGrant{i % 3 == 0 ? "jit-0" : id, ""}, 60);  // jit-0: long forgotten
    s.badge("inner-in", 1, 30);
  }
  Engine replayed{build_or_throw(scenario_site_definition()), std::make_shared<FakePinVerifier>()};
  EXPECT_EQ(s.replay(replayed), std::nullopt);
}

}  // namespace
}  // namespace portcullis::core
