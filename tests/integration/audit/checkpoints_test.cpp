// Signed checkpoints of the chain head catch what the chain alone cannot: the newest rows deleted by a
// superuser (the rest of the chain still fits together) and a history rewritten with recomputed hashes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "audit_history.hpp"
#include "cli.hpp"
#include "portcullis/audit/chain_verifier.hpp"
#include "portcullis/audit/checkpoints.hpp"
#include "portcullis/audit/signing.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

using testing::kDay;

std::vector<testing::HistoryEvent> heartbeats(int n, std::int64_t from_us) {
  std::vector<testing::HistoryEvent> h(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    h[static_cast<std::size_t>(i)].type = "heartbeat";
    h[static_cast<std::size_t>(i)].received_us = from_us + i * 1'000'000;
  }
  return h;
}

class Checkpoints : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    keys = audit::generate_key_files(dir.file("keys"));
    cpdir = dir.file("checkpoints");
  }
  void as_superuser(const std::string& sql) {
    pqxx::connection c{db->admin()};
    pqxx::work tx{c};
    tx.exec("SET session_replication_role = replica");  // superuser only: skips the append-only triggers
    tx.exec(sql);
    tx.commit();
  }
  std::unique_ptr<testing::TestDatabase> db;
  testing::TempDir dir;
  audit::KeyFiles keys;
  std::string cpdir;
};

