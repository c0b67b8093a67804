#pragma once
// What portcullisd's start-up and its command-line commands (migrate, add-device, add-operator,
// disable-device) read and write. Each call opens a connection of its own from the libpq connection string
// it is given, so each runs under the role that string names: the admin role for migrations, the server's
// role for everything else (db/migrations grant each only what it needs). Callers see plain rows, never
// libpqxx.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "portcullis/storage/device_row.hpp"
#include "portcullis/storage/migration_report.hpp"
#include "portcullis/storage/operator_row.hpp"
#include "portcullis/storage/stored_record.hpp"

namespace portcullis::storage {

// Applies the embedded migrations (migrator.hpp) as `admin_database`'s role. Throws SchemaTooNew when the
// database is newer than this binary.
MigrationReport migrate_database(const std::string& admin_database);

// The site's enrolled devices.
[[nodiscard]] std::vector<DeviceRow> load_site_devices(const std::string& database,
                                                       const std::string& site_id);
// Inserts or replaces the device's kind and token hash, enabling it.
void enrol_device(const std::string& database, const DeviceRow& device, std::int64_t now_us);
// False when no device has that id (nothing changed).
[[nodiscard]] bool set_device_enabled(const std::string& database, const std::string& device_id,
                                      bool enabled);

// False when the id is taken.
[[nodiscard]] bool add_operator(const std::string& database, const OperatorRow& row, std::int64_t now_us);

// Seals every operator's TOTP secret still stored in clear (secret_box.hpp); returns how many.
std::size_t seal_clear_totp_secrets_in(const std::string& database);

// One family of stored records to read back ("command.", "change."), and what to do with each.
struct RecordFamilyVisit {
  std::string type_prefix;
  std::function<void(const StoredRecord&)> visit;
};
// Reads the families one after the other, each in site_seq order, on one connection (history_reader.hpp).
void for_each_record_of_families(const std::string& database, const std::string& site_id,
                                 const std::vector<RecordFamilyVisit>& families);

}  // namespace portcullis::storage
