// Insecure channel and default-key alarms, inside and outside the commissioning window.
#include <gtest/gtest.h>

#include "frames.hpp"
#include "portcullis/adapters/wiegand.hpp"
#include "portcullis/gateway/security_watch.hpp"

namespace portcullis::gateway {
namespace {

using namespace test;
using nlohmann::json;
using osdp::SecureBlockType;

const WallTime kT0 = at("2026-11-27T10:00:00Z");

osdp::RawCardRead some_card() {
  auto c = adapters::wiegand::encode(adapters::wiegand::Format::H10301_26, 42, 10001);
  return osdp::RawCardRead{0, 1, c->raw_bits};
}

json alarm(const char* component, bool active, WallTime t = kT0) {
  return json{{"type", "tamper"}, {"time", format_rfc3339(t)}, {"component", component}, {"active", active}};
}

TEST(SecurityWatch, PlaintextReplyRaisesOneAlarmUntilSecureAgain) {
  SecurityWatch w{lobby_config(), {}};
  auto out = w.observe(reply_frame(1, some_card(), std::nullopt), kT0);
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0], alarm("osdp-plaintext:rdr-lobby-in", true));
  EXPECT_NE(out.notices.at(0).find("without Secure Channel"), std::string::npos);
  EXPECT_TRUE(w.plaintext_alarm(1));
  // Still in clear: no second alarm.
  EXPECT_TRUE(w.observe(reply_frame(1, osdp::LocalStatus{}, std::nullopt), kT0).events.empty());
  // Back on an authenticated channel: cleared once.
  out = w.observe(reply_frame(1, osdp::Ack{}), kT0);
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0], alarm("osdp-plaintext:rdr-lobby-in", false));
  EXPECT_FALSE(w.plaintext_alarm(1));
  EXPECT_TRUE(w.observe(reply_frame(1, some_card()), kT0).events.empty());
}

TEST(SecurityWatch, PreSessionRepliesInClearAreNotAlarms) {
  SecurityWatch w{lobby_config(), {}};
  EXPECT_TRUE(w.observe(reply_frame(1, osdp::Ack{}, std::nullopt), kT0).events.empty());
  EXPECT_TRUE(w.observe(reply_frame(1, osdp::Nak{0x05, {}}, std::nullopt), kT0).events.empty());
  osdp::Frame pdid;
  pdid.address = 1;
  pdid.is_reply = true;
  pdid.code = 0x45;
  pdid.data = std::vector<std::uint8_t>(12, 0x01);
  EXPECT_TRUE(w.observe(parsed(wire(pdid)), kT0).events.empty());
  osdp::Frame poll;  // the CP's own commands are not the reader talking
  poll.address = 1;
  poll.code = 0x60;
  EXPECT_TRUE(w.observe(parsed(wire(poll)), kT0).events.empty());
  EXPECT_FALSE(w.plaintext_alarm(1));
}

TEST(SecurityWatch, PlaintextAlarmNamesUnmappedPdsByAddress) {
  SecurityWatch w{lobby_config(), {}};
  const auto out = w.observe(reply_frame(12, osdp::LocalStatus{}, std::nullopt), kT0);
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0]["component"], "osdp-plaintext:osdp-12");
}

TEST(SecurityWatch, DefaultKeyOutsideAnyWindowIsAnAlarm) {
  SecurityWatch w{lobby_config(), {}};
  auto out = w.observe(handshake_frame(2, SecureBlockType::Scs12, 0x00), kT0);
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0], alarm("osdp-default-key:rdr-lobby-out", true));
  EXPECT_TRUE(w.default_key_alarm(2));
  // The rest of the same handshake does not repeat it.
  EXPECT_TRUE(w.observe(handshake_frame(2, SecureBlockType::Scs13, 0x00), kT0).events.empty());
  // A later handshake on the PD's own key clears it.
  out = w.observe(handshake_frame(2, SecureBlockType::Scs11, 0x01), kT0);
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0], alarm("osdp-default-key:rdr-lobby-out", false));
  EXPECT_FALSE(w.default_key_alarm(2));
}

TEST(SecurityWatch, DefaultKeyInsideTheCommissioningWindowIsOnlyLogged) {
  const auto until = kT0 + std::chrono::hours{1};
  SecurityWatch w{lobby_config(), SecurityPolicy{until}};
  EXPECT_TRUE(w.in_commissioning_window(kT0));
  auto out = w.observe(handshake_frame(1, SecureBlockType::Scs11, 0x00), kT0);  // CP side, SCBK-D
  EXPECT_TRUE(out.events.empty());
  ASSERT_EQ(out.notices.size(), 1U);
  EXPECT_NE(out.notices[0].find("inside the commissioning window until 2026-11-27T11:00:00.000Z"),
            std::string::npos);
  out = w.observe(handshake_frame(1, SecureBlockType::Scs12, 0x00), until - std::chrono::milliseconds{1});
  EXPECT_TRUE(out.events.empty());
  // The window is closed at its end instant.
  out = w.observe(handshake_frame(1, SecureBlockType::Scs12, 0x00), until);
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0], alarm("osdp-default-key:rdr-lobby-in", true, until));
}

TEST(SecurityWatch, ExpiredWindowDoesNotExcuseDefaultKey) {
  SecurityWatch w{lobby_config(), SecurityPolicy{kT0 - std::chrono::seconds{1}}};
  EXPECT_FALSE(w.in_commissioning_window(kT0));
  EXPECT_EQ(w.observe(handshake_frame(1, SecureBlockType::Scs12, 0x00), kT0).events.size(), 1U);
}

TEST(SecurityWatch, RejectedCryptogramIsAnAlarm) {
  SecurityWatch w{lobby_config(), {}};
  auto out = w.observe(handshake_frame(1, SecureBlockType::Scs14, 0x00), kT0);
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0], alarm("osdp-handshake-rejected:rdr-lobby-in", true));
  out = w.observe(handshake_frame(1, SecureBlockType::Scs14, 0x01), kT0);
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0], alarm("osdp-handshake-rejected:rdr-lobby-in", false));
  EXPECT_TRUE(w.observe(handshake_frame(1, SecureBlockType::Scs14, 0x01), kT0).events.empty());
}

TEST(SecurityWatch, AlarmComponentsFitTheApiIdentifierLimit) {
  const std::string longest(kMaxReaderIdLength, 'r');
  const auto config = parse_config(R"({"readers": {"1": ")" + longest + R"("}})");
  SecurityWatch w{config, {}};
  const auto out = w.observe(handshake_frame(1, SecureBlockType::Scs14, 0x00), kT0);
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_LE(out.events[0]["component"].get<std::string>().size(), 64U);
}

}  // namespace
}  // namespace portcullis::gateway
