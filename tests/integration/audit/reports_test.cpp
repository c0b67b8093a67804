// Each report on a seeded history, in both formats, against the real PostgreSQL.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "audit_history.hpp"
#include "portcullis/audit/exporter.hpp"
#include "portcullis/storage/report_snapshot.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

using audit::OutputFormat;
using audit::ReportFilter;
using audit::ReportKind;
using testing::kDay;
using testing::kHour;

const std::string kFormula = "=cmd|' /C calc'!A0";

class Reports : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    using testing::access;
    std::vector<testing::HistoryEvent> h;
    testing::HistoryEvent loaded;
    loaded.type = "site.loaded";
    loaded.server_fact = true;
    h.push_back(loaded);  // 1
    testing::HistoryEvent heartbeat;
    heartbeat.type = "heartbeat";
    heartbeat.received_us = kDay + 60'000'000;
    h.push_back(heartbeat);                                                                   // 2
    h.push_back(access(kDay + 8 * kHour, "grant", "granted", "alice", "p-lobby", "z-hall"));  // 3
    h.push_back(access(kDay + 9 * kHour, "deny", "no_grant", "bob", "p-lobby", "z-hall"));    // 4
    h.push_back(access(kDay + 22 * kHour + 30 * testing::kMinute, "grant", "granted", "alice", "p-cage",
                       "z-cage",
                       "r-12"));  // 5
    testing::HistoryEvent forced;
    forced.type = "door_contact";
    forced.received_us = kDay + 23 * kHour;
    forced.alarms.push_back({"door_forced", "high", "p-cage", "forced, then \"closed\"", false});
    h.push_back(forced);                                                                                  // 6
    h.push_back(access(kDay + 27 * kHour, "deny", "unknown_credential", kFormula, "p-lobby", "z-hall"));  // 7
    auto locked = access(kDay + 36 * kHour, "deny", "outside_schedule", "bob", "p-cage", "z-cage");
    locked.alarms.push_back({"credential_locked", "high", "bob", "", false});
    locked.alarms.push_back({"tailgating", "medium", "p-cage", "@count 2", true});
    h.push_back(locked);  // 8
    h.push_back(access(kDay + 42 * kHour + 30 * testing::kMinute, "grant", "granted", "carol", "p-lobby",
                       "z-hall"));  // 9
    testing::append_history(db->app(), "main", h);
  }

  audit::StreamResult run(ReportKind kind, const ReportFilter& filter, OutputFormat format,
                          std::string& out) {
    storage::ReportConnection c{db->app()};
    out.clear();
    return audit::stream_report(c, "main", kind, filter, format,
                                [&](std::string_view chunk) { out += chunk; });
  }

  // The site_seq of every exported CSV row (after the header).
  std::vector<std::int64_t> seqs(ReportKind kind, const ReportFilter& filter = {}) {
    std::string out;
    run(kind, filter, OutputFormat::Csv, out);
    const auto lines = testing::lines_of(out, "\r\n");
    EXPECT_FALSE(lines.empty());
    std::vector<std::int64_t> result;
    for (std::size_t i = 1; i < lines.size(); ++i)
      result.push_back(std::stoll(lines[i].substr(0, lines[i].find(','))));
    return result;
  }

  std::string hash_of(std::int64_t seq) {
    pqxx::connection c{db->app()};
    pqxx::read_transaction tx{c};
    return tx.exec_params1("SELECT encode(hash, 'hex') FROM events WHERE site_seq = $1", seq)[0]
        .as<std::string>();
  }

  std::unique_ptr<testing::TestDatabase> db;
};

using Seqs = std::vector<std::int64_t>;

TEST_F(Reports, AccessHistoryHoldsEveryDecisionInChainOrder) {
  EXPECT_EQ(seqs(ReportKind::Access), (Seqs{3, 4, 5, 7, 8, 9}));
}

TEST_F(Reports, AccessHistoryFilters) {
  ReportFilter f;
  f.person = "alice";
  EXPECT_EQ(seqs(ReportKind::Access, f), (Seqs{3, 5}));
  f = {};
  f.portal = "p-cage";
  EXPECT_EQ(seqs(ReportKind::Access, f), (Seqs{5, 8}));
  f = {};
  f.zone = "z-cage";
  f.person = "bob";
  EXPECT_EQ(seqs(ReportKind::Access, f), (Seqs{8}));
  f = {};
  f.rack = "r-12";
  EXPECT_EQ(seqs(ReportKind::Access, f), (Seqs{5}));
  f = {};
  f.decision = "grant";
  EXPECT_EQ(seqs(ReportKind::Access, f), (Seqs{3, 5, 9}));
  f = {};
  f.from_us = kDay + 24 * kHour;
  EXPECT_EQ(seqs(ReportKind::Access, f), (Seqs{7, 8, 9}));
  f = {};
  f.to_us = kDay + 24 * kHour;
  EXPECT_EQ(seqs(ReportKind::Access, f), (Seqs{3, 4, 5}));
  f.person = "nobody";
  EXPECT_EQ(seqs(ReportKind::Access, f), Seqs{});
  f = {};
  f.person = "o'brien\\";  // quotes and backslashes are data, never SQL
  EXPECT_EQ(seqs(ReportKind::Access, f), Seqs{});
}

