// The compliance reports (two-person compliance, alarm response times, revocations versus later
// badge use, presence now, asset custody, the group filter) on a seeded history, against the real PostgreSQL.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "audit_history.hpp"
#include "portcullis/audit/exporter.hpp"
#include "portcullis/storage/report_snapshot.hpp"
#include "test_database.hpp"

// GCC 12 reports std::optional<std::string> members of a reassigned ReportFilter as "maybe uninitialized"
// (a known false positive of its optional<string> copy at -O2).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace portcullis {
namespace {

using audit::OutputFormat;
using audit::ReportFilter;
using audit::ReportKind;
using nlohmann::json;
using testing::kDay;
using testing::kHour;
using testing::kMinute;

json decision(const std::string& verdict, const std::string& reason, const std::string& person,
              const std::string& portal, const std::string& zone, const std::string& credential = {}) {
  json d{{"verdict", verdict}, {"reason", reason}};
  if (!person.empty()) d["person"] = person;
  if (!portal.empty()) d["portal"] = portal;
  if (!zone.empty()) d["destination"] = zone;
  if (!credential.empty()) d["credential"] = credential;
  return d;
}

testing::HistoryEvent device(std::int64_t at, json outcome, std::string type = "credential") {
  testing::HistoryEvent e;
  e.received_us = at;
  e.type = std::move(type);
  if (!outcome.contains("alarms")) outcome["alarms"] = json::array();
  if (!outcome.contains("decision")) outcome["decision"] = nullptr;
  e.raw_outcome = outcome.dump();
  return e;
}

testing::HistoryEvent operator_record(std::int64_t at, std::string type, json payload,
                                      std::string outcome = {}) {
  testing::HistoryEvent e;
  e.received_us = at;
  e.type = std::move(type);
  e.operator_record = true;
  e.raw_payload = payload.dump();
  e.raw_outcome = outcome.empty() ? std::string{"{}"} : outcome;
  return e;
}

// An operator action as the sequencer stores it (json::stored_action_json) with the engine's answer.
testing::HistoryEvent policy(std::int64_t at, const std::string& action, json fields, bool applied = true) {
  fields["action"] = action;
  fields["actor"] = {{"id", "op-lee"}, {"person", "lee"}, {"may_approve", false}};
  const json outcome{{"alarms", json::array()},
                     {"decision", applied ? json{{"verdict", "grant"}, {"reason", "applied"}}
                                          : json{{"verdict", "deny"}, {"reason", "unknown_subject"}}}};
  return operator_record(at, "policy." + action, fields, outcome.dump());
}

json alarm(const std::string& kind, const std::string& subject, const std::string& detail = {}) {
  json a{{"kind", kind}, {"severity", "high"}, {"subject", subject}};
  if (!detail.empty()) a["detail"] = detail;
  return a;
}

class ComplianceReports : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    std::vector<testing::HistoryEvent> h;
    testing::HistoryEvent loaded;
    loaded.type = "site.loaded";
    loaded.server_fact = true;
    h.push_back(loaded);  // 1
    const auto t = [](int minutes) { return kDay + 8 * kHour + minutes * kMinute; };
    // Two-person cage: alice first, bob completes it; a lone-person alarm; carol badges twice.
    h.push_back(device(t(1), {{"decision", decision("pending", "second_person_pending", "alice", "p-cage",
                                                    "z-cage")}}));  // 2
    h.push_back(
        device(t(2), {{"decision", decision("grant", "granted", "bob", "p-cage", "z-cage")},
                      {"first_person", decision("grant", "granted", "alice", "p-cage", "z-cage")}}));  // 3
    h.push_back(device(
        t(3), {{"alarms", json::array({alarm("lone_person", "z-cage", "bob alone in a two-person zone")})}},
        "tick"));  // 4
    h.push_back(device(
        t(4), {{"decision", decision("deny", "same_person_twice", "carol", "p-cage", "z-cage")}}));  // 5
    h.push_back(device(
        t(5), {{"decision", decision("grant", "granted", "dave", "p-lobby", "z-hall", "c-dave-1")}}));  // 6
    // Alarms: A7.0 acknowledged after 60 s and resolved after 300 s; A7.1 never handled.
    h.push_back(device(
        t(6),
        {{"alarms", json::array({alarm("door_forced", "p-cage", "forced"), alarm("tailgating", "p-lobby")})}},
        "door_contact"));  // 7
    h.push_back(operator_record(t(7), "alarm.acknowledged",
                                {{"alarm", "A7.0"}, {"operator", "op-kim"}, {"comment", "on my way"}}));  // 8
    h.push_back(
        operator_record(t(11), "alarm.resolved",
                        {{"alarm", "A7.0"}, {"operator", "op-kim"}, {"comment", "=door fixed"}}));  // 9
    // Revocations: carol (then her badge is refused), dave's second credential (used once), erin (never
    // used again), a refused revocation (not a revocation at all).
    h.push_back(policy(t(12), "revoke_person", {{"person", "carol"}, {"reason", "terminated"}}));  // 10
    h.push_back(device(
        t(13), {{"decision", decision("deny", "person_revoked", "carol", "p-lobby", "z-hall")}}));      // 11
    h.push_back(policy(t(14), "revoke_credential", {{"credential", "c-dave-2"}, {"reason", "lost"}}));  // 12
    h.push_back(device(
        t(15), {{"decision", decision("grant", "granted", "dave", "p-lobby", "z-hall", "c-dave-1")}}));  // 13
    h.push_back(device(t(16), {{"decision", decision("deny", "credential_revoked", "dave", "p-lobby",
                                                     "z-hall", "c-dave-2")}}));                   // 14
    h.push_back(policy(t(17), "revoke_person", {{"person", "erin"}, {"reason", "terminated"}}));  // 15
    h.push_back(policy(t(18), "revoke_person", {{"person", "frank"}, {"reason", "x"}}, false));   // 16
    // Presence: alice leaves the cage for the hall; dave's presence is forgiven.
    h.push_back(
        device(t(20), {{"decision", decision("grant", "granted", "alice", "p-cage-out", "z-hall")}}));  // 17
    h.push_back(
        policy(t(21), "forgive_presence", {{"person", "dave"}, {"reason", "left by fire exit"}}));  // 18
    // Custody records: srv-1 moved, wiped and disposed; srv-2 only moved.
    h.push_back(operator_record(t(22), "asset.moved", {{"asset", "srv-1"}, {"from", "r-1"}, {"to", "dock"}}));
    h.push_back(operator_record(t(23), "asset.moved", {{"asset", "srv-2"}, {"from", "r-1"}, {"to", "r-2"}}));
    h.push_back(operator_record(t(24), "asset.wiped", {{"asset", "srv-1"}, {"operator", "op-kim"}}));
    h.push_back(
        operator_record(t(25), "asset.disposed", {{"asset", "srv-1"}, {"operator", "op-lee"}}));  // 22
    testing::append_history(db->app(), "main", h);

