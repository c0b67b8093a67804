// One card at one reader on a fresh engine: each row pins one rule and its reason code.
#include "portcullis/core/engine.hpp"

#include <gtest/gtest.h>

#include "test_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

struct CardCase {
  const char* name;
  const char* reader;
  std::uint64_t card;
  Timestamp at;
  Verdict verdict;
  Reason reason;
  std::optional<Factor> needed = std::nullopt;
};

class SingleCard : public ::testing::TestWithParam<CardCase> {};

TEST_P(SingleCard, DecidesWithReason) {
  const CardCase& c = GetParam();
  Engine engine{build_or_throw(test_site_definition())};
  const Outcome out = engine.apply(card(c.reader, c.card), c.at);
  ASSERT_TRUE(out.decision);
  EXPECT_EQ(to_string(out.decision->verdict), to_string(c.verdict));
  EXPECT_EQ(to_string(out.decision->reason), to_string(c.reason));
  EXPECT_EQ(out.decision->needed, c.needed);
}

const Timestamp kMonday = monday_10_local();

INSTANTIATE_TEST_SUITE_P(
    Rules, SingleCard,
    ::testing::Values(
        CardCase{"granted_through_group", "front-in", 1, kMonday, Verdict::Grant, Reason::Granted},
        CardCase{"unknown_reader", "nowhere", 1, kMonday, Verdict::Deny, Reason::UnknownReader},
        CardCase{"unknown_credential", "front-in", 99, kMonday, Verdict::Deny, Reason::UnknownCredential},
        CardCase{"person_revoked_in_site_file", "front-in", 3, kMonday, Verdict::Deny, Reason::PersonRevoked},
        CardCase{"credential_revoked_in_site_file", "front-in", 6, kMonday, Verdict::Deny,
                 Reason::CredentialRevoked},
        CardCase{"explicit_deny_beats_group_grant", "lab-in", 5, kMonday, Verdict::Deny,
                 Reason::ExplicitDeny},
        CardCase{"tier3_asks_for_pin", "hall-in", 1, kMonday, Verdict::Pending, Reason::MissingFactor,
                 Factor::Pin},
        CardCase{"clearance_missing", "hall-in", 2, kMonday, Verdict::Deny, Reason::ClearanceMissing},
        CardCase{"clearance_expired", "hall-in", 4, kMonday, Verdict::Deny, Reason::ClearanceExpired},
        CardCase{"scheduled_grant_open", "hall-in", 7, kMonday, Verdict::Pending, Reason::MissingFactor,
                 Factor::Pin},
        CardCase{"outside_schedule_sunday", "hall-in", 7, utc(2026, 11, 29, 9), Verdict::Deny,
                 Reason::OutsideSchedule},
        CardCase{"outside_schedule_evening", "hall-in", 7, utc(2026, 11, 30, 17, 30), Verdict::Deny,
                 Reason::OutsideSchedule},
        CardCase{"outside_schedule_holiday", "hall-in", 7, utc(2026, 12, 25, 9), Verdict::Deny,
                 Reason::OutsideSchedule},
        CardCase{"grant_expired", "hall-in", 7, utc(2027, 1, 4, 9), Verdict::Deny, Reason::GrantExpired},
        CardCase{"grant_not_yet_valid", "hall-in", 7, utc(2025, 12, 1, 9), Verdict::Deny,
                 Reason::GrantNotYetValid},
        // Summer: UTC+2. 15:30 UTC is 17:30 local (open); 16:30 UTC is 18:30 local (closed).
        CardCase{"dst_open", "hall-in", 7, utc(2026, 7, 6, 15, 30), Verdict::Pending, Reason::MissingFactor,
                 Factor::Pin},
        CardCase{"dst_closed", "hall-in", 7, utc(2026, 7, 6, 16, 30), Verdict::Deny, Reason::OutsideSchedule},
        CardCase{"no_grant_for_rack", "rack-1-r", 7, kMonday, Verdict::Deny, Reason::NoGrant},
        CardCase{"rack_asks_for_pin", "rack-1-r", 1, kMonday, Verdict::Pending, Reason::MissingFactor,
                 Factor::Pin},
        CardCase{"two_person_cage_asks_biometric_first", "cage-in", 1, kMonday, Verdict::Pending,
                 Reason::MissingFactor, Factor::Biometric},
        CardCase{"egress_needs_no_grant_or_factor", "hall-out", 2, kMonday, Verdict::Grant, Reason::Granted},
        CardCase{"egress_still_needs_valid_person", "hall-out", 3, kMonday, Verdict::Deny,
                 Reason::PersonRevoked},
        CardCase{"egress_ignores_explicit_deny", "lab-out", 5, kMonday, Verdict::Grant, Reason::Granted}),
    [](const ::testing::TestParamInfo<CardCase>& p) { return std::string{p.param.name}; });

// Grant coverage rules on variations of the test site.
class Coverage : public ::testing::Test {
 protected:
  SiteDefinition site = test_site_definition();
  std::string decide(const char* reader, std::uint64_t card_number) {
    Engine engine{build_or_throw(site)};
    return summary(engine.apply(card(reader, card_number), monday_10_local()));
  }
};

