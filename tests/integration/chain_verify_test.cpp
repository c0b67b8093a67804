// The verifier recomputes the chain from the table alone: an edit made as superuser (bypassing the
// append-only triggers) is found and the first bad row is named.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "portcullis/audit/chain_verifier.hpp"
#include "sequencer_support.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

class ChainVerify : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    ingest::SequencerConfig config;
    config.database = db->app();
    config.site_id = "main";
    ingest::Sequencer s{config, std::make_shared<core::SiteModel>(), clock, metrics};
    s.start();
    std::vector<core::DeviceEvent> events;
    for (int i = 1; i <= 20; ++i) events.push_back(testing::heartbeat("ctl-1", i));
    testing::submit_and_wait(s, std::move(events));
  }
  void as_superuser(const std::string& sql) {
    pqxx::connection c{db->admin()};
    pqxx::work tx{c};
    tx.exec("SET session_replication_role = replica");  // superuser only: skips the triggers
    tx.exec(sql);
    tx.commit();
  }
  std::unique_ptr<testing::TestDatabase> db;
  core::SystemClock clock;
  metrics::ServerMetrics metrics;
};

TEST_F(ChainVerify, IntactChainVerifies) {
  const auto report = audit::verify_chain(db->app(), "main");
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.rows, 20);
}

TEST_F(ChainVerify, EditedRowIsNamed) {
  as_superuser("UPDATE events SET payload = '{\"type\":\"heartbeat\",\"forged\":1}' WHERE site_seq = 7");
  const auto report = audit::verify_chain(db->app(), "main");
  EXPECT_FALSE(report.intact);
  ASSERT_TRUE(report.first_bad_seq);
  EXPECT_EQ(*report.first_bad_seq, 7);
  EXPECT_NE(report.problem.find("content was changed"), std::string::npos) << report.problem;
}

TEST_F(ChainVerify, DeletedRowIsNamed) {
  as_superuser("DELETE FROM events WHERE site_seq = 12");
  const auto report = audit::verify_chain(db->app(), "main");
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(*report.first_bad_seq, 13);
  EXPECT_NE(report.problem.find("missing"), std::string::npos) << report.problem;
}

TEST_F(ChainVerify, RehashedForgeryStillBreaksTheLink) {
  // A forger who recomputes the edited row's own hash still breaks the next row's prev_hash.
  as_superuser("UPDATE events SET outcome = '{\"forged\":true}', hash = sha256(hash) WHERE site_seq = 3");
  const auto report = audit::verify_chain(db->app(), "main");
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(*report.first_bad_seq, 3);
}

}  // namespace
}  // namespace portcullis
