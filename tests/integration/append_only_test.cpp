// History is append-only: the application role can INSERT and SELECT events, and UPDATE, DELETE and
// TRUNCATE fail both for it (no grant) and for the owner (triggers).
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "test_database.hpp"

namespace portcullis {
namespace {

constexpr const char* kInsert =
    "INSERT INTO events (site_id, site_seq, source, device_id, device_seq, type, device_time_us, received_us,"
    " payload, outcome, prev_hash, hash) VALUES ('main', 1, 'device', 'ctl-1', 1, 'heartbeat', 1, 1, '{}', "
    "'{}',"
    " decode(repeat('00', 32), 'hex'), decode(repeat('11', 32), 'hex'))";

bool fails(const std::string& conninfo, const std::string& sql) {
  pqxx::connection c{conninfo};
  pqxx::work tx{c};
  try {
    tx.exec(sql);
    tx.commit();
    return false;
  } catch (const pqxx::sql_error&) {
    return true;
  }
}

class AppendOnly : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    pqxx::connection app{db->app()};
    pqxx::work tx{app};
    tx.exec(kInsert);
    tx.commit();
  }
  std::unique_ptr<testing::TestDatabase> db;
};

TEST_F(AppendOnly, ApplicationRoleCanInsertAndSelect) {
  pqxx::connection app{db->app()};
  pqxx::read_transaction tx{app};
  EXPECT_EQ(tx.exec("SELECT count(*) FROM events")[0][0].as<int>(), 1);
}

TEST_F(AppendOnly, ApplicationRoleCannotUpdate) {
  EXPECT_TRUE(fails(db->app(), "UPDATE events SET type = 'x'"));
}
TEST_F(AppendOnly, ApplicationRoleCannotDelete) {
  EXPECT_TRUE(fails(db->app(), "DELETE FROM events"));
}
TEST_F(AppendOnly, ApplicationRoleCannotTruncate) {
  EXPECT_TRUE(fails(db->app(), "TRUNCATE events"));
}

TEST_F(AppendOnly, EvenTheOwnerIsStoppedByTriggers) {
  EXPECT_TRUE(fails(db->admin(), "UPDATE events SET type = 'x'"));
  EXPECT_TRUE(fails(db->admin(), "DELETE FROM events"));
  EXPECT_TRUE(fails(db->admin(), "TRUNCATE events"));
  pqxx::connection admin{db->admin()};
  pqxx::read_transaction tx{admin};
  EXPECT_EQ(tx.exec("SELECT type FROM events")[0][0].as<std::string>(), "heartbeat");
}

TEST_F(AppendOnly, SiteVersionsAreAppendOnlyToo) {
  EXPECT_TRUE(fails(db->app(), "UPDATE site_versions SET version = 'x'"));
  EXPECT_TRUE(fails(db->app(), "DELETE FROM site_versions"));
}

// Auditors read history with a role that cannot write it: portcullis_app may INSERT into events, so an
// auditor given that role could append a row.
TEST_F(AppendOnly, AuditorsHaveARoleThatCanOnlyReadHistory) {
  auto auditor = db->app();
  auditor.replace(auditor.find("user=portcullis_app"), std::string("user=portcullis_app").size(),
                  "user=portcullis_auditor");
  {
    pqxx::connection c{auditor};
    pqxx::read_transaction tx{c};
    EXPECT_EQ(tx.exec("SELECT count(*) FROM events")[0][0].as<int>(), 1);
    EXPECT_EQ(tx.exec("SELECT count(*) FROM site_versions")[0][0].as<int>(), 0);
    EXPECT_EQ(tx.exec("SELECT count(*) FROM events_readable")[0][0].as<int>(), 1);
  }
  std::string second_row = kInsert;
  second_row.replace(second_row.find("'main', 1,"), 10, "'main', 2,");
  EXPECT_TRUE(fails(auditor, second_row));
  EXPECT_TRUE(
      fails(auditor,
            "INSERT INTO site_versions (site_id, content_hash, version, content, loaded_us, loaded_by) "
            "VALUES ('main', sha256('x'), 'v', 'x', 1, 'a')"));
  EXPECT_TRUE(fails(auditor, "SELECT totp_secret FROM operators"));
  EXPECT_TRUE(fails(auditor, "SELECT token_sha256 FROM devices"));
  EXPECT_TRUE(fails(auditor, "SELECT token_hash FROM operator_sessions"));
}

}  // namespace
}  // namespace portcullis
