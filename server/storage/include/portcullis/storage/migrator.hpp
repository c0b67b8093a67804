#pragma once
// Applies db/migrations at start-up: each at most once, recorded in schema_migrations, all in one
// transaction, and refuses a database that is newer than this binary.
#include <pqxx/connection>
#include <string>
#include <vector>

#include "portcullis/storage/embedded_migrations.hpp"

#include "portcullis/storage/migration_report.hpp"

namespace portcullis::storage {

class SchemaTooNew : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws SchemaTooNew with a clear message, or pqxx errors for database failures.
MigrationReport migrate(pqxx::connection& admin,
                        const std::vector<Migration>& migrations = embedded_migrations());

}  // namespace portcullis::storage