TEST_F(Coverage, ZoneGrantsDoNotCoverSubzonesUnlessAsked) {
  site.grants[1].zones = {ZoneId{"office"}};  // ada: office only, not the hall below it
  site.grants[1].racks.clear();
  EXPECT_EQ(decide("hall-in", 1), "deny/no_grant");
  site.grants[1].include_subzones = true;
  EXPECT_EQ(decide("hall-in", 1), "pending/missing_factor/pin");
  EXPECT_EQ(decide("rack-1-r", 1), "deny/no_grant");  // a zone grant never opens racks
}

TEST_F(Coverage, DenyOnAZoneCoversItsSubtreeAndRacks) {
  GrantDef deny;
  deny.id = GrantId{"g-deny-ada-office"};
  deny.person = PersonId{"ada"};
  deny.effect = GrantEffect::Deny;
  deny.zones = {ZoneId{"office"}};
  site.grants.push_back(deny);
  EXPECT_EQ(decide("office-in", 1), "deny/explicit_deny");
  EXPECT_EQ(decide("hall-in", 1), "deny/explicit_deny");
  EXPECT_EQ(decide("rack-1-r", 1), "deny/explicit_deny");
  EXPECT_EQ(decide("front-in", 1), "grant/granted");
}

TEST_F(Coverage, GroupDenyBeatsPersonalAllow) {
  GrantDef deny;
  deny.id = GrantId{"g-staff-no-hall"};
  deny.group = GroupId{"staff"};
  deny.effect = GrantEffect::Deny;
  deny.zones = {ZoneId{"hall"}};
  deny.schedule = ScheduleId{"business"};  // a scheduled deny applies only inside its schedule
  site.grants.push_back(deny);
  EXPECT_EQ(decide("hall-in", 1), "deny/explicit_deny");
  Engine engine{build_or_throw(site)};
  EXPECT_EQ(summary(engine.apply(card("hall-in", 1), utc(2026, 11, 29, 9))),
            "pending/missing_factor/pin");  // Sunday
}

TEST_F(Coverage, RevokedGrantInTheSiteFile) {
  site.grants[0].revoked = true;
  EXPECT_EQ(decide("front-in", 1), "deny/grant_revoked");
}

TEST(DeviceBinding, ReadersAnswerOnlyToTheirDevices) {
  Engine engine{build_or_throw(test_site_definition())};  // binding is always on
  DeviceEvent own = card("front-in", 1);
  EXPECT_EQ(summary(engine.apply(own, monday_10_local())), "grant/granted");
  DeviceEvent foreign = card("office-in", 1);
  foreign.device = DeviceId{"rack-ctl-1"};  // serves rack-1 only
  const EngineState before = engine.state();
  const Outcome out = engine.apply(foreign, monday_10_local() + 1s);
  EXPECT_EQ(summary(out), "deny/device_out_of_scope");
  EXPECT_EQ(out.refused_field, "reader");
  ASSERT_EQ(out.alarms.size(), 1U);
  EXPECT_EQ(out.alarms[0].kind, "device_out_of_scope");
  EXPECT_EQ(out.alarms[0].subject, "rack-ctl-1");
  EXPECT_EQ(engine.state(), before) << "a refused event changes nothing";
}

TEST(ReaderCapability, AFactorFromAReaderThatCannotReadItIsNeverAnAttempt) {
  SiteDefinition site = test_site_definition();
  for (auto& portal : site.portals) {
    for (auto& r : portal.readers) {
      if (r.id.str() == "front-in") r.reads = kReadsRfid;  // an RFID antenna, not a badge reader
    }
  }
  Engine engine{build_or_throw(site)};
  const Outcome out = engine.apply(card("front-in", 1), monday_10_local());
  EXPECT_EQ(summary(out), "deny/reader_cannot_read");
  ASSERT_EQ(out.alarms.size(), 1U);
  EXPECT_EQ(out.alarms[0].kind, "reader_capability_mismatch");
  EXPECT_TRUE(engine.state().attempts.empty());
  EXPECT_TRUE(engine.state().presence.empty()) << "nobody moved";
}

TEST(ReasonStrings, AreStableApi) {
  EXPECT_EQ(to_string(Reason::Granted), "granted");
  EXPECT_EQ(to_string(Reason::MissingFactor), "missing_factor");
  EXPECT_EQ(to_string(Reason::AntiPassback), "anti_passback");
  EXPECT_EQ(to_string(Reason::ExplicitDeny), "explicit_deny");
  EXPECT_EQ(to_string(Reason::ClearanceMissing), "clearance_missing");
  EXPECT_EQ(to_string(Reason::GrantRevoked), "grant_revoked");
  EXPECT_EQ(to_string(Reason::SelfApproval), "self_approval");
  EXPECT_EQ(to_string(Factor::Pin), "pin");
  EXPECT_EQ(to_string(Factor::Biometric), "biometric");
}

TEST(Engine, EmptyModelDeniesEverything) {
  Engine engine{nullptr};
  const auto out = engine.apply(card("front-in", 1), monday_10_local());
  ASSERT_TRUE(out.decision);
  EXPECT_EQ(out.decision->reason, Reason::DeviceOutOfScope) << "no device is known either";
}

TEST(Engine, NonAccessEventsDecideNothing) {
  Engine engine{build_or_throw(test_site_definition())};
  DeviceEvent e;
  e.device = DeviceId{"ctl-1"};
  e.payload = Heartbeat{};
  EXPECT_FALSE(engine.apply(e, monday_10_local()).decision);
}

}  // namespace
}  // namespace portcullis::core
