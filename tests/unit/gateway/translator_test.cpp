// Translation of each OSDP reply kind into device-API events, with frames built by the codec's own encoders.
#include <gtest/gtest.h>

#include "frames.hpp"
#include "portcullis/adapters/osdp_deframer.hpp"
#include "portcullis/adapters/wiegand.hpp"
#include "portcullis/gateway/translator.hpp"

namespace portcullis::gateway {
namespace {

using namespace test;
using nlohmann::json;
namespace wiegand = adapters::wiegand;

osdp::RawCardRead card(wiegand::Format format, std::uint32_t facility, std::uint32_t number,
                       std::uint8_t reader = 0) {
  auto c = wiegand::encode(format, facility, number);
  EXPECT_TRUE(c.ok());
  return osdp::RawCardRead{reader, static_cast<std::uint8_t>(osdp::RawCardFormat::Wiegand), c->raw_bits};
}

osdp::KeypadEntry keys(const char* k, std::uint8_t reader = 0) {
  return osdp::KeypadEntry{reader, k};
}

const WallTime kT0 = at("2026-11-27T10:00:00.250Z");

TEST(Translator, RawWiegandCardBecomesCredential) {
  Translator t{lobby_config()};
  const auto out = t.on_frame(reply_frame(1, card(wiegand::Format::H10301_26, 42, 10001)), kT0);
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_TRUE(out.notices.empty());
  EXPECT_EQ(out.events[0], json::parse(R"({"type": "credential", "time": "2026-11-27T10:00:00.250Z",
                                           "reader": "rdr-lobby-in", "card": {"facility": 42, "number": 10001}})"));
}

TEST(Translator, DecodesAllThreeWiegandFormats) {
  Translator t{lobby_config()};
  const auto c1000 = t.on_frame(reply_frame(2, card(wiegand::Format::Corporate1000_35, 2643, 163271)), kT0);
  ASSERT_EQ(c1000.events.size(), 1U);
  EXPECT_EQ(c1000.events[0]["reader"], "rdr-lobby-out");
  EXPECT_EQ(c1000.events[0]["card"], json::parse(R"({"facility": 2643, "number": 163271})"));
  const auto h10304 = t.on_frame(reply_frame(1, card(wiegand::Format::H10304_37, 65535, 524287)), kT0);
  ASSERT_EQ(h10304.events.size(), 1U);
  EXPECT_EQ(h10304.events[0]["card"], json::parse(R"({"facility": 65535, "number": 524287})"));
}

TEST(Translator, BadParityOrUnknownFormatIsLoggedNotSent) {
  Translator t{lobby_config()};
  auto read = card(wiegand::Format::H10301_26, 1, 1);
  read.bits[0] = read.bits[0] == '0' ? '1' : '0';
  auto out = t.on_frame(reply_frame(1, read), kT0);
  EXPECT_TRUE(out.events.empty());
  ASSERT_EQ(out.notices.size(), 1U);
  EXPECT_NE(out.notices[0].find("parity"), std::string::npos) << out.notices[0];

  out = t.on_frame(reply_frame(1, osdp::RawCardRead{0, 1, std::string(30, '0')}), kT0);
  EXPECT_TRUE(out.events.empty());
  EXPECT_NE(out.notices.at(0).find("wrong_length"), std::string::npos) << out.notices[0];

  auto other = card(wiegand::Format::H10301_26, 1, 1);
  other.format_code = 0x07;
  out = t.on_frame(reply_frame(1, other), kT0);
  EXPECT_TRUE(out.events.empty());
  EXPECT_NE(out.notices.at(0).find("format code 7"), std::string::npos);
}

TEST(Translator, UnmappedReadersAreLoggedNotSent) {
  Translator t{lobby_config()};
  auto out = t.on_frame(reply_frame(9, card(wiegand::Format::H10301_26, 1, 2)), kT0);
  EXPECT_TRUE(out.events.empty());
  EXPECT_NE(out.notices.at(0).find("unmapped OSDP address 9"), std::string::npos);
  // Address 3 maps only its reader 1.
  out = t.on_frame(reply_frame(3, card(wiegand::Format::H10301_26, 1, 2, 0)), kT0);
  EXPECT_TRUE(out.events.empty());
  out = t.on_frame(reply_frame(3, card(wiegand::Format::H10301_26, 1, 2, 1)), kT0);
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0]["reader"], "rdr-cage-bio");
}

