#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "portcullis/storage/migrator.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

TEST(Migrations, AreNeverAppliedTwice) {
  PORTCULLIS_REQUIRE_DATABASE();
  testing::TestDatabase db;  // already migrated once
  pqxx::connection admin{db.admin()};
  const auto report = storage::migrate(admin);
  EXPECT_TRUE(report.applied.empty());
  EXPECT_EQ(report.database_version_before, report.database_version_after);
  pqxx::read_transaction tx{admin};
  EXPECT_EQ(tx.exec("SELECT count(*) FROM schema_migrations")[0][0].as<std::size_t>(),
            storage::embedded_migrations().size());
}

TEST(Migrations, RefuseADatabaseNewerThanTheBinary) {
  PORTCULLIS_REQUIRE_DATABASE();
  testing::TestDatabase db;
  pqxx::connection admin{db.admin()};
  {
    pqxx::work tx{admin};
    tx.exec("INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, '9999_future.sql', 'x')");
    tx.commit();
  }
  try {
    storage::migrate(admin);
    FAIL() << "a newer schema was accepted";
  } catch (const storage::SchemaTooNew& e) {
    EXPECT_NE(std::string(e.what()).find("version 9999"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("upgrade portcullisd"), std::string::npos) << e.what();
  }
}

TEST(Migrations, RefuseAnEditedMigration) {
  PORTCULLIS_REQUIRE_DATABASE();
  testing::TestDatabase db;
  pqxx::connection admin{db.admin()};
  auto edited = storage::embedded_migrations();
  edited.front().sql += "\n-- edited";
  EXPECT_THROW(storage::migrate(admin, edited), storage::SchemaTooNew);
}

}  // namespace
}  // namespace portcullis
