#include "portcullis/storage/daemon_queries.hpp"

#include <pqxx/pqxx>

#include "portcullis/storage/device_directory.hpp"
#include "portcullis/storage/history_reader.hpp"
#include "portcullis/storage/migrator.hpp"
#include "portcullis/storage/operator_directory.hpp"
#include "portcullis/storage/secret_box.hpp"

namespace portcullis::storage {

MigrationReport migrate_database(const std::string& admin_database) {
  pqxx::connection admin{admin_database};
  return migrate(admin);
}

std::vector<DeviceRow> load_site_devices(const std::string& database, const std::string& site_id) {
  pqxx::connection connection{database};
  return DeviceDirectory{connection}.load_site(site_id);
}

void enrol_device(const std::string& database, const DeviceRow& device, std::int64_t now_us) {
  pqxx::connection connection{database};
  DeviceDirectory{connection}.upsert(device, now_us);
}

bool set_device_enabled(const std::string& database, const std::string& device_id, bool enabled) {
  pqxx::connection connection{database};
  return DeviceDirectory{connection}.set_enabled(device_id, enabled);
}

bool add_operator(const std::string& database, const OperatorRow& row, std::int64_t now_us) {
  pqxx::connection connection{database};
  return OperatorDirectory{connection}.insert(row, now_us);
}

std::size_t seal_clear_totp_secrets_in(const std::string& database) {
  pqxx::connection connection{database};
  return seal_clear_totp_secrets(connection);
}

void for_each_record_of_families(const std::string& database, const std::string& site_id,
                                 const std::vector<RecordFamilyVisit>& families) {
  pqxx::connection connection{database};
  for (const auto& family : families)
    for_each_record_of_family(connection, site_id, family.type_prefix, family.visit);
}

}  // namespace portcullis::storage