    // Group membership comes from the stored site versions.
    pqxx::connection c{db->app()};
    pqxx::work tx{c};
    const std::string content =
        R"({"groups":[{"id":"cage-team","name":"Cage","members":["alice","bob"]},{"id":"other","members":["dave"]}]})";
    tx.exec_params(
        "INSERT INTO site_versions (site_id, content_hash, version, content, loaded_us, loaded_by) "
        "VALUES ('main', sha256(convert_to($1::text, 'UTF8')), 'v1', $1::text, 1, 'test')",
        content);
    tx.commit();
  }

  std::vector<json> rows(ReportKind kind, const ReportFilter& filter = {}) {
    storage::ReportConnection c{db->app()};
    std::string out;
    audit::stream_report(c, "main", kind, filter, OutputFormat::JsonLines,
                         [&](std::string_view chunk) { out += chunk; });
    std::vector<json> result;
    for (const auto& line : testing::lines_of(out, "\n")) result.push_back(json::parse(line));
    return result;
  }

  std::string csv(ReportKind kind, const ReportFilter& filter = {}) {
    storage::ReportConnection c{db->app()};
    std::string out;
    audit::stream_report(c, "main", kind, filter, OutputFormat::Csv,
                         [&](std::string_view chunk) { out += chunk; });
    return out;
  }

  std::unique_ptr<testing::TestDatabase> db;
};