TEST_F(Reports, DeniedAttempts) {
  EXPECT_EQ(seqs(ReportKind::Denied), (Seqs{4, 7, 8}));
}

TEST_F(Reports, AfterHoursInUtcAndInTheSiteTimeZone) {
  ReportFilter f;  // 07:00-19:00 UTC
  EXPECT_EQ(seqs(ReportKind::AfterHours, f), (Seqs{5, 7}));
  f.time_zone = "Europe/Berlin";  // UTC+1 in November: carol's 18:30 UTC is 19:30 there
  EXPECT_EQ(seqs(ReportKind::AfterHours, f), (Seqs{5, 7, 9}));
  f.decision = "grant";
  EXPECT_EQ(seqs(ReportKind::AfterHours, f), (Seqs{5, 9}));
  f = {};
  f.window = *audit::parse_window("20:00-06:00");  // a night shift
  EXPECT_EQ(seqs(ReportKind::AfterHours, f), (Seqs{3, 4, 8, 9}));
}

TEST_F(Reports, AlarmsOneRowPerAlarm) {
  std::string out;
  const auto r = run(ReportKind::Alarms, {}, OutputFormat::Csv, out);
  EXPECT_EQ(r.rows, 3);
  const auto lines = testing::lines_of(out, "\r\n");
  ASSERT_EQ(lines.size(), 4U);
  EXPECT_EQ(lines[0],
            "site_seq,received_at,device_id,event_type,alarm,severity,subject,detail,silent,person,portal,"
            "verdict,hash");
  EXPECT_EQ(lines[1],
            "6,2026-11-27T23:00:00.000000Z,rdr-1,door_contact,door_forced,high,p-cage,"
            "\"forced, then \"\"closed\"\"\",false,,,," +
                hash_of(6));
  EXPECT_EQ(lines[2].substr(0, 60), "8,2026-11-28T12:00:00.000000Z,rdr-1,credential,credential_lo");
  EXPECT_NE(lines[3].find(",tailgating,medium,p-cage,\"'@count 2\",true,bob,p-cage,deny,"), std::string::npos)
      << lines[3];
  ReportFilter f;
  f.person = "bob";  // the alarm's subject, or the person of the decision it came with
  EXPECT_EQ(seqs(ReportKind::Alarms, f), (Seqs{8, 8}));
  f = {};
  f.portal = "p-cage";
  EXPECT_EQ(seqs(ReportKind::Alarms, f), (Seqs{6, 8, 8}));
}

TEST_F(Reports, CsvNeutralizesFormulaCells) {
  std::string out;
  run(ReportKind::Denied, {}, OutputFormat::Csv, out);
  const auto lines = testing::lines_of(out, "\r\n");
  ASSERT_EQ(lines.size(), 4U);
  EXPECT_EQ(lines[2],
            "7,2026-11-28T03:00:00.000000Z,2026-11-28T02:59:59.999000Z,rdr-1,credential,deny,"
            "unknown_credential,,\"'=cmd|' /C calc'!A0\",p-lobby,z-hall,," +
                hash_of(7));
  EXPECT_EQ(out.find(",=cmd"), std::string::npos);
}

TEST_F(Reports, JsonLinesCarryTheSameRows) {
  std::string out;
  const auto r = run(ReportKind::Access, {}, OutputFormat::JsonLines, out);
  EXPECT_EQ(r.rows, 6);
  const auto lines = testing::lines_of(out, "\n");
  ASSERT_EQ(lines.size(), 6U);
  const auto seven = nlohmann::json::parse(lines[3]);
  EXPECT_EQ(seven["site_seq"], 7);
  EXPECT_EQ(seven["person"], kFormula);
  EXPECT_EQ(seven["verdict"], "deny");
  EXPECT_TRUE(seven["rack"].is_null());
  EXPECT_EQ(seven["hash"], hash_of(7));
  const auto five = nlohmann::json::parse(lines[2]);
  EXPECT_EQ(five["rack"], "r-12");
  EXPECT_EQ(five["received_at"], "2026-11-27T22:30:00.000000Z");
}

TEST_F(Reports, ChainRangeNamesTheSpanOfHistoryCovered) {
  std::string out;
  auto r = run(ReportKind::Access, {}, OutputFormat::Csv, out);
  EXPECT_EQ(r.range.first_seq, 1);
  EXPECT_EQ(r.range.last_seq, 9);
  EXPECT_EQ(r.range.head_seq, 9);
  EXPECT_EQ(r.range.first_hash, hash_of(1));
  EXPECT_EQ(r.range.last_hash, hash_of(9));
  ReportFilter f;
  f.from_us = kDay + 24 * kHour;
  f.person = "bob";
  r = run(ReportKind::Access, f, OutputFormat::Csv, out);
  EXPECT_EQ(r.rows, 1);
  EXPECT_EQ(r.range.first_seq, 7);  // every row from --from on was considered, not only bob's
  EXPECT_EQ(r.range.first_hash, hash_of(7));
  EXPECT_EQ(r.range.last_seq, 9);
  f = {};
  f.from_us = kDay + 100 * kHour;
  r = run(ReportKind::Access, f, OutputFormat::Csv, out);
  EXPECT_EQ(r.rows, 0);
  EXPECT_EQ(r.range.first_seq, 0);
  EXPECT_EQ(r.range.head_seq, 9);
}

}  // namespace
}  // namespace portcullis
