// Restart-rebuild: the stored log (events with PINs replaced by the verdicts used, operator actions, times)
// replayed into a fresh engine rebuilds the same state, and later decisions are the same.
#include <gtest/gtest.h>

#include <variant>

#include "test_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

class ForbiddenVerifier final : public PinVerifier {
 public:
  PinMatch verify(std::string_view, std::string_view) const override {
    ADD_FAILURE() << "replay must not verify PINs again";
    return PinMatch::Mismatch;
  }
};

struct Stored {
  std::variant<DeviceEvent, std::pair<OperatorAction, Actor>> input;
  Timestamp at;
};

// What the server does before storing: drop the clear PIN, keep the verdict the engine used.
DeviceEvent redacted(DeviceEvent e, const Outcome& out) {
  if (auto* p = std::get_if<PinEntered>(&e.payload)) {
    p->pin.clear();
    p->recorded_verdict = out.pin_verdict;
    p->verified_for = out.pin_verified_for;
  }
  return e;
}

TEST(Replay, FreshEngineRebuildsStateAndLaterDecisions) {
  const auto model = build_or_throw(test_site_definition());
  Engine live{model, std::make_shared<FakePinVerifier>()};
  std::vector<Stored> log;
  std::vector<Outcome> outcomes;
  Timestamp t = monday_10_local();
  const Actor sup{OperatorId{"sup"}, PersonId{"fay"}, true};
  const Actor guard{OperatorId{"guard"}, PersonId{}, false};

  auto device = [&](DeviceEvent e) {
    t += 2s;
    Outcome out = live.apply(e, t);
    log.push_back({redacted(std::move(e), out), t});
    outcomes.push_back(std::move(out));
  };
  auto action = [&](OperatorAction a, const Actor& who) {
    t += 2s;
    outcomes.push_back(live.apply(a, t, who));
    log.push_back({std::pair{std::move(a), who}, t});
  };

  device(card("front-in", 1));
  device(card("office-in", 1));
  device(card("hall-in", 1));
  device(pin("hall-in", "0000"));
  device(pin("hall-in", "1234"));
  device(card("office-in", 7));
  device(card("hall-in", 7));
  device(pin("hall-in", "0000"));  // fay: one failure stays counted
  device(card("hall-in", 4));
  action(RevokeCredential{CredentialId{"carl-card"}, "lost"}, guard);
  action(RequestJitGrant{"r1", PersonId{"bob"}, ZoneId{"lab"}, "repair", 2h}, guard);
  action(ApproveJitGrant{"r1", "ok"}, sup);
  action(SetLockdown{ZoneId{"lab"}, "drill"}, sup);
  device(card("lab-in", 2));
  action(ClearLockdown{ZoneId{"lab"}, "drill over"}, sup);
  device(card("lab-in", 2));
  device(card("rack-1-r", 1));  // a pending attempt survives the restart
  device(card("office-in", 1));

  Engine rebuilt{model, std::make_shared<ForbiddenVerifier>()};
  for (std::size_t i = 0; i < log.size(); ++i) {
    const Stored& s = log[i];
    const Outcome out = std::holds_alternative<DeviceEvent>(s.input)
                            ? rebuilt.apply(std::get<DeviceEvent>(s.input), s.at)
                            : rebuilt.apply(std::get<1>(s.input).first, s.at, std::get<1>(s.input).second);
    EXPECT_EQ(out, outcomes[i]) << "entry " << i << ": " << summary(out) << " vs " << summary(outcomes[i]);
  }
  EXPECT_TRUE(rebuilt.state() == live.state());
  EXPECT_FALSE(live.state().presence.empty());
  EXPECT_EQ(live.state().pin_failures.size(), 1U);
  EXPECT_EQ(live.state().attempts.size(), 1U);

  // Later decisions agree (rebuilt gets the recorded verdict, as the server would store it).
  auto next = [&](DeviceEvent e) {
    t += 2s;
    const Outcome a = live.apply(e, t);
    const Outcome b = rebuilt.apply(redacted(e, a), t);
    EXPECT_EQ(a, b) << summary(a) << " vs " << summary(b);
    return summary(a);
  };
  EXPECT_EQ(next(pin("rack-1-r", "1234")), "grant/granted");
  EXPECT_EQ(next(card("office-in", 1)), "deny/anti_passback");
  EXPECT_EQ(next(card("lab-in", 2)), "grant/granted");
  EXPECT_EQ(next(card("front-in", 4)), "deny/credential_revoked");
  EXPECT_TRUE(rebuilt.state() == live.state());
}

}  // namespace
}  // namespace portcullis::core

namespace portcullis::core {
namespace {
using namespace testing;

TEST(ReplaceModel, KeepsOverridesAndPresenceButDropsPendingAttempts) {
  Engine engine{build_or_throw(test_site_definition()), std::make_shared<FakePinVerifier>()};
  Timestamp t = monday_10_local();
  (void)engine.apply(RevokePerson{PersonId{"bob"}, "x"}, t, Actor{OperatorId{"op"}, PersonId{}, false});
  EXPECT_EQ(summary(engine.apply(card("office-in", 1), t += 1s)), "grant/granted");
  EXPECT_EQ(summary(engine.apply(card("hall-in", 1), t += 1s)), "pending/missing_factor/pin");
  SiteDefinition next = test_site_definition();
  next.version = "2";
  engine.replace_model(build_or_throw(next));
  EXPECT_EQ(engine.model().version(), "2");
  EXPECT_EQ(summary(engine.apply(pin("hall-in", "1234"), t += 1s)), "deny/missing_factor/badge");
  EXPECT_EQ(summary(engine.apply(card("front-in", 2), t += 1s)), "deny/person_revoked");
  EXPECT_EQ(summary(engine.apply(card("office-in", 1), t += 1s)), "deny/anti_passback");
  engine.replace_model(nullptr);  // ignored: never run without a model
  EXPECT_EQ(engine.model().version(), "2");
}

}  // namespace
}  // namespace portcullis::core