TEST_F(ComplianceReports, TwoPersonEntriesAttemptsAndLonePersonAlarms) {
  const auto r = rows(ReportKind::TwoPerson);
  ASSERT_EQ(r.size(), 4U);
  EXPECT_EQ(r[0]["site_seq"], 2);
  EXPECT_EQ(r[0]["row_kind"], "attempt");
  EXPECT_EQ(r[0]["reason"], "second_person_pending");
  EXPECT_EQ(r[1]["site_seq"], 3);
  EXPECT_EQ(r[1]["row_kind"], "entry");  // both persons on one row
  EXPECT_EQ(r[1]["person"], "bob");
  EXPECT_EQ(r[1]["first_person"], "alice");
  EXPECT_EQ(r[1]["destination"], "z-cage");
  EXPECT_EQ(r[2]["site_seq"], 4);
  EXPECT_EQ(r[2]["row_kind"], "alarm");
  EXPECT_EQ(r[2]["alarm"], "lone_person");
  EXPECT_EQ(r[2]["alarm_subject"], "z-cage");
  EXPECT_EQ(r[2]["person"], "bob");
  EXPECT_EQ(r[3]["reason"], "same_person_twice");
  EXPECT_EQ(r[3]["person"], "carol");

  ReportFilter f;
  f.person = "alice";  // as first or second person
  EXPECT_EQ(rows(ReportKind::TwoPerson, f).size(), 2U);
  f = ReportFilter{};
  f.zone = "z-cage";  // decisions into the zone and alarms about it
  EXPECT_EQ(rows(ReportKind::TwoPerson, f).size(), 4U);
  f = ReportFilter{};
  f.group = "cage-team";
  EXPECT_EQ(rows(ReportKind::TwoPerson, f).size(), 3U);
}

// A NUL escape stored in a comment or a reason (before NUL was refused at the API) made the jsonb casts of
// alarm-response and revoked-use fail on every run from then on: the rows are read with U+FFFD instead.
TEST_F(ComplianceReports, StoredNulEscapeDoesNotBreakAlarmResponseOrRevokedUse) {
  const auto t = kDay + 9 * kHour;
  testing::append_history(
      db->app(), "main",
      {operator_record(t, "alarm.acknowledged",
                       {{"alarm", "A7.1"}, {"operator", "op-kim"}, {"comment", std::string("seen\0", 5)}}),
       policy(t + kMinute, "revoke_person", {{"person", "gina"}, {"reason", std::string("left\0", 5)}}),
       // Literal text "\\u0000" (an escaped backslash, then u0000) is not a NUL and is kept as it is.
       operator_record(t + 2 * kMinute, "alarm.resolved",
                       {{"alarm", "A7.1"}, {"operator", "op-kim"}, {"comment", "typed \\u0000"}})});
  std::vector<json> alarms;
  ASSERT_NO_THROW(alarms = rows(ReportKind::AlarmResponse));
  const auto handled =
      std::find_if(alarms.begin(), alarms.end(), [](const json& r) { return r["alarm_id"] == "A7.1"; });
  ASSERT_NE(handled, alarms.end());
  EXPECT_EQ((*handled)["acknowledge_comment"], "seen\xEF\xBF\xBD");
  EXPECT_EQ((*handled)["resolve_comment"], "typed \\u0000");
  std::vector<json> revoked;
  ASSERT_NO_THROW(revoked = rows(ReportKind::RevokedUse));
  EXPECT_TRUE(
      std::any_of(revoked.begin(), revoked.end(), [](const json& r) { return r["person"] == "gina"; }));
}

