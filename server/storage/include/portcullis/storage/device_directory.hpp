#pragma once
// The devices table: who may post events, and with which token hash.
#include <pqxx/connection>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "portcullis/storage/device_row.hpp"

namespace portcullis::storage {

class DeviceDirectory {
 public:
  explicit DeviceDirectory(pqxx::connection& connection);

  [[nodiscard]] std::vector<DeviceRow> load_site(const std::string& site_id);
  // Inserts or replaces the device's kind and token hash, enabling it.
  void upsert(const DeviceRow& device, std::int64_t now_us);
  // False when no device has that id (nothing changed).
  [[nodiscard]] bool set_enabled(const std::string& device_id, bool enabled);

 private:
  pqxx::connection& connection_;
};

}  // namespace portcullis::storage
