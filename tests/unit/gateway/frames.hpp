#pragma once
// Test helpers: OSDP frames built with the codec's own encoders and round-tripped through the wire bytes.
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "portcullis/adapters/osdp_frame.hpp"
#include "portcullis/adapters/osdp_replies.hpp"
#include "portcullis/gateway/config.hpp"
#include "portcullis/gateway/output.hpp"

namespace portcullis::gateway::test {

namespace osdp = adapters::osdp;

inline osdp::SecurityBlock scs16() {
  return osdp::SecurityBlock{osdp::SecureBlockType::Scs16, {}};
}

// Wire bytes of a frame (SCS_15..18 get a dummy MAC: the gateway checks channel type, not the MAC itself).
inline std::vector<std::uint8_t> wire(osdp::Frame f) {
  if (f.security && osdp::carries_mac(f.security->type))
    f.mac = std::array<std::uint8_t, 4>{0xA1, 0xB2, 0xC3, 0xD4};
  auto bytes = osdp::build_frame(f);
  EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().reason);
  return bytes.ok() ? bytes.value() : std::vector<std::uint8_t>{};
}

inline osdp::Frame parsed(const std::vector<std::uint8_t>& bytes) {
  auto f = osdp::parse_frame(bytes);
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().reason);
  return f.ok() ? f.value() : osdp::Frame{};
}

// A reply frame carrying `reply` from PD `address`, on Secure Channel (SCS_16) unless told otherwise.
inline osdp::Frame reply_frame(std::uint8_t address, const osdp::Reply& reply,
                               std::optional<osdp::SecurityBlock> security = scs16()) {
  auto payload = osdp::encode_reply(reply);
  EXPECT_TRUE(payload.ok());
  osdp::Frame f;
  f.address = address;
  f.is_reply = true;
  f.code = payload->code;
  f.data = payload->data;
  f.security = std::move(security);
  return parsed(wire(f));
}

// A Secure Channel handshake frame (SCS_11/13 from the CP, SCS_12/14 from the PD).
inline osdp::Frame handshake_frame(std::uint8_t address, osdp::SecureBlockType type,
                                   std::uint8_t block_byte) {
  osdp::Frame f;
  f.address = address;
  f.is_reply = type == osdp::SecureBlockType::Scs12 || type == osdp::SecureBlockType::Scs14;
  f.security = osdp::SecurityBlock{type, {block_byte}};
  switch (type) {
    case osdp::SecureBlockType::Scs11: f.code = 0x76; break;  // osdp_CHLNG
    case osdp::SecureBlockType::Scs12: f.code = 0x76; break;  // osdp_CCRYPT
    case osdp::SecureBlockType::Scs13: f.code = 0x77; break;  // osdp_SCRYPT
    default: f.code = 0x78; break;                            // osdp_RMAC_I
  }
  f.data = std::vector<std::uint8_t>(16, 0x5A);
  return parsed(wire(f));
}

inline GatewayConfig lobby_config() {
  return parse_config(R"({"readers": {"1": "rdr-lobby-in", "2": "rdr-lobby-out", "3:1": "rdr-cage-bio"}})");
}

inline WallTime at(const char* rfc3339) {
  return parse_rfc3339(rfc3339).value();
}

}  // namespace portcullis::gateway::test
