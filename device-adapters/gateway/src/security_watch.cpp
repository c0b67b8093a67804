#include "portcullis/gateway/security_watch.hpp"

#include "portcullis/adapters/osdp_replies.hpp"

namespace portcullis::gateway {

namespace osdp = adapters::osdp;

namespace {

// Replies a PD sends in clear before (or while refusing) a Secure Channel session.
bool harmless_in_clear(const osdp::Frame& frame) {
  switch (frame.code) {
    case 0x40:  // osdp_ACK
    case 0x41:  // osdp_NAK
    case 0x45:  // osdp_PDID
    case 0x46:  // osdp_PDCAP
      return true;
    default: return false;
  }
}

}  // namespace

SecurityWatch::SecurityWatch(GatewayConfig config, SecurityPolicy policy)
    : config_(std::move(config)), policy_(policy) {}

nlohmann::json SecurityWatch::alarm(const std::string& component, bool active, WallTime now) {
  return nlohmann::json{
      {"type", "tamper"}, {"time", format_rfc3339(now)}, {"component", component}, {"active", active}};
}

bool SecurityWatch::plaintext_alarm(std::uint8_t address) const {
  const auto it = pds_.find(address);
  return it != pds_.end() && it->second.plaintext;
}

bool SecurityWatch::default_key_alarm(std::uint8_t address) const {
  const auto it = pds_.find(address);
  return it != pds_.end() && it->second.default_key;
}

Output SecurityWatch::observe(const osdp::Frame& frame, WallTime now) {
  Output out;
  auto& pd = pds_[frame.address];
  const auto name = config_.pd_name(frame.address);
  const auto info = osdp::secure_channel_info(frame);

  if (!info.secure) {
    if (frame.is_reply && !harmless_in_clear(frame) && !pd.plaintext) {
      pd.plaintext = true;
      out.events.push_back(alarm("osdp-plaintext:" + name, true, now));
      out.notices.push_back("ALARM: " + name + " (OSDP address " + std::to_string(frame.address) + ") sent " +
                            std::string(osdp::reply_name(frame.code)) + " without Secure Channel");
    }
    return out;
  }
  if (info.authenticated && pd.plaintext) {
    pd.plaintext = false;
    out.events.push_back(alarm("osdp-plaintext:" + name, false, now));
    out.notices.push_back(name + " is back on an authenticated Secure Channel");
  }
  if (info.handshake && info.type != osdp::SecureBlockType::Scs14) {
    if (info.default_key) {
      if (in_commissioning_window(now)) {
        out.notices.push_back(
            name + " (OSDP address " + std::to_string(frame.address) +
            ") handshakes on the default key SCBK-D inside the commissioning window until " +
            format_rfc3339(*policy_.commissioning_until));
      } else if (!pd.default_key) {
        pd.default_key = true;
        out.events.push_back(alarm("osdp-default-key:" + name, true, now));
        out.notices.push_back(
            "ALARM: " + name + " (OSDP address " + std::to_string(frame.address) +
            ") handshakes on the public default key SCBK-D outside any commissioning window");
      }
    } else if (pd.default_key) {
      pd.default_key = false;
      out.events.push_back(alarm("osdp-default-key:" + name, false, now));
      out.notices.push_back(name + " now handshakes on its own key (SCBK)");
    }
  }
  if (info.type == osdp::SecureBlockType::Scs14) {
    if (info.handshake_rejected) {
      pd.rejected = true;
      out.events.push_back(alarm("osdp-handshake-rejected:" + name, true, now));
      out.notices.push_back("ALARM: " + name + " (OSDP address " + std::to_string(frame.address) +
                            ") rejected the control panel's Secure Channel cryptogram");
    } else if (pd.rejected) {
      pd.rejected = false;
      out.events.push_back(alarm("osdp-handshake-rejected:" + name, false, now));
    }
  }
  return out;
}

}  // namespace portcullis::gateway
