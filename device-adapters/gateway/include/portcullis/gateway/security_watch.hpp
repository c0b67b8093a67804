#pragma once
// SecurityWatch: judges the channel every frame on the reader bus travels on and raises alarms through the
// device API. The API has no dedicated alarm type, so an alarm is a "tamper" event whose component names the
// finding and the PD (ids stay within the API's 64-character identifiers):
//
//   osdp-plaintext:<pd>    a PD replied without Secure Channel (no security block). Replies a PD legitimately
//                          sends before a session exists (osdp_ACK, osdp_NAK, osdp_PDID, osdp_PDCAP) do not
//                          count; anything else in clear does (card data, keys, status, biometrics...).
//                          Cleared (active false) by the next authenticated (SCS_15..SCS_18) frame from the
//                          PD.
//   osdp-default-key:<pd>  a Secure Channel handshake (SCS_11..SCS_13, either direction) names the public
//                          default key SCBK-D outside the commissioning window. Inside the window it is only
//                          logged. Cleared by a handshake on the PD's own key (SCBK).
//   osdp-handshake-rejected:<pd>  an SCS_14 reports that the PD refused the CP's cryptogram (wrong key or an
//                          impostor CP). Raised on every rejection seen; cleared by an accepted SCS_14.
//
// Alarms are raised on transitions only (one event per finding, not one per frame). Pure: time passed in.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "portcullis/adapters/osdp_frame.hpp"
#include "portcullis/gateway/config.hpp"
#include "portcullis/gateway/output.hpp"

namespace portcullis::gateway {

struct SecurityPolicy {
  // SCBK-D handshakes are tolerated strictly before this instant (none when unset).
  std::optional<WallTime> commissioning_until;
};

class SecurityWatch {
 public:
  SecurityWatch(GatewayConfig config, SecurityPolicy policy);

  [[nodiscard]] Output observe(const adapters::osdp::Frame& frame, WallTime now);

  [[nodiscard]] bool in_commissioning_window(WallTime now) const noexcept {
    return policy_.commissioning_until && now < *policy_.commissioning_until;
  }
  // Current alarm state of a PD (for tests and status lines).
  [[nodiscard]] bool plaintext_alarm(std::uint8_t address) const;
  [[nodiscard]] bool default_key_alarm(std::uint8_t address) const;

 private:
  struct PdState {
    bool plaintext = false;
    bool default_key = false;
    bool rejected = false;
  };
  static nlohmann::json alarm(const std::string& component, bool active, WallTime now);

  GatewayConfig config_;
  SecurityPolicy policy_;
  std::map<std::uint8_t, PdState> pds_;
};

}  // namespace portcullis::gateway