TEST_F(ComplianceReports, AlarmResponseTimes) {
  const auto r = rows(ReportKind::AlarmResponse);
  ASSERT_EQ(r.size(), 3U);  // lone_person (4), door_forced and tailgating (7)
  EXPECT_EQ(r[0]["alarm_id"], "A4.0");
  EXPECT_TRUE(r[0]["acknowledged_at"].is_null());
  EXPECT_TRUE(r[0]["seconds_to_acknowledge"].is_null());
  EXPECT_EQ(r[1]["alarm_id"], "A7.0");
  EXPECT_EQ(r[1]["alarm"], "door_forced");
  EXPECT_EQ(r[1]["acknowledged_by"], "op-kim");
  EXPECT_EQ(r[1]["acknowledge_comment"], "on my way");
  EXPECT_DOUBLE_EQ(r[1]["seconds_to_acknowledge"].get<double>(), 60.0);
  EXPECT_DOUBLE_EQ(r[1]["seconds_to_resolve"].get<double>(), 300.0);
  EXPECT_EQ(r[1]["resolved_at"], "2026-11-27T08:11:00.000000Z");
  EXPECT_EQ(r[2]["alarm_id"], "A7.1");
  EXPECT_TRUE(r[2]["resolved_at"].is_null());

  // CSV: numbers as they are, comments neutralized like every other cell.
  const auto lines = testing::lines_of(csv(ReportKind::AlarmResponse), "\r\n");
  ASSERT_EQ(lines.size(), 4U);
  EXPECT_EQ(lines[0].rfind("alarm_id,site_seq,raised_at,device_id,event_type,alarm,", 0), 0U) << lines[0];
  EXPECT_NE(lines[2].find(",60.000,"), std::string::npos) << lines[2];
  EXPECT_NE(lines[2].find("\"'=door fixed\""), std::string::npos) << lines[2];

  ReportFilter f;
  f.portal = "p-lobby";
  const auto lobby = rows(ReportKind::AlarmResponse, f);
  ASSERT_EQ(lobby.size(), 1U);
  EXPECT_EQ(lobby[0]["alarm_id"], "A7.1");
  EXPECT_EQ(lobby[0]["occurrences"], 1);
}

// The PDFs of the compliance reports draw their charts from the same rows as their tables: every row of
// alarm-response (against a 90 s target), two-person and alarms is counted once.
TEST_F(ComplianceReports, PdfChartsCountEveryRowOfTheTable) {
  for (auto kind : {ReportKind::AlarmResponse, ReportKind::TwoPerson, ReportKind::Alarms}) {
    storage::ReportConnection c{db->app()};
    std::string pdf;
    audit::PdfOptions options;
    options.response_target_seconds = 90;
    const auto result = audit::stream_report(
        c, "main", kind, {}, OutputFormat::Pdf, [&](std::string_view chunk) { pdf += chunk; }, options);
    EXPECT_GT(result.rows, 0) << to_string(kind);
    EXPECT_EQ(result.chart_rows, result.rows) << to_string(kind);
    EXPECT_EQ(pdf.rfind("%PDF-", 0), 0U);
  }
}

TEST_F(ComplianceReports, AlarmResponseFoldsRepeatsOfAnOpenAlarmLikeTheServer) {
  // Tailgating at the lobby again while A7.1 is still open: the server counts it on A7.1. The cage door
  // forced again after A7.0 was resolved: a new alarm, A23.1.
  const auto at = kDay + 9 * kHour;
  testing::append_history(db->app(), "main",
                          {device(at,
                                  {{"alarms", json::array({alarm("tailgating", "p-lobby", "again"),
                                                           alarm("door_forced", "p-cage", "again")})}},
                                  "door_contact")});  // 23
  const auto r = rows(ReportKind::AlarmResponse);
  ASSERT_EQ(r.size(), 4U);
  EXPECT_EQ(r[2]["alarm_id"], "A7.1");
  EXPECT_EQ(r[2]["occurrences"], 2);
  EXPECT_EQ(r[2]["last_seen_at"], "2026-11-27T09:00:00.000000Z");
  EXPECT_EQ(r[3]["alarm_id"], "A23.1");
  EXPECT_EQ(r[3]["alarm"], "door_forced");
  EXPECT_EQ(r[3]["occurrences"], 1);
  EXPECT_TRUE(r[3]["acknowledged_at"].is_null());
  ReportFilter f;
  f.from_us = at;  // the repeat is still folded into the alarm raised before the range
  const auto later = rows(ReportKind::AlarmResponse, f);
  ASSERT_EQ(later.size(), 1U);
  EXPECT_EQ(later[0]["alarm_id"], "A23.1");
}

