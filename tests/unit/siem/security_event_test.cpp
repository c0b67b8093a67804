// Which committed records reach the SIEM, and what their messages carry: alarms in every state, denied
// accesses, the security facts with their stored payload; granted badges and plain facts stay out.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "portcullis/siem/security_event.hpp"

namespace portcullis::siem {
namespace {

using nlohmann::json;

ingest::LiveUpdate update_of(std::string type, std::int64_t seq) {
  ingest::LiveUpdate u;
  u.site_seq = seq;
  u.at = core::Timestamp{std::chrono::microseconds{1'796'000'000'000'000}};
  u.type = std::move(type);
  return u;
}

core::AlarmRecord alarm(core::AlarmState state) {
  core::AlarmRecord a;
  a.id = "A12.0";
  a.kind = "anti_passback";
  a.severity = core::Severity::High;
  a.subject = "office";
  a.detail = "entered twice";
  a.state = state;
  return a;
}

TEST(SecurityEvents, ARaisedAlarmIsForwardedWithItsIdAndSeverity) {
  auto u = update_of("credential", 12);
  u.alarms.push_back(alarm(core::AlarmState::Raised));
  const auto events = security_events(u, "ams-dc1");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].name, "alarm.raised");
  EXPECT_EQ(events[0].severity, SyslogSeverity::Error);
  EXPECT_EQ(events[0].alarm_id, "A12.0");
  const auto body = json::parse(events[0].json);
  EXPECT_EQ(body.at("site_id"), "ams-dc1");
  EXPECT_EQ(body.at("site_seq"), 12);
  EXPECT_EQ(body.at("alarm").at("kind"), "anti_passback");
  EXPECT_EQ(body.at("alarm").at("severity"), "high");
}

TEST(SecurityEvents, AnAcknowledgementNamesWhoAndWhy) {
  auto u = update_of("alarm.acknowledged", 13);
  auto a = alarm(core::AlarmState::Acknowledged);
  a.acknowledged_by = "gil";
  a.acknowledge_comment = "spoke to Alice";
  u.alarms.push_back(a);
  const auto events = security_events(u, "ams-dc1");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].name, "alarm.acknowledged");
  const auto body = json::parse(events[0].json);
  EXPECT_EQ(body.at("alarm").at("acknowledged_by"), "gil");
  EXPECT_EQ(body.at("alarm").at("acknowledge_comment"), "spoke to Alice");
}

TEST(SecurityEvents, ADeniedAccessIsForwardedAndAGrantIsNot) {
  auto denied = update_of("credential", 20);
  denied.device_id = "ctl-lobby";
  core::Outcome outcome;
  outcome.decision = core::Decision{};
  outcome.decision->verdict = core::Verdict::Deny;
  outcome.decision->reason = core::Reason::UnknownCredential;
  outcome.decision->portal = core::PortalId{"main-entrance"};
  denied.outcome = outcome;
  const auto events = security_events(denied, "ams-dc1");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].name, "access.denied");
  const auto body = json::parse(events[0].json);
  EXPECT_EQ(body.at("reason"), "unknown_credential");
  EXPECT_EQ(body.at("portal"), "main-entrance");
  EXPECT_EQ(body.at("device_id"), "ctl-lobby");

  auto granted = denied;
  granted.outcome->decision->verdict = core::Verdict::Grant;
  EXPECT_TRUE(security_events(granted, "ams-dc1").empty());
}

TEST(SecurityEvents, ASecurityFactCarriesItsStoredPayload) {
  auto u = update_of("operator.login_failed", 30);
  u.payload_json = R"({"detail":"wrong_password","username":"gil","remote_address":"10.0.0.9"})";
  const auto events = security_events(u, "ams-dc1");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].name, "operator.login_failed");
  EXPECT_EQ(events[0].severity, SyslogSeverity::Warning);
  EXPECT_EQ(json::parse(events[0].json).at("payload").at("username"), "gil");
}

TEST(SecurityEvents, RevocationsAndAdminChangesAreForwarded) {
  for (const char* type : {"policy.revoke_credential", "change.approved", "security.device_auth_failed",
                           "operator.login", "site.loaded", "command.issued"}) {
    auto u = update_of(type, 31);
    u.payload_json = "{}";
    EXPECT_EQ(security_events(u, "s").size(), 1u) << type;
  }
  for (const char* type : {"heartbeat", "asset.moved", "engine.deadlines", "epcis.captured"}) {
    EXPECT_TRUE(security_events(update_of(type, 32), "s").empty()) << type;
  }
}

TEST(SecurityEvents, ARefusedOperatorActionIsItsOwnFactNotADeniedAccess) {
  auto u = update_of("policy.revoke_credential", 40);
  u.payload_json = "{}";
  core::Outcome outcome;
  outcome.decision = core::Decision{};
  outcome.decision->verdict = core::Verdict::Deny;
  outcome.decision->reason = core::Reason::SelfApproval;
  u.outcome = outcome;
  const auto events = security_events(u, "s");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].name, "policy.revoke_credential");
  EXPECT_EQ(json::parse(events[0].json).at("reason"), "self_approval");
}

TEST(SecurityEvents, LongAndBrokenTextStaysBoundedValidJson) {
  auto u = update_of("operator.login_failed", 33);
  u.payload_json = "{\"username\":\"" + std::string(5000, 'x') + "\xff\"}";
  const auto events = security_events(u, "s");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_LT(events[0].json.size(), 2 * kMaxJsonText);
  EXPECT_FALSE(json::parse(events[0].json, nullptr, false).is_discarded());
}

TEST(SecurityEvents, TheSyslogMessageCarriesSiteAndSeqInStructuredData) {
  auto u = update_of("credential", 12);
  u.alarms.push_back(alarm(core::AlarmState::Raised));
  SyslogIdentity who;
  who.facility = 10;
  who.hostname = "pc-1";
  who.procid = "7";
  who.site_id = "ams-dc1";
  const auto text = syslog_message_of(security_events(u, "ams-dc1").at(0), who, u.at);
  EXPECT_EQ(text.substr(0, text.find(" \xEF\xBB\xBF")),
            "<83>1 2026-11-30T00:53:20.000000Z pc-1 portcullisd 7 alarm.raised [portcullis@32473 "
            "site_id=\"ams-dc1\" site_seq=\"12\" event=\"alarm.raised\" alarm_id=\"A12.0\"]");
}

}  // namespace
}  // namespace portcullis::siem
