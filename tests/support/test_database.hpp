#pragma once
// A fresh database in the PostgreSQL cluster that scripts/test started (PORTCULLIS_TEST_PGHOST/PGPORT),
// migrated, and dropped again at the end. Tests that need PostgreSQL skip with a message without it.
#include <string>

namespace portcullis::testing {

class TestDatabase {
 public:
  TestDatabase();  // creates and migrates "portcullis_test_<random>"
  // The same in another cluster (a test that runs its own, e.g. to back it up and restore it).
  TestDatabase(const std::string& host, const std::string& port);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  [[nodiscard]] const std::string& admin() const { return admin_; }  // superuser
  [[nodiscard]] const std::string& app() const { return app_; }      // portcullis_app
  [[nodiscard]] const std::string& name() const { return name_; }

  static bool available();

 private:
  std::string server_;
  std::string name_;
  std::string admin_;
  std::string app_;
};

#define PORTCULLIS_REQUIRE_DATABASE()                                                      \
  do {                                                                                     \
    if (!::portcullis::testing::TestDatabase::available())                                 \
      GTEST_SKIP() << "no test PostgreSQL (run through ./scripts/test, which starts one)"; \
  } while (0)

}  // namespace portcullis::testing