TEST(Translator, KeypadDigitsUntilEnterBecomeOnePin) {
  Translator t{lobby_config()};
  auto out = t.on_frame(reply_frame(1, keys("12")), kT0);
  EXPECT_TRUE(out.events.empty());
  EXPECT_EQ(t.pending_pins(), 1U);
  out = t.on_frame(reply_frame(1, keys("34#")), kT0 + std::chrono::seconds{2});
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0], json::parse(R"({"type": "pin", "time": "2026-11-27T10:00:02.250Z",
                                           "reader": "rdr-lobby-in", "pin": "1234"})"));
  EXPECT_EQ(t.pending_pins(), 0U);
}

TEST(Translator, KeypadStopsAtMaxDigitsClearsOnStarAndKeepsReadersApart) {
  auto config = lobby_config();
  config.pin_max_digits = 6;
  Translator t{config};
  auto out = t.on_frame(reply_frame(1, keys("99*123456")), kT0);  // '*' clears "99"
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0]["pin"], "123456");
  out = t.on_frame(reply_frame(1, keys("11")), kT0);
  out = t.on_frame(reply_frame(2, keys("2222#")), kT0);  // another reader: its own entry
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0]["reader"], "rdr-lobby-out");
  EXPECT_EQ(out.events[0]["pin"], "2222");
  out = t.on_frame(reply_frame(1, keys("1111111")), kT0);  // "11" + 4 more reaches 6; one left pending
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0]["pin"], "111111");
  EXPECT_EQ(t.pending_pins(), 1U);
}

TEST(Translator, ShortPinsAndFunctionKeysAreDiscardedWithoutLoggingDigits) {
  Translator t{lobby_config()};
  const auto out = t.on_frame(reply_frame(1, keys("A987#")), kT0);
  EXPECT_TRUE(out.events.empty());
  ASSERT_EQ(out.notices.size(), 2U);
  EXPECT_NE(out.notices[0].find("function key"), std::string::npos);
  EXPECT_NE(out.notices[1].find("3 digit(s)"), std::string::npos);
  for (const auto& n : out.notices) EXPECT_EQ(n.find("987"), std::string::npos) << n;
}

TEST(Translator, IdlePinEntriesTimeOut) {
  Translator t{lobby_config()};  // pin_timeout 10 s
  (void)t.on_frame(reply_frame(1, keys("55")), kT0);
  auto out = t.on_frame(reply_frame(1, keys("1234#")), kT0 + std::chrono::seconds{11});
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0]["pin"], "1234");  // the stale "55" was not prefixed
  EXPECT_NE(out.notices.at(0).find("timed out"), std::string::npos);

  (void)t.on_frame(reply_frame(2, keys("77")), kT0);
  EXPECT_TRUE(t.expire(kT0 + std::chrono::seconds{10}).notices.empty());
  EXPECT_EQ(t.expire(kT0 + std::chrono::seconds{11}).notices.size(), 1U);
  EXPECT_EQ(t.pending_pins(), 0U);
}

