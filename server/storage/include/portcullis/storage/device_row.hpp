#pragma once
// A device as enrolled in the devices table, in plain types.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace portcullis::storage {

struct DeviceRow {
  std::string device_id;
  std::string site_id;
  std::string kind;
  std::optional<std::array<std::uint8_t, 32>> token_sha256;  // absent: certificate-only device
  bool enabled = true;
};

}  // namespace portcullis::storage
