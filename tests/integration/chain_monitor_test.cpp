// Incremental chain verification (audit::ChainMonitor, behind GET /api/v1/audit/chain): a second call reads
// only the rows appended since the first; full=true re-reads everything and finds an edit made as superuser
// before the remembered point; a broken link between the remembered row and the next one is found by an
// incremental call; a remembered row that changed makes the call verify in full; concurrent calls run one at
// a time.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include <chrono>
#include <future>
#include <iostream>
#include <thread>
#include <vector>

#include "portcullis/audit/chain_monitor.hpp"
#include "sequencer_support.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

class ChainMonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    ingest::SequencerConfig config;
    config.database = db->app();
    config.site_id = "main";
    sequencer =
        std::make_unique<ingest::Sequencer>(config, std::make_shared<core::SiteModel>(), clock, metrics);
    sequencer->start();
    append(20);
  }
  void TearDown() override { sequencer.reset(); }

  // `n` more heartbeats, one commit.
  void append(int n) {
    std::vector<core::DeviceEvent> events;
    for (int i = 0; i < n; ++i) events.push_back(testing::heartbeat("ctl-1", ++device_seq));
    testing::submit_and_wait(*sequencer, std::move(events));
  }
  void as_superuser(const std::string& sql) {
    pqxx::connection c{db->admin()};
    pqxx::work tx{c};
    tx.exec("SET session_replication_role = replica");  // superuser only: skips the append-only triggers
    tx.exec(sql);
    tx.commit();
  }
  audit::ChainStatus verify(bool full = false) { return monitor.verify(db->app(), "main", full); }

  std::unique_ptr<testing::TestDatabase> db;
  core::SystemClock clock;
  metrics::ServerMetrics metrics;
  std::unique_ptr<ingest::Sequencer> sequencer;
  std::int64_t device_seq = 0;
  audit::ChainMonitor monitor;
};

TEST_F(ChainMonitorTest, ASecondCallVerifiesOnlyTheNewRows) {
  const auto first = verify();
  EXPECT_TRUE(first.report.intact) << first.report.problem;
  EXPECT_FALSE(first.incremental);
  EXPECT_EQ(first.full_because, "no remembered point");
  EXPECT_EQ(first.from_seq, 1);
  EXPECT_EQ(first.through_seq, 20);
  EXPECT_EQ(first.rows_checked, 20);
  ASSERT_TRUE(first.last_full_us);
  EXPECT_EQ(first.last_full_through_seq, 20);
  ASSERT_TRUE(monitor.remembered("main"));
  EXPECT_EQ(monitor.remembered("main")->site_seq, 20);

  append(5);
  const auto second = verify();
  EXPECT_TRUE(second.report.intact) << second.report.problem;
  EXPECT_TRUE(second.incremental);
  EXPECT_EQ(second.from_seq, 21);
  EXPECT_EQ(second.through_seq, 25);
  EXPECT_EQ(second.rows_checked, 5);
  EXPECT_EQ(second.last_full_us, first.last_full_us);  // no full verification since the first
  EXPECT_EQ(second.last_full_through_seq, 20);
  EXPECT_TRUE(second.history_contradiction.empty());

  // Nothing new: nothing read but the remembered row.
  const auto third = verify();
  EXPECT_TRUE(third.report.intact);
  EXPECT_TRUE(third.incremental);
  EXPECT_EQ(third.rows_checked, 0);
  EXPECT_EQ(third.through_seq, 25);

  // The head hash is the one a full verification computes.
  EXPECT_EQ(third.report.head_hash, audit::verify_chain(db->app(), "main").head_hash);
}

TEST_F(ChainMonitorTest, FullVerificationFindsARowEditedBeforeTheRememberedPoint) {
  ASSERT_TRUE(verify().report.intact);
  as_superuser("UPDATE events SET payload = '{\"type\":\"heartbeat\",\"forged\":1}' WHERE site_seq = 7");
  append(3);
  // An incremental call reads only rows 20 (the remembered one) to 23: the edit is not its business.
  const auto incremental = verify();
  EXPECT_TRUE(incremental.incremental);
  EXPECT_TRUE(incremental.report.intact);
  EXPECT_EQ(incremental.rows_checked, 3);

  const auto full = verify(true);
  EXPECT_FALSE(full.incremental);
  EXPECT_EQ(full.full_because, "requested");
  EXPECT_FALSE(full.report.intact);
  ASSERT_TRUE(full.report.first_bad_seq);
  EXPECT_EQ(*full.report.first_bad_seq, 7);
  EXPECT_NE(full.report.problem.find("content was changed"), std::string::npos) << full.report.problem;
  EXPECT_EQ(full.through_seq, 6);
  EXPECT_FALSE(full.last_full_intact);
  // The full pass reset the point to the last good row, so the break is reported by every later call.
  ASSERT_TRUE(monitor.remembered("main"));
  EXPECT_EQ(monitor.remembered("main")->site_seq, 6);
  const auto after = verify();
  EXPECT_TRUE(after.incremental);
  EXPECT_FALSE(after.report.intact);
  EXPECT_EQ(after.report.first_bad_seq, 7);
}

