// OSDP reply decoding: each supported reply, its refusals, and the hand-off to the Wiegand codec.
#include <gtest/gtest.h>

#include <string>

#include "osdp_test_util.hpp"
#include "portcullis/adapters/osdp_frame.hpp"
#include "portcullis/adapters/osdp_replies.hpp"
#include "portcullis/adapters/wiegand.hpp"

namespace osdp = portcullis::adapters::osdp;
namespace wiegand = portcullis::adapters::wiegand;
using osdp_test::Bytes;
using osdp_test::seal;
using portcullis::adapters::ErrorCode;

namespace {

osdp::Frame reply_frame(std::uint8_t code, Bytes data) {
  osdp::Frame f;
  f.address = 0x01;
  f.is_reply = true;
  f.code = code;
  f.data = std::move(data);
  return f;
}

template <class T>
T decode_as(std::uint8_t code, Bytes data) {
  const auto r = osdp::decode_reply(reply_frame(code, std::move(data)));
  EXPECT_TRUE(r.ok()) << r.error().reason;
  EXPECT_TRUE(std::holds_alternative<T>(r.value()));
  return std::get<T>(r.value());
}

ErrorCode decode_error(std::uint8_t code, Bytes data) {
  const auto r = osdp::decode_reply(reply_frame(code, std::move(data)));
  EXPECT_FALSE(r.ok());
  return r.ok() ? ErrorCode::Garbage : r.error().code;
}

}  // namespace

TEST(OsdpReplies, AckAndNak) {
  decode_as<osdp::Ack>(0x40, {});
  EXPECT_EQ(decode_error(0x40, {0x00}), ErrorCode::BadReplyData);

  const auto nak = decode_as<osdp::Nak>(0x41, {0x01});
  EXPECT_EQ(nak.error_code, static_cast<std::uint8_t>(osdp::NakError::BadChecksumOrCrc));
  EXPECT_TRUE(nak.detail.empty());
  EXPECT_EQ(decode_as<osdp::Nak>(0x41, {0x06, 0x11}).detail, Bytes{0x11});
  EXPECT_EQ(decode_error(0x41, {}), ErrorCode::BadReplyData);
  EXPECT_EQ(decode_error(0x41, Bytes(osdp::kMaxNakDetail + 2, 0)), ErrorCode::BadReplyData);
}

