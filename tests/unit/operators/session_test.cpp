#include "portcullis/operators/session.hpp"

#include <gtest/gtest.h>

#include <string>

#include "portcullis/operators/crypto/digest.hpp"
#include "portcullis/operators/crypto/random.hpp"

namespace portcullis::operators {
namespace {

using namespace std::chrono_literals;

const core::Timestamp kNow = core::from_unix_micros(1'700'000'000'000'000);
const core::OperatorId kAlice{"op-alice"};
const core::OperatorId kBob{"op-bob"};

// Deterministic tokens and a visible "hash", so tests can name sessions.
struct FakeTokens {
  int issued = 0;
  TokenSource source() {
    return [this] { return "token-" + std::to_string(++issued); };
  }
};
const TokenHasher kHash = [](std::string_view token) { return "h(" + std::string{token} + ")"; };

TEST(Sessions, OnlyTheHashOfTheTokenIsStored) {
  FakeTokens tokens;
  const auto issued = issue_session(tokens.source(), kHash, kAlice, Role::Guard, kNow);
  EXPECT_EQ(issued.token, "token-1");
  EXPECT_EQ(issued.session.token_hash, "h(token-1)");
  EXPECT_EQ(issued.session.expires_at, kNow + 8h);
}

TEST(Sessions, RealTokensAreRandomAndHashedWithSha256) {
  SessionRegistry registry;
  const TokenSource random = crypto::random_token;
  const TokenHasher sha256 = [](std::string_view t) { return crypto::sha256_hex(t); };
  const std::string a = registry.open(random, sha256, kAlice, Role::Guard, kNow);
  const std::string b = registry.open(random, sha256, kAlice, Role::Guard, kNow);
  EXPECT_NE(a, b);
  EXPECT_TRUE(registry.validate(crypto::sha256_hex(a), kNow));
  EXPECT_FALSE(registry.validate(a, kNow)) << "the raw token is not a key";
}

TEST(Sessions, AValidSessionNamesItsOperatorAndRole) {
  SessionRegistry registry;
  FakeTokens tokens;
  const std::string token = registry.open(tokens.source(), kHash, kAlice, Role::Supervisor, kNow);
  const auto validation = registry.validate(kHash(token), kNow + 1min);
  ASSERT_EQ(validation.status, SessionStatus::Valid);
  EXPECT_TRUE(validation.principal.is_operator());
  EXPECT_EQ(validation.principal.operator_id, kAlice);
  EXPECT_EQ(validation.principal.role, Role::Supervisor);
}

TEST(Sessions, ThePrincipalCarriesTheLinkedPerson) {
  SessionRegistry registry;
  FakeTokens tokens;
  const std::string token =
      registry.open(tokens.source(), kHash, kAlice, Role::Admin, kNow, core::PersonId{"p-alice"});
  EXPECT_EQ(registry.validate(kHash(token), kNow).principal.person, core::PersonId{"p-alice"});
}

TEST(Sessions, UnknownTokensAreAnonymous) {
  SessionRegistry registry;
  const auto validation = registry.validate("h(nothing)", kNow);
  EXPECT_EQ(validation.status, SessionStatus::Unknown);
  EXPECT_EQ(validation.principal.kind, PrincipalKind::Anonymous);
}

TEST(Sessions, ActivityPushesTheIdleTimeoutBack) {
  SessionRegistry registry;
  FakeTokens tokens;
  const auto hash = kHash(registry.open(tokens.source(), kHash, kAlice, Role::Guard, kNow));
  EXPECT_TRUE(registry.validate(hash, kNow + 14min));
  EXPECT_TRUE(registry.validate(hash, kNow + 28min));
  EXPECT_EQ(registry.validate(hash, kNow + 43min).status, SessionStatus::IdleTimedOut);
}

TEST(Sessions, PeekingDoesNotCountAsActivity) {
  SessionRegistry registry;
  FakeTokens tokens;
  const auto hash = kHash(registry.open(tokens.source(), kHash, kAlice, Role::Guard, kNow));
  EXPECT_TRUE(registry.peek(hash, kNow + 14min));
  EXPECT_EQ(registry.peek(hash, kNow + 15min).status, SessionStatus::IdleTimedOut);
}

TEST(Sessions, TheAbsoluteLifetimeHoldsDespiteActivity) {
  SessionRegistry registry;
  FakeTokens tokens;
  const auto hash = kHash(registry.open(tokens.source(), kHash, kAlice, Role::Guard, kNow));
  core::Timestamp t = kNow;
  while (t + 10min < kNow + 8h) {
    t += 10min;
    ASSERT_TRUE(registry.validate(hash, t));
  }
  EXPECT_EQ(registry.validate(hash, kNow + 8h).status, SessionStatus::Expired);
}

TEST(Sessions, LogoutEndsOneSession) {
  SessionRegistry registry;
  FakeTokens tokens;
  const auto first = kHash(registry.open(tokens.source(), kHash, kAlice, Role::Guard, kNow));
  const auto second = kHash(registry.open(tokens.source(), kHash, kAlice, Role::Guard, kNow));
  EXPECT_TRUE(registry.end(first, kNow + 1min, SessionEndReason::LoggedOut));
  EXPECT_FALSE(registry.end(first, kNow + 1min, SessionEndReason::LoggedOut)) << "already ended";
  EXPECT_EQ(registry.validate(first, kNow + 1min).status, SessionStatus::Ended);
  EXPECT_TRUE(registry.validate(second, kNow + 1min));
}

TEST(Sessions, DisablingAnOperatorEndsAllTheirSessionsAndNoOneElses) {
  SessionRegistry registry;
  FakeTokens tokens;
  const auto alice1 = kHash(registry.open(tokens.source(), kHash, kAlice, Role::Guard, kNow));
  const auto alice2 = kHash(registry.open(tokens.source(), kHash, kAlice, Role::Guard, kNow));
  const auto bob = kHash(registry.open(tokens.source(), kHash, kBob, Role::Admin, kNow));
  EXPECT_EQ(registry.end_all_for_operator(kAlice, kNow + 1s, SessionEndReason::OperatorDisabled), 2u);
  EXPECT_EQ(registry.validate(alice1, kNow + 1s).status, SessionStatus::Ended);
  EXPECT_EQ(registry.peek(alice2, kNow + 1s).status, SessionStatus::Ended);
  EXPECT_TRUE(registry.validate(bob, kNow + 1s));
}

TEST(Sessions, PurgeForgetsWhatCanNoLongerBeValid) {
  SessionRegistry registry;
  FakeTokens tokens;
  const auto ended = kHash(registry.open(tokens.source(), kHash, kAlice, Role::Guard, kNow));
  const auto idle = kHash(registry.open(tokens.source(), kHash, kBob, Role::Guard, kNow));
  const auto live = kHash(registry.open(tokens.source(), kHash, kBob, Role::Guard, kNow));
  registry.end(ended, kNow, SessionEndReason::Revoked);
  EXPECT_TRUE(registry.validate(live, kNow + 10min));
  EXPECT_EQ(registry.purge(kNow + 20min), 2u);
  EXPECT_EQ(registry.size(), 1u);
  EXPECT_EQ(registry.validate(idle, kNow + 20min).status, SessionStatus::Unknown);
}

TEST(Sessions, StatusOfAStoredRecordIsPure) {
  Session s;
  s.created_at = s.last_activity_at = kNow;
  s.expires_at = kNow + 1h;
  EXPECT_EQ(session_status(s, kNow), SessionStatus::Valid);
  EXPECT_EQ(session_status(s, kNow + 1h), SessionStatus::Expired);
  EXPECT_EQ(session_status(s, kNow + 15min), SessionStatus::IdleTimedOut);
  s.ended_at = kNow;
  EXPECT_EQ(session_status(s, kNow), SessionStatus::Ended);
}

TEST(Sessions, AStoredSessionIsTakenInAfterARestart) {
  FakeTokens tokens;
  const auto issued = issue_session(tokens.source(), kHash, kAlice, Role::Supervisor, kNow);
  SessionRegistry restarted;
  restarted.merge(issued.session);
  const auto v = restarted.validate("h(token-1)", kNow + 5min);
  ASSERT_TRUE(v);
  EXPECT_EQ(v.principal.operator_id, kAlice);
  EXPECT_EQ(v.principal.role, Role::Supervisor);
}

TEST(Sessions, MergingKeepsTheLaterActivityAndAnyEnd) {
  FakeTokens tokens;
  SessionRegistry here;
  const std::string token = here.open(tokens.source(), kHash, kAlice, Role::Guard, kNow);
  Session elsewhere = *here.find(kHash(token));
  ASSERT_TRUE(here.validate(kHash(token), kNow + 10min));

  // Older activity from another instance does not pull the idle timeout forward.
  elsewhere.last_activity_at = kNow + 1min;
  here.merge(elsewhere);
  EXPECT_EQ(here.find(kHash(token))->last_activity_at, kNow + 10min);
  // Newer activity elsewhere keeps the session alive here too.
  elsewhere.last_activity_at = kNow + 20min;
  here.merge(elsewhere);
  EXPECT_TRUE(here.peek(kHash(token), kNow + 30min));
  // A logout on another instance ends it here; a later merge without the end does not revive it.
  elsewhere.ended_at = kNow + 21min;
  elsewhere.end_reason = SessionEndReason::LoggedOut;
  here.merge(elsewhere);
  EXPECT_EQ(here.peek(kHash(token), kNow + 22min).status, SessionStatus::Ended);
  elsewhere.ended_at.reset();
  here.merge(elsewhere);
  EXPECT_EQ(here.peek(kHash(token), kNow + 22min).status, SessionStatus::Ended);
  EXPECT_EQ(here.find(kHash(token))->end_reason, SessionEndReason::LoggedOut);
}

}  // namespace
}  // namespace portcullis::operators
