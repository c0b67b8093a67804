#pragma once
// Gateway configuration: which site reader each OSDP address (and reader number) stands for, and the few
// translation settings. Parsed from a small JSON file (the --map file):
//
//   {"readers": {"1": "rdr-lobby-in", "2": "rdr-lobby-out", "3:1": "rdr-cage-bio"},
//    "pin_max_digits": 8, "pin_timeout_seconds": 10,
//    "biometric_threshold": 128, "biometric_template_id": "osdp-local"}
//
// Keys of "readers" are "ADDRESS" (0-126) or "ADDRESS:READER" (reader number inside the PD, 0-255); the
// more specific key wins. Unknown keys are refused: a typo is an error, not a silent default.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace portcullis::gateway {

// Site reader ids are limited to this length so that alarm components ("osdp-plaintext:" + id) stay within
// the device API's 64-character identifiers.
inline constexpr std::size_t kMaxReaderIdLength = 40;

struct GatewayConfig {
  // (address, reader number) -> site reader id; reader number -1 means "any reader of this PD".
  std::map<std::pair<int, int>, std::string> readers;
  std::size_t pin_max_digits =
      12;  // a PIN is sent when '#' is pressed or this many digits are entered (4-12)
  std::chrono::seconds pin_timeout{10};    // unfinished PIN entries older than this are discarded
  std::uint8_t biometric_threshold = 128;  // BIOMATCHR success with score >= threshold => matched
  std::string biometric_template_id = "osdp-local";

  // The site reader id for a reply from `address` naming reader `reader` (nullopt when unmapped).
  [[nodiscard]] std::optional<std::string> reader_for(std::uint8_t address, std::uint8_t reader) const;
  // The name used for a PD as a whole (tamper and security alarms): its address-level mapping, else the
  // mapping of its lowest reader number, else "osdp-ADDRESS".
  [[nodiscard]] std::string pd_name(std::uint8_t address) const;
};

// Throws std::invalid_argument naming the offending field.
[[nodiscard]] GatewayConfig parse_config(std::string_view json_text);

}  // namespace portcullis::gateway