TEST(Translator, LocalStatusSendsTamperOnChangesOnly) {
  Translator t{lobby_config()};
  EXPECT_TRUE(t.on_frame(reply_frame(1, osdp::LocalStatus{false, false}), kT0).events.empty());
  auto out = t.on_frame(reply_frame(1, osdp::LocalStatus{true, false}), kT0);
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0], json::parse(R"({"type": "tamper", "time": "2026-11-27T10:00:00.250Z",
                                           "component": "rdr-lobby-in", "active": true})"));
  EXPECT_TRUE(t.on_frame(reply_frame(1, osdp::LocalStatus{true, false}), kT0).events.empty());
  out = t.on_frame(reply_frame(1, osdp::LocalStatus{true, true}), kT0);
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0]["component"], "rdr-lobby-in:power");
  EXPECT_EQ(out.events[0]["active"], true);
  out = t.on_frame(reply_frame(1, osdp::LocalStatus{false, false}), kT0);
  ASSERT_EQ(out.events.size(), 2U);
  EXPECT_EQ(out.events[0]["active"], false);
  EXPECT_EQ(out.events[1]["active"], false);
  // An unmapped PD still reports tamper, under its address.
  out = t.on_frame(reply_frame(7, osdp::LocalStatus{true, false}), kT0);
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0]["component"], "osdp-7");
}

TEST(Translator, BiometricMatchUsesTheThreshold) {
  Translator t{lobby_config()};  // threshold 128
  auto out = t.on_frame(reply_frame(3, osdp::BiometricMatchResult{1, 0x00, 200}), kT0);
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0], json::parse(R"({"type": "biometric", "time": "2026-11-27T10:00:00.250Z",
                                           "reader": "rdr-cage-bio", "template_id": "osdp-local",
                                           "score": 200, "matched": true})"));
  out = t.on_frame(reply_frame(3, osdp::BiometricMatchResult{1, 0x00, 127}), kT0);
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0]["matched"], false);
  out = t.on_frame(reply_frame(3, osdp::BiometricMatchResult{1, 0x01, 0}), kT0);  // timeout
  EXPECT_TRUE(out.events.empty());
  EXPECT_NE(out.notices.at(0).find("did not complete"), std::string::npos);
}

TEST(Translator, AckNakCommandsAndEncryptedReplies) {
  Translator t{lobby_config()};
  EXPECT_TRUE(t.on_frame(reply_frame(1, osdp::Ack{}), kT0).events.empty());
  EXPECT_TRUE(t.on_frame(reply_frame(1, osdp::Ack{}), kT0).notices.empty());
  auto out = t.on_frame(reply_frame(1, osdp::Nak{0x06, {}}), kT0);
  EXPECT_TRUE(out.events.empty());
  EXPECT_EQ(out.notices.size(), 1U);
  osdp::Frame command;
  command.address = 1;
  command.code = 0x60;  // osdp_POLL
  EXPECT_TRUE(t.on_frame(parsed(wire(command)), kT0).notices.empty());
  auto encrypted = reply_frame(1, card(wiegand::Format::H10301_26, 42, 10001),
                               osdp::SecurityBlock{osdp::SecureBlockType::Scs18, {}});
  out = t.on_frame(encrypted, kT0);
  EXPECT_TRUE(out.events.empty());
  EXPECT_NE(out.notices.at(0).find("encrypted"), std::string::npos);
}

TEST(Translator, ByteStreamThroughTheDeframer) {
  std::vector<std::uint8_t> stream{0xFF};
  for (const auto& f : {reply_frame(1, card(wiegand::Format::H10301_26, 42, 10001)),
                        reply_frame(1, keys("2468#")), reply_frame(2, osdp::LocalStatus{true, false})}) {
    const auto bytes = wire(f);
    stream.insert(stream.end(), bytes.begin(), bytes.end());
  }
  Translator t{lobby_config()};
  osdp::Deframer deframer;
  std::vector<json> events;
  for (std::size_t i = 0; i < stream.size(); i += 3) {
    const auto n = std::min<std::size_t>(3, stream.size() - i);
    for (const auto& r : deframer.push(std::span{stream}.subspan(i, n))) {
      ASSERT_TRUE(r.ok()) << r.error().reason;
      for (auto& e : t.on_frame(r.value(), kT0).events) events.push_back(e);
    }
  }
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[0]["type"], "credential");
  EXPECT_EQ(events[1]["type"], "pin");
  EXPECT_EQ(events[2]["type"], "tamper");
  EXPECT_EQ(events[2]["component"], "rdr-lobby-out");
}

}  // namespace
}  // namespace portcullis::gateway