TEST_F(ComplianceReports, RevocationsVersusLaterBadgeUse) {
  const auto r = rows(ReportKind::RevokedUse);
  ASSERT_EQ(r.size(), 3U);
  EXPECT_EQ(r[0]["revocation_seq"], 10);
  EXPECT_EQ(r[0]["person"], "carol");
  EXPECT_EQ(r[0]["revoked_by"], "op-lee");
  EXPECT_EQ(r[0]["finding"], "use_denied");
  EXPECT_EQ(r[0]["use_seq"], 11);
  EXPECT_EQ(r[1]["revocation_seq"], 12);
  EXPECT_EQ(r[1]["credential"], "c-dave-2");
  EXPECT_EQ(r[1]["use_seq"], 14);  // dave's other credential (13) is not a use of the revoked one
  EXPECT_EQ(r[1]["use_person"], "dave");
  EXPECT_EQ(r[2]["revocation_seq"], 15);
  EXPECT_EQ(r[2]["person"], "erin");
  EXPECT_EQ(r[2]["finding"], "no_later_use");
  EXPECT_TRUE(r[2]["use_seq"].is_null());

  ReportFilter f;
  f.person = "carol";
  EXPECT_EQ(rows(ReportKind::RevokedUse, f).size(), 1U);
  f = ReportFilter{};
  f.from_us = kDay + 8 * kHour + 14 * kMinute;  // revocations from then on
  EXPECT_EQ(rows(ReportKind::RevokedUse, f).size(), 2U);
}

TEST_F(ComplianceReports, RevokedPersonGrantedLaterIsFlagged) {
  testing::append_history(
      db->app(), "main",
      {device(kDay + 10 * kHour, {{"decision", decision("grant", "granted", "erin", "p-lobby", "z-hall")}})});
  ReportFilter f;
  f.person = "erin";
  const auto r = rows(ReportKind::RevokedUse, f);
  ASSERT_EQ(r.size(), 1U);
  EXPECT_EQ(r[0]["finding"], "use_granted");
  EXPECT_EQ(r[0]["use_seq"], 23);
}

TEST_F(ComplianceReports, PresenceNowFromTheLastGrantedPassage) {
  const auto r = rows(ReportKind::Presence);
  ASSERT_EQ(r.size(), 2U);  // dave was forgiven, carol never got in
  EXPECT_EQ(r[0]["zone"], "z-cage");
  EXPECT_EQ(r[0]["person"], "bob");
  EXPECT_EQ(r[0]["site_seq"], 3);
  EXPECT_EQ(r[1]["zone"], "z-hall");
  EXPECT_EQ(r[1]["person"], "alice");
  EXPECT_EQ(r[1]["since"], "2026-11-27T08:20:00.000000Z");

  ReportFilter f;
  f.to_us = kDay + 8 * kHour + 20 * kMinute;  // as of before alice left the cage
  const auto before = rows(ReportKind::Presence, f);
  ASSERT_EQ(before.size(), 3U);
  EXPECT_EQ(before[0]["person"], "alice");  // entered as the first person of the two-person entry
  EXPECT_EQ(before[0]["zone"], "z-cage");
  EXPECT_EQ(before[1]["person"], "bob");
  EXPECT_EQ(before[2]["person"], "dave");
  f.zone = "z-cage";
  EXPECT_EQ(rows(ReportKind::Presence, f).size(), 2U);
  f.group = "other";
  EXPECT_EQ(rows(ReportKind::Presence, f).size(), 0U);
}