TEST_F(ChainMonitorTest, IncrementalCallFindsABrokenLinkAfterTheRememberedRow) {
  ASSERT_TRUE(verify().report.intact);
  append(4);  // rows 21..24
  // Row 21's link to row 20 (the remembered one) is cut; its own hash is recomputed so only the link is
  // wrong.
  as_superuser("UPDATE events SET prev_hash = sha256(prev_hash) WHERE site_seq = 21");
  const auto status = verify();
  EXPECT_TRUE(status.incremental);
  EXPECT_EQ(status.from_seq, 21);
  EXPECT_FALSE(status.report.intact);
  ASSERT_TRUE(status.report.first_bad_seq);
  EXPECT_EQ(*status.report.first_bad_seq, 21);
  EXPECT_NE(status.report.problem.find("prev_hash"), std::string::npos) << status.report.problem;
  EXPECT_EQ(status.through_seq, 20);
  EXPECT_EQ(status.rows_checked, 1);  // it stopped at the first bad row
  EXPECT_EQ(monitor.remembered("main")->site_seq, 20);
}

TEST_F(ChainMonitorTest, IncrementalCallFindsAnEditOfTheRowAfterTheRememberedOne) {
  ASSERT_TRUE(verify().report.intact);
  append(2);
  as_superuser("UPDATE events SET outcome = '{\"forged\":true}' WHERE site_seq = 21");
  const auto status = verify();
  EXPECT_TRUE(status.incremental);
  EXPECT_FALSE(status.report.intact);
  EXPECT_EQ(status.report.first_bad_seq, 21);
  EXPECT_NE(status.report.problem.find("content was changed"), std::string::npos) << status.report.problem;
}

TEST_F(ChainMonitorTest, AChangedRememberedRowMakesTheCallVerifyInFull) {
  ASSERT_TRUE(verify().report.intact);
  as_superuser("UPDATE events SET payload = '{\"type\":\"heartbeat\",\"forged\":2}' WHERE site_seq = 20");
  append(1);
  const auto status = verify();
  EXPECT_FALSE(status.incremental);
  EXPECT_NE(status.full_because.find("site_seq 20 changed since it was verified"), std::string::npos)
      << status.full_because;
  EXPECT_FALSE(status.report.intact);
  EXPECT_EQ(status.report.first_bad_seq, 20);
  EXPECT_NE(status.history_contradiction.find("site_seq 20 changed since it was verified"), std::string::npos)
      << status.history_contradiction;

  // A removed remembered row (and everything after it) likewise.
  audit::ChainMonitor other;
  ASSERT_TRUE(other.verify(db->app(), "main", false).report.head_seq == 19);
  as_superuser("DELETE FROM events WHERE site_seq >= 19");
  const auto removed = other.verify(db->app(), "main", false);
  EXPECT_FALSE(removed.incremental);
  EXPECT_NE(removed.full_because.find("site_seq 19, verified before, is missing"), std::string::npos)
      << removed.full_because;
  EXPECT_TRUE(removed.report.intact);  // what is left is a consistent chain...
  EXPECT_EQ(removed.through_seq, 18);
  // ...but this process verified row 19 before: the truncation is reported, by later calls too, until an
  // auditor asks for a full verification.
  EXPECT_NE(removed.history_contradiction.find("site_seq 19, verified before, is missing"), std::string::npos)
      << removed.history_contradiction;
  const auto later = other.verify(db->app(), "main", false);
  EXPECT_TRUE(later.incremental);
  EXPECT_EQ(later.history_contradiction, removed.history_contradiction);
  const auto full = other.verify(db->app(), "main", true);
  EXPECT_TRUE(full.report.intact);
  EXPECT_TRUE(full.history_contradiction.empty());
}

TEST_F(ChainMonitorTest, ConcurrentCallsRunOneAtATime) {
  ASSERT_TRUE(verify().report.intact);
  append(30);
  std::vector<std::future<audit::ChainStatus>> calls;
  for (int i = 0; i < 4; ++i) calls.push_back(std::async(std::launch::async, [&] { return verify(); }));
  std::int64_t checked = 0;
  for (auto& call : calls) {
    const auto status = call.get();
    EXPECT_TRUE(status.report.intact);
    EXPECT_TRUE(status.incremental);
    EXPECT_EQ(status.through_seq, 50);
    checked += status.rows_checked;
  }
  EXPECT_EQ(checked, 30);  // each new row verified once, by whichever call ran first
}

// Not a pass/fail test: how long a full and an incremental call take on a longer chain.
TEST_F(ChainMonitorTest, CostIsProportionalToWhatWasAppended) {
  for (int i = 0; i < 20; ++i) append(1000);  // 20,020 rows
  auto timed = [&](bool full) {
    const auto start = std::chrono::steady_clock::now();
    const auto status = verify(full);
    const auto ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::cout << (full ? "full" : (status.incremental ? "incremental" : "first (full)")) << ": "
              << status.rows_checked << " rows in " << ms << " ms\n";
    return status;
  };
  EXPECT_EQ(timed(false).rows_checked, 20020);
  append(100);
  EXPECT_EQ(timed(false).rows_checked, 100);
  EXPECT_EQ(timed(true).rows_checked, 20120);
}

}  // namespace
}  // namespace portcullis