TEST_F(Checkpoints, IntactHistoryMatchesEveryCheckpoint) {
  testing::append_history(db->app(), "main", heartbeats(60, kDay));
  const auto first = audit::write_checkpoint(db->app(), "main", cpdir, keys.private_path);
  EXPECT_EQ(first.checkpoint.site_seq, 60);
  EXPECT_FALSE(first.unchanged);
  EXPECT_TRUE(audit::write_checkpoint(db->app(), "main", cpdir, keys.private_path).unchanged);
  testing::append_history(db->app(), "main", heartbeats(60, kDay + 3'600'000'000));
  const auto second = audit::write_checkpoint(db->app(), "main", cpdir, keys.private_path);
  EXPECT_EQ(second.checkpoint.site_seq, 120);
  EXPECT_EQ(first.verified_from, 1);
  EXPECT_EQ(second.verified_from, 61);  // from the newest checkpoint on
  const auto report = audit::check_checkpoints(db->app(), "main", cpdir, keys.public_path);
  EXPECT_TRUE(report.ok) << (report.problems.empty() ? "" : report.problems.front());
  EXPECT_EQ(report.checked, 2);
  EXPECT_EQ(report.newest_seq, 120);
  EXPECT_EQ(report.database_head, 120);
}

TEST_F(Checkpoints, TailTruncationIsCaught) {
  testing::append_history(db->app(), "main", heartbeats(120, kDay));
  audit::write_checkpoint(db->app(), "main", cpdir, keys.private_path);
  as_superuser("DELETE FROM events WHERE site_seq > 90");

  const auto chain = audit::verify_chain(db->app(), "main");
  EXPECT_TRUE(chain.intact);  // the chain alone cannot tell: rows 1..90 still fit together
  EXPECT_EQ(chain.rows, 90);

  const auto report = audit::check_checkpoints(db->app(), "main", cpdir, keys.public_path);
  EXPECT_FALSE(report.ok);
  ASSERT_EQ(report.problems.size(), 1U);
  EXPECT_NE(report.problems[0].find("database ends at site_seq 90 but checkpoint"), std::string::npos)
      << report.problems[0];
  EXPECT_NE(report.problems[0].find("says 120"), std::string::npos) << report.problems[0];
  // And a new checkpoint is refused rather than signing the shortened history.
  EXPECT_THROW(audit::write_checkpoint(db->app(), "main", cpdir, keys.private_path), std::runtime_error);
}

TEST_F(Checkpoints, RewrittenHistoryWithRecomputedHashesIsCaught) {
  testing::append_history(db->app(), "main", heartbeats(100, kDay));
  audit::write_checkpoint(db->app(), "main", cpdir, keys.private_path);
  // A superuser replaces rows 50.. with a forged but perfectly chained history.
  as_superuser("DELETE FROM events WHERE site_seq >= 50");
  testing::append_history(db->admin(), "main", heartbeats(51, kDay + 7'200'000'000));
  EXPECT_TRUE(audit::verify_chain(db->app(), "main").intact);
  const auto report = audit::check_checkpoints(db->app(), "main", cpdir, keys.public_path);
  EXPECT_FALSE(report.ok);
  ASSERT_FALSE(report.problems.empty());
  EXPECT_NE(report.problems[0].find("history up to it was rewritten"), std::string::npos)
      << report.problems[0];
}

TEST_F(Checkpoints, NewCheckpointVerifiesTheTailAndRefusesABrokenOne) {
  testing::append_history(db->app(), "main", heartbeats(60, kDay));
  audit::write_checkpoint(db->app(), "main", cpdir, keys.private_path);
  testing::append_history(db->app(), "main", heartbeats(60, kDay + 3'600'000'000));
  as_superuser("UPDATE events SET payload = '{\"type\":\"forged\"}' WHERE site_seq = 100");
  try {
    audit::write_checkpoint(db->app(), "main", cpdir, keys.private_path);
    ADD_FAILURE() << "signed a broken tail";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string{e.what()}.find("site_seq 100: stored hash differs"), std::string::npos) << e.what();
  }
  EXPECT_EQ(audit::check_checkpoints(db->app(), "main", cpdir, keys.public_path).checked, 1);
}

TEST_F(Checkpoints, FullModeReverifiesEverything) {
  testing::append_history(db->app(), "main", heartbeats(60, kDay));
  audit::write_checkpoint(db->app(), "main", cpdir, keys.private_path);
  testing::append_history(db->app(), "main", heartbeats(10, kDay + 3'600'000'000));
  // A row before the checkpoint changed in place: the checkpointed hash still holds (that is what a
  // later verify-chain reports), so only a full verification refuses to sign.
  as_superuser("UPDATE events SET payload = '{\"type\":\"forged\"}' WHERE site_seq = 10");
  EXPECT_THROW(audit::write_checkpoint(db->app(), "main", cpdir, keys.private_path, /*full=*/true),
               std::runtime_error);
  EXPECT_EQ(audit::write_checkpoint(db->app(), "main", cpdir, keys.private_path).checkpoint.site_seq, 70);
  EXPECT_FALSE(audit::verify_chain(db->app(), "main").intact);
}

TEST_F(Checkpoints, ForgedOrMissingCheckpointsFail) {
  testing::append_history(db->app(), "main", heartbeats(10, kDay));
  auto report = audit::check_checkpoints(db->app(), "main", cpdir, keys.public_path);
  EXPECT_FALSE(report.ok);  // asked to check against checkpoints, and there are none
  const auto written = audit::write_checkpoint(db->app(), "main", cpdir, keys.private_path);
  auto text = audit::read_file(written.path);
  const auto pos = text.find("\"site_seq\": 10");
  ASSERT_NE(pos, std::string::npos) << text;
  text.replace(pos, 14, "\"site_seq\": 9 ");
  std::filesystem::permissions(written.path, std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  {
    std::ofstream out{written.path, std::ios::trunc};
    out << text;
  }
  report = audit::check_checkpoints(db->app(), "main", cpdir, keys.public_path);
  EXPECT_FALSE(report.ok);
  ASSERT_FALSE(report.problems.empty());
  EXPECT_NE(report.problems[0].find("checkpoint main-"), std::string::npos) << report.problems[0];
}

TEST_F(Checkpoints, CommandLineVerifyChainWithCheckpoints) {
  using testing::shell_quote;
  testing::append_history(db->app(), "main", heartbeats(120, kDay));
  const auto database = " --database " + shell_quote(db->app());
  auto r = testing::run_audit("checkpoint --dir " + shell_quote(cpdir) + " --key " +
                              shell_quote(keys.private_path) + database);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("checkpoint written"), std::string::npos) << r.output;
  const auto verify = "verify-chain --checkpoints " + shell_quote(cpdir) + " --pubkey " +
                      shell_quote(keys.public_path) + database;
  r = testing::run_audit(verify);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("chain intact"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("checkpoints hold: 1 signed checkpoints"), std::string::npos) << r.output;

  as_superuser("DELETE FROM events WHERE site_seq > 90");
  r = testing::run_audit(verify);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("chain intact: site main, 90 events"), std::string::npos) << r.output;
  EXPECT_NE(
      r.output.find("database ends at site_seq 90 but checkpoint main-00000000000000000120.checkpoint.json"),
      std::string::npos)
      << r.output;
  // Without --checkpoints the truncation goes unseen, as before.
  EXPECT_EQ(testing::run_audit("verify-chain" + database).status, 0);
}

}  // namespace
}  // namespace portcullis