TEST_F(ComplianceReports, CustodyTrailOfOneAssetOrOfAllDisposals) {
  const auto all = rows(ReportKind::Custody);
  ASSERT_EQ(all.size(), 3U);
  EXPECT_EQ(all[0]["action"], "moved");
  EXPECT_EQ(all[0]["from"], "r-1");
  EXPECT_EQ(all[0]["to"], "dock");
  EXPECT_EQ(all[1]["action"], "wiped");
  EXPECT_EQ(all[1]["operator"], "op-kim");
  EXPECT_EQ(all[2]["action"], "disposed");
  EXPECT_EQ(all[2]["source"], "operator");
  EXPECT_EQ(json::parse(all[2]["payload"].get<std::string>())["asset"], "srv-1");
  ReportFilter f;
  f.asset = "srv-2";
  const auto one = rows(ReportKind::Custody, f);
  ASSERT_EQ(one.size(), 1U);
  EXPECT_EQ(one[0]["to"], "r-2");

  // Destruction recorded under the core's action name counts as a disposal too.
  testing::append_history(db->app(), "main",
                          {operator_record(kDay + 9 * kHour, "asset.record_destruction",
                                           {{"asset", "srv-2"}, {"operator", "op-kim"}})});
  const auto both = rows(ReportKind::Custody);
  ASSERT_EQ(both.size(), 5U);
  EXPECT_EQ(both[4]["action"], "record_destruction");

  // A registration names its asset inside the asset's definition; a refused disposal is not a disposal.
  const json refused{{"alarms", json::array()},
                     {"decision", {{"verdict", "deny"}, {"reason", "evidence_required"}}}};
  testing::append_history(
      db->app(), "main",
      {operator_record(kDay + 10 * kHour, "asset.register_asset",
                       {{"asset", {{"id", "srv-2"}, {"tag", "T2"}}}}),
       operator_record(kDay + 10 * kHour, "asset.record_disposal", {{"asset", "srv-4"}}, refused.dump())});
  EXPECT_EQ(rows(ReportKind::Custody).size(), 6U);
  f.asset = "srv-4";
  const auto four = rows(ReportKind::Custody, f);
  ASSERT_EQ(four.size(), 1U);
  EXPECT_EQ(four[0]["result"], "evidence_required");
  f.asset = "srv-2";
  EXPECT_EQ(rows(ReportKind::Custody, f).back()["action"], "register_asset");
}

TEST_F(ComplianceReports, GroupFilterOnAccessHistory) {
  ReportFilter f;
  f.group = "cage-team";
  std::vector<std::int64_t> seqs;
  for (const auto& row : rows(ReportKind::Access, f)) seqs.push_back(row["site_seq"].get<std::int64_t>());
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{2, 3, 17}));
  f.group = "o'no";  // a quote is data
  EXPECT_TRUE(rows(ReportKind::Access, f).empty());
  f.group = "other";
  f.decision = "deny";
  EXPECT_EQ(rows(ReportKind::Denied, f).size(), 1U);  // dave's revoked credential

  // A member added at run time through the admin API counts too (a refused addition does not).
  testing::append_history(
      db->app(), "main",
      {policy(kDay + 9 * kHour, "add_group_member", {{"group", "other"}, {"person", "carol"}}),
       policy(kDay + 9 * kHour, "add_group_member", {{"group", "other"}, {"person", "bob"}}, false)});
  EXPECT_EQ(rows(ReportKind::Denied, f).size(), 3U);  // and carol's two refusals
}

TEST_F(ComplianceReports, FiltersAReportCannotUseAreRefused) {
  ReportFilter f;
  f.asset = "srv-1";
  EXPECT_THROW(rows(ReportKind::Access, f), std::invalid_argument);
  f = ReportFilter{};
  f.from_us = kDay;
  EXPECT_THROW(rows(ReportKind::Presence, f), std::invalid_argument);
  f = ReportFilter{};
  f.group = "x";
  EXPECT_THROW(rows(ReportKind::Custody, f), std::invalid_argument);
}

}  // namespace
}  // namespace portcullis
