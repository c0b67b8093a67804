#include "portcullis/storage/device_directory.hpp"
#include "portcullis/util/hex.hpp"

#include <pqxx/pqxx>

namespace portcullis::storage {
DeviceDirectory::DeviceDirectory(pqxx::connection& connection) : connection_(connection) {}

std::vector<DeviceRow> DeviceDirectory::load_site(const std::string& site_id) {
  pqxx::read_transaction tx{connection_};
  const auto rows = tx.exec_params(
      "SELECT device_id, site_id, kind, token_sha256, enabled FROM devices WHERE site_id = $1", site_id);
  std::vector<DeviceRow> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    DeviceRow d;
    d.device_id = row[0].as<std::string>();
    d.site_id = row[1].as<std::string>();
    d.kind = row[2].as<std::string>();
    if (!row[3].is_null()) {
      const pqxx::binarystring bytes{row[3]};
      if (bytes.size() == 32) {
        std::array<std::uint8_t, 32> h{};
        std::copy(bytes.begin(), bytes.end(), h.begin());
        d.token_sha256 = h;
      }
    }
    d.enabled = row[4].as<bool>();
    out.push_back(std::move(d));
  }
  return out;
}

void DeviceDirectory::upsert(const DeviceRow& device, std::int64_t now_us) {
  pqxx::work tx{connection_};
  const std::optional<std::string> token_hex =
      device.token_sha256 ? std::optional<std::string>{util::hex_encode(*device.token_sha256)} : std::nullopt;
  tx.exec_params(
      "INSERT INTO devices (device_id, site_id, kind, token_sha256, enabled, created_us)"
      " VALUES ($1, $2, $3, decode($4, 'hex'), true, $5)"
      " ON CONFLICT (device_id) DO UPDATE SET site_id = EXCLUDED.site_id, kind = EXCLUDED.kind,"
      " token_sha256 = EXCLUDED.token_sha256, enabled = true",
      device.device_id, device.site_id, device.kind, token_hex, now_us);
  tx.commit();
}

bool DeviceDirectory::set_enabled(const std::string& device_id, bool enabled) {
  pqxx::work tx{connection_};
  const auto changed =
      tx.exec_params("UPDATE devices SET enabled = $2 WHERE device_id = $1", device_id, enabled)
          .affected_rows();
  tx.commit();
  return changed == 1;
}

}  // namespace portcullis::storage
