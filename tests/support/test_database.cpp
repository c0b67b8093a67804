#include "test_database.hpp"

#include <pqxx/pqxx>

#include <cstdlib>
#include <random>

#include "portcullis/storage/migrator.hpp"

namespace portcullis::testing {
namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// The test cluster's hosts and ports. Several (comma-separated, as libpq takes them: the database failover
// test's primary and standby) are asked for the one that takes writes, wherever it is now.
std::string server_address(const std::string& hosts, const std::string& ports) {
  return "host=" + hosts + " port=" + ports +
         (hosts.find(',') == std::string::npos ? "" : " target_session_attrs=read-write");
}
}  // namespace

bool TestDatabase::available() {
  return !env("PORTCULLIS_TEST_PGHOST").empty();
}

TestDatabase::TestDatabase() : TestDatabase(env("PORTCULLIS_TEST_PGHOST"), env("PORTCULLIS_TEST_PGPORT")) {}

TestDatabase::TestDatabase(const std::string& host, const std::string& port) {
  server_ = server_address(host, port) + " user=postgres";
  std::random_device rd;
  name_ = "portcullis_test_" + std::to_string(rd()) + std::to_string(rd() % 1000);
  {
    pqxx::connection c{server_ + " dbname=postgres"};
    pqxx::nontransaction tx{c};
    tx.exec("CREATE DATABASE " + tx.quote_name(name_));
  }
  admin_ = server_ + " dbname=" + name_;
  app_ = server_address(host, port) + " user=portcullis_app dbname=" + name_;
  pqxx::connection admin{admin_};
  storage::migrate(admin);
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection c{server_ + " dbname=postgres"};
    pqxx::nontransaction tx{c};
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
  } catch (...) {
    // best effort: the whole cluster is thrown away at the end of the run
  }
}

}  // namespace portcullis::testing