TEST(OsdpReplies, LocalStatus) {
  EXPECT_EQ(decode_as<osdp::LocalStatus>(0x48, {0x00, 0x00}), (osdp::LocalStatus{false, false}));
  EXPECT_EQ(decode_as<osdp::LocalStatus>(0x48, {0x01, 0x00}), (osdp::LocalStatus{true, false}));
  EXPECT_EQ(decode_as<osdp::LocalStatus>(0x48, {0x00, 0x01}), (osdp::LocalStatus{false, true}));
  EXPECT_EQ(decode_error(0x48, {0x00}), ErrorCode::BadReplyData);
  EXPECT_EQ(decode_error(0x48, {0x00, 0x00, 0x00}), ErrorCode::BadReplyData);
  const auto r = osdp::decode_reply(reply_frame(0x48, {0x02, 0x00}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().reason.find("tamper"), std::string::npos) << r.error().reason;
}

TEST(OsdpReplies, RawCardDataFeedsTheWiegandCodec) {
  // H10301 facility 1 / card 1 = 10000000 10000000 00000000 10xxxxxx: 26 bits in 4 bytes.
  const auto raw = decode_as<osdp::RawCardRead>(0x50, {0x00, 0x01, 26, 0x00, 0x80, 0x80, 0x00, 0x80});
  EXPECT_EQ(raw.reader, 0);
  EXPECT_EQ(raw.format_code, static_cast<std::uint8_t>(osdp::RawCardFormat::Wiegand));
  EXPECT_EQ(raw.bits, "10000000100000000000000010");
  const auto card = wiegand::decode(raw.bits);
  ASSERT_TRUE(card.ok()) << card.error().reason;
  EXPECT_EQ(card->facility, 1U);
  EXPECT_EQ(card->card_number, 1U);
}

TEST(OsdpReplies, RawCardDataWholeWireRoundTrip) {
  const auto credential = wiegand::encode(wiegand::Format::Corporate1000_35, 2643, 163271);
  ASSERT_TRUE(credential.ok());
  const auto payload = osdp::encode_reply(osdp::RawCardRead{2, 0x01, credential->raw_bits});
  ASSERT_TRUE(payload.ok()) << payload.error().reason;
  EXPECT_EQ(payload->data.size(), 4U + 5U);  // 35 bits -> 5 bytes
  osdp::Frame f = reply_frame(payload->code, payload->data);
  const auto wire = osdp::build_frame(f);
  ASSERT_TRUE(wire.ok());
  const auto frame = osdp::parse_frame(wire.value());
  ASSERT_TRUE(frame.ok()) << frame.error().reason;
  const auto reply = osdp::decode_reply(*frame);
  ASSERT_TRUE(reply.ok()) << reply.error().reason;
  const auto& raw = std::get<osdp::RawCardRead>(reply.value());
  EXPECT_EQ(raw.reader, 2);
  EXPECT_EQ(*wiegand::decode(raw.bits), *credential);
}

TEST(OsdpReplies, RawCardDataRefusals) {
  EXPECT_EQ(decode_error(0x50, {0x00, 0x01, 26}), ErrorCode::BadReplyData);    // short header
  EXPECT_EQ(decode_error(0x50, {0x00, 0x01, 0, 0}), ErrorCode::BadReplyData);  // zero bits
  EXPECT_EQ(decode_error(0x50, {0x00, 0x01, 26, 0, 0x80, 0x80, 0x00}), ErrorCode::BadReplyData);  // 3 of 4
  EXPECT_EQ(decode_error(0x50, {0x00, 0x01, 8, 0, 0x80, 0x80}), ErrorCode::BadReplyData);  // extra byte
  const auto r = osdp::decode_reply(reply_frame(0x50, {0x00, 0x01, 0xFF, 0xFF}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().reason.find("65535"), std::string::npos) << r.error().reason;
}

TEST(OsdpReplies, Keypad) {
  const auto k = decode_as<osdp::KeypadEntry>(0x53, {0x01, 0x06, '1', '2', '3', '4', 0x7F, 0x0D});
  EXPECT_EQ(k.reader, 1);
  EXPECT_EQ(k.digits, "1234*#");
  EXPECT_EQ(decode_as<osdp::KeypadEntry>(0x53, {0x00, 0x02, '*', '#'}).digits, "*#");
  EXPECT_EQ(decode_as<osdp::KeypadEntry>(0x53, {0x00, 0x00}).digits, "");
  EXPECT_EQ(decode_as<osdp::KeypadEntry>(0x53, {0x00, 0x02, 'A', 'H'}).digits, "AH");  // function keys
  EXPECT_EQ(decode_error(0x53, {0x00, 0x01, 'I'}), ErrorCode::BadReplyData);
  EXPECT_EQ(decode_error(0x53, {0x00, 0x01, 'a'}), ErrorCode::BadReplyData);
  EXPECT_EQ(decode_error(0x53, {0x00}), ErrorCode::BadReplyData);
  EXPECT_EQ(decode_error(0x53, {0x00, 0x03, '1', '2'}), ErrorCode::BadReplyData);  // count disagrees
  const auto r = osdp::decode_reply(reply_frame(0x53, {0x00, 0x02, '1', 'Z'}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().reason.find("digit 2"), std::string::npos) << r.error().reason;
}

TEST(OsdpReplies, BiometricMatch) {
  const auto b = decode_as<osdp::BiometricMatchResult>(0x58, {0x00, 0x00, 0xC8});
  EXPECT_EQ(b.status, static_cast<std::uint8_t>(osdp::BiometricStatus::Success));
  EXPECT_EQ(b.score, 0xC8);
  EXPECT_EQ(decode_error(0x58, {0x00, 0x00}), ErrorCode::BadReplyData);
  EXPECT_EQ(decode_error(0x58, {0x00, 0x00, 0x00, 0x00}), ErrorCode::BadReplyData);
}

TEST(OsdpReplies, UnsupportedAndMisdirected) {
  EXPECT_EQ(decode_error(0x45, Bytes(12, 0)), ErrorCode::UnsupportedReply);  // osdp_PDID
  osdp::Frame command = reply_frame(0x60, {});
  command.is_reply = false;
  const auto r = osdp::decode_reply(command);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::NotAReply);
  const auto unsupported = osdp::decode_reply(reply_frame(0x45, {}));
  EXPECT_NE(unsupported.error().reason.find("0x45 (osdp_PDID)"), std::string::npos)
      << unsupported.error().reason;
}

TEST(OsdpReplies, EncryptedPayloadIsNotInterpreted) {
  osdp::Frame f = reply_frame(0x50, Bytes(16, 0x33));
  f.security = osdp::SecurityBlock{osdp::SecureBlockType::Scs18, {}};
  f.mac = std::array<std::uint8_t, 4>{1, 2, 3, 4};
  const auto r = osdp::decode_reply(f);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::EncryptedPayload);
  // SCS_16 (MAC only, data in clear) decodes normally.
  f = reply_frame(0x48, {0x01, 0x00});
  f.security = osdp::SecurityBlock{osdp::SecureBlockType::Scs16, {}};
  f.mac = std::array<std::uint8_t, 4>{1, 2, 3, 4};
  EXPECT_TRUE(osdp::decode_reply(f).ok());
}

TEST(OsdpReplies, EncodeRoundTripsEveryReply) {
  const osdp::Reply replies[] = {
      osdp::Ack{},
      osdp::Nak{0x03, {0x01, 0x02}},
      osdp::LocalStatus{true, true},
      osdp::RawCardRead{1, 0x00, "1"},
      osdp::RawCardRead{3, 0x01, std::string(osdp::kMaxRawCardBits, '1')},
      osdp::KeypadEntry{0, "0123456789*#ABCDEFGH"},
      osdp::BiometricMatchResult{1, 0x01, 0x00},
  };
  for (const auto& reply : replies) {
    const auto payload = osdp::encode_reply(reply);
    ASSERT_TRUE(payload.ok()) << payload.error().reason;
    const auto back = osdp::decode_reply_data(payload->code, payload->data);
    ASSERT_TRUE(back.ok()) << back.error().reason;
    EXPECT_EQ(back.value(), reply);
  }
}

TEST(OsdpReplies, EncodeRefusals) {
  EXPECT_EQ(osdp::encode_reply(osdp::RawCardRead{0, 1, ""}).error().code, ErrorCode::OutOfRange);
  EXPECT_EQ(
      osdp::encode_reply(osdp::RawCardRead{0, 1, std::string(osdp::kMaxRawCardBits + 1, '0')}).error().code,
      ErrorCode::OutOfRange);
  EXPECT_EQ(osdp::encode_reply(osdp::RawCardRead{0, 1, "10x"}).error().code, ErrorCode::BadCharacter);
  EXPECT_EQ(osdp::encode_reply(osdp::KeypadEntry{0, "12a"}).error().code, ErrorCode::BadCharacter);
  EXPECT_EQ(osdp::encode_reply(osdp::KeypadEntry{0, "I"}).error().code, ErrorCode::BadCharacter);
  EXPECT_EQ(osdp::encode_reply(osdp::KeypadEntry{0, std::string(256, '1')}).error().code,
            ErrorCode::OutOfRange);
  EXPECT_EQ(osdp::encode_reply(osdp::Nak{0, Bytes(osdp::kMaxNakDetail + 1, 0)}).error().code,
            ErrorCode::OutOfRange);
}

TEST(OsdpReplies, BitsFromBytes) {
  EXPECT_EQ(osdp::bits_from_bytes(Bytes{0xA5}, 8), "10100101");
  EXPECT_EQ(osdp::bits_from_bytes(Bytes{0xA5, 0xFF}, 10), "1010010111");
  EXPECT_EQ(osdp::bits_from_bytes(Bytes{0xA5}, 99), "10100101");  // clamped to what exists
  EXPECT_EQ(osdp::bits_from_bytes(Bytes{}, 3), "");
}

TEST(OsdpReplies, Names) {
  EXPECT_EQ(osdp::reply_name(0x50), "osdp_RAW");
  EXPECT_EQ(osdp::reply_name(0x53), "osdp_KEYPAD");
  EXPECT_EQ(osdp::reply_name(0x58), "osdp_BIOMATCHR");
  EXPECT_EQ(osdp::reply_name(0x48), "osdp_LSTATR");
  EXPECT_EQ(osdp::reply_name(0x00), "unknown");
  EXPECT_EQ(osdp::nak_error_name(0x01), "bad checksum or CRC");
  EXPECT_EQ(osdp::nak_error_name(0x06), "encrypted communication required");
  EXPECT_EQ(osdp::nak_error_name(0x42), "unknown");
  EXPECT_EQ(portcullis::adapters::to_string(ErrorCode::CrcMismatch), "crc_mismatch");
}
