#include "portcullis/storage/migrator.hpp"
#include "portcullis/util/hex.hpp"

#include <openssl/evp.h>

#include <pqxx/pqxx>

namespace portcullis::storage {
namespace {

// Several instances may start together against one database: one migrates, the others wait.
constexpr long long kMigrationLockKey = 0x706f7274637531LL;  // "portcu1"

std::string sha256_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha256(), nullptr);
  return util::hex_encode(std::span<const std::uint8_t>{digest, len});
}

}  // namespace

MigrationReport migrate(pqxx::connection& admin, const std::vector<Migration>& migrations) {
  MigrationReport report;
  pqxx::work tx{admin, "migrate"};
  tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
  tx.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
      " applied_at timestamptz NOT NULL DEFAULT now())");

  int newest_known = 0;
  for (const auto& m : migrations) newest_known = std::max(newest_known, m.version);

  const auto applied = tx.exec("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
  for (const auto& row : applied) {
    const int version = row[0].as<int>();
    report.database_version_before = std::max(report.database_version_before, version);
    if (version > newest_known) {
      throw SchemaTooNew("the database schema is at version " + std::to_string(version) + " (" +
                         row[1].as<std::string>() + ") but this portcullisd knows migrations only up to " +
                         std::to_string(newest_known) +
                         ": upgrade portcullisd before starting it against this database");
    }
    for (const auto& m : migrations) {
      if (m.version == version && sha256_hex(m.sql) != row[2].as<std::string>()) {
        throw SchemaTooNew("migration " + m.name +
                           " was changed after it was applied; add a new migration instead of editing one");
      }
    }
  }

  for (const auto& m : migrations) {
    if (m.version <= report.database_version_before) continue;
    tx.exec(m.sql);
    tx.exec_params("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", m.version,
                   m.name, sha256_hex(m.sql));
    report.applied.push_back(m.name);
  }
  tx.commit();
  report.database_version_after = std::max(report.database_version_before, newest_known);
  return report;
}

}  // namespace portcullis::storage
