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
//
// With "control_panel" the gateway is the bus's Control Panel (it polls the PDs over a Secure Channel and
// drives their doors) instead of a passive tap:
//
//   "control_panel": {"transport": "serial:/dev/ttyUSB0" | "tcp:HOST:PORT", "baud": 9600,
//                     "reply_timeout_ms": 200,
//                     "pds": {"1": {"scbk": "<32 hex digits>", "install_mode": false}}}
//
// Every polled PD is listed under "pds" with its own Secure Channel base key. "install_mode": true lets
// the gateway open the session on the public default key SCBK-D and set the PD's key to "scbk" with
// osdp_KEYSET; without it SCBK-D is never used. Keys are never logged or echoed in errors.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "portcullis/adapters/osdp_secure_channel.hpp"

namespace portcullis::gateway {

// Site reader ids are limited to this length so that alarm components ("osdp-plaintext:" + id) stay within
// the device API's 64-character identifiers.
inline constexpr std::size_t kMaxReaderIdLength = 40;

struct PeripheralKey {
  adapters::osdp::sc::Key scbk{};
  bool install_mode = false;
};

struct ControlPanelConfig {
  std::string transport;  // "serial:PATH" (a serial device or pseudo-terminal) or "tcp:HOST:PORT"
  unsigned baud = 0;      // 0: keep the line's setting
  std::chrono::milliseconds reply_timeout{200};
  std::map<std::uint8_t, PeripheralKey> pds;  // by OSDP address, polled in this order
};

struct GatewayConfig {
  // (address, reader number) -> site reader id; reader number -1 means "any reader of this PD".
  std::map<std::pair<int, int>, std::string> readers;
  std::size_t pin_max_digits =
      12;  // a PIN is sent when '#' is pressed or this many digits are entered (4-12)
  std::chrono::seconds pin_timeout{10};    // unfinished PIN entries older than this are discarded
  std::uint8_t biometric_threshold = 128;  // BIOMATCHR success with score >= threshold => matched
  std::string biometric_template_id = "osdp-local";
  std::optional<ControlPanelConfig> control_panel;  // set: the gateway is the Control Panel

  // The site reader id for a reply from `address` naming reader `reader` (nullopt when unmapped).
  [[nodiscard]] std::optional<std::string> reader_for(std::uint8_t address, std::uint8_t reader) const;
  // The name used for a PD as a whole (tamper and security alarms): its address-level mapping, else the
  // mapping of its lowest reader number, else "osdp-ADDRESS".
  [[nodiscard]] std::string pd_name(std::uint8_t address) const;
};

// Throws std::invalid_argument naming the offending field.
[[nodiscard]] GatewayConfig parse_config(std::string_view json_text);

}  // namespace portcullis::gateway
