// The start-up check after a restore (server/audit/restore_guard.hpp): the newest signed checkpoint names a
// row the database no longer holds (restored to an earlier point: "removed") or holds with another hash
// ("replaced"), and the loss is named as the range of site_seq the checkpoints prove gone.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "audit_history.hpp"
#include "portcullis/audit/checkpoints.hpp"
#include "portcullis/audit/restore_guard.hpp"
#include "portcullis/audit/signing.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

namespace fs = std::filesystem;
using testing::kDay;

std::vector<testing::HistoryEvent> heartbeats(int n, std::int64_t from_us) {
  std::vector<testing::HistoryEvent> h(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    h[static_cast<std::size_t>(i)].type = "heartbeat";
    h[static_cast<std::size_t>(i)].received_us = from_us + i * 1'000'000;
  }
  return h;
}

class RestoreGuard : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    keys = audit::generate_key_files(dir.file("keys"));
    cpdir = dir.file("checkpoints");
  }
  // 60 rows, a checkpoint, 60 more, a checkpoint: checkpoints at site_seq 60 and 120.
  void history_with_two_checkpoints() {
    testing::append_history(db->app(), "main", heartbeats(60, kDay));
    audit::write_checkpoint(db->app(), "main", cpdir, keys.private_path);
    testing::append_history(db->app(), "main", heartbeats(60, kDay + testing::kHour));
    audit::write_checkpoint(db->app(), "main", cpdir, keys.private_path);
  }
  void as_superuser(const std::string& sql) {
    pqxx::connection c{db->admin()};
    pqxx::work tx{c};
    tx.exec("SET session_replication_role = replica");  // superuser only: skips the append-only triggers
    tx.exec(sql);
    tx.commit();
  }
  [[nodiscard]] std::optional<audit::LostHistory> lost() const {
    return audit::find_lost_history(db->app(), "main", {{cpdir, keys.public_path}});
  }
  std::unique_ptr<testing::TestDatabase> db;
  testing::TempDir dir;
  audit::KeyFiles keys;
  std::string cpdir;
};

TEST_F(RestoreGuard, HistoryThatHoldsItsCheckpointsLostNothing) {
  history_with_two_checkpoints();
  EXPECT_FALSE(lost().has_value());
  EXPECT_FALSE(audit::find_lost_history(db->app(), "main", {}).has_value()) << "no checkpoints configured";
}

TEST_F(RestoreGuard, RestoreToAnEarlierPointNamesTheRowsAfterTheRestoredHead) {
  history_with_two_checkpoints();
  as_superuser("DELETE FROM events WHERE site_seq > 90");  // what a point-in-time restore leaves
  const auto found = lost();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->kind, "removed");
  EXPECT_EQ(found->lost_from, 91);
  EXPECT_EQ(found->lost_to, 120);
  EXPECT_EQ(found->database_head, 90);
  EXPECT_EQ(found->checkpoint, "main-00000000000000000120.checkpoint.json");
  EXPECT_EQ(found->range(), "site_seq 91..120");
  EXPECT_NE(found->describe().find("restored to an earlier point"), std::string::npos) << found->describe();

  const auto payload = nlohmann::json::parse(audit::restore_acknowledgement_payload(*found, "dana"));
  EXPECT_EQ(payload.at("lost_from"), 91);
  EXPECT_EQ(payload.at("lost_to"), 120);
  EXPECT_EQ(payload.at("restored_head"), 90);
  EXPECT_EQ(payload.at("acknowledged_by"), "dana");
  EXPECT_EQ(payload.at("set_aside_to"), cpdir + "/lost-91-120");

  // The lost checkpoint is kept aside; the one the restored history still holds stays in place.
  EXPECT_EQ(audit::set_lost_checkpoints_aside(*found, {cpdir, keys.public_path}, "main"),
            cpdir + "/lost-91-120");
  EXPECT_TRUE(fs::exists(cpdir + "/lost-91-120/main-00000000000000000120.checkpoint.json"));
  EXPECT_TRUE(fs::exists(cpdir + "/main-00000000000000000060.checkpoint.json"));
  EXPECT_FALSE(lost().has_value());
}

TEST_F(RestoreGuard, ReplacedHistoryNamesTheRowsAfterTheNewestCheckpointThatStillHolds) {
  history_with_two_checkpoints();
  as_superuser("UPDATE events SET hash = sha256('another history'::bytea) WHERE site_seq = 120");
  const auto found = lost();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->kind, "replaced");
  EXPECT_EQ(found->lost_from, 61);
  EXPECT_EQ(found->lost_to, 120);
  EXPECT_EQ(found->database_head, 120);
}

TEST_F(RestoreGuard, CheckpointsSignedByAnotherKeyAreNotThisSources) {
  history_with_two_checkpoints();
  as_superuser("DELETE FROM events WHERE site_seq > 90");
  const auto other = audit::generate_key_files(dir.file("other-keys"));
  EXPECT_FALSE(audit::find_lost_history(db->app(), "main", {{cpdir, other.public_path}}).has_value());
}

TEST_F(RestoreGuard, AnUnreadablePublicKeyStopsTheCheckNamingTheFile) {
  history_with_two_checkpoints();
  try {
    (void)audit::find_lost_history(db->app(), "main", {{cpdir, dir.file("missing.pub.pem")}});
    FAIL() << "an unchecked history must not pass for an intact one";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("missing.pub.pem"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace portcullis
