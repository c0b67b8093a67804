#pragma once
// Translator: decoded OSDP replies from the reader bus -> device-API events. Pure: no I/O, time passed in.
//
//   osdp_RAW       -> "credential": bits decoded with the Wiegand codec (26/35/37 bits), card {facility,
//   number} osdp_KEYPAD    -> "pin": digits collected per reader until '#' or pin_max_digits; '*' clears;
//   entries
//                     shorter than 4 digits, function keys and entries idle longer than pin_timeout are
//                     discarded (logged, digits never logged)
//   osdp_LSTATR    -> "tamper" on each change: component = PD name (tamper switch) and PD name + ":power"
//                     (power failure); the first report counts as a change only when something is active
//   osdp_BIOMATCHR -> "biometric": template_id from the config, score as sent, matched = status success and
//                     score >= biometric_threshold
//   osdp_ACK        -> nothing; osdp_NAK -> a notice
//
// Replies from unmapped addresses/readers produce a notice and no event.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "portcullis/adapters/osdp_frame.hpp"
#include "portcullis/adapters/osdp_replies.hpp"
#include "portcullis/gateway/config.hpp"
#include "portcullis/gateway/output.hpp"

namespace portcullis::gateway {

class Translator {
 public:
  explicit Translator(GatewayConfig config);

  // A complete frame from the deframer: commands are ignored, replies decoded and translated; decode
  // errors (encrypted payload, unsupported reply, bad data) become notices.
  [[nodiscard]] Output on_frame(const adapters::osdp::Frame& frame, WallTime now);
  // One decoded reply from the PD at `address`.
  [[nodiscard]] Output translate(std::uint8_t address, const adapters::osdp::Reply& reply, WallTime now);
  // Discards PIN entries idle for longer than pin_timeout (call it now and then).
  [[nodiscard]] Output expire(WallTime now);

  [[nodiscard]] const GatewayConfig& config() const noexcept { return config_; }
  [[nodiscard]] std::size_t pending_pins() const noexcept { return pins_.size(); }

 private:
  struct PinEntry {
    std::string digits;
    WallTime last_key{};
  };
  struct Status {
    bool tamper = false;
    bool power_failure = false;
  };

  Output on_card(std::uint8_t address, const adapters::osdp::RawCardRead& read, WallTime now);
  Output on_keys(std::uint8_t address, const adapters::osdp::KeypadEntry& keys, WallTime now);
  Output on_status(std::uint8_t address, const adapters::osdp::LocalStatus& status, WallTime now);
  Output on_biometric(std::uint8_t address, const adapters::osdp::BiometricMatchResult& match, WallTime now);

  GatewayConfig config_;
  std::map<std::pair<std::uint8_t, std::uint8_t>, PinEntry> pins_;  // (address, reader)
  std::map<std::uint8_t, Status> status_;                           // per address
};

}  // namespace portcullis::gateway
