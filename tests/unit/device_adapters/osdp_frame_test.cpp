// OSDP packet framing: published packets, round trips, security blocks and every refusal.
#include <gtest/gtest.h>

#include <string>

#include "osdp_test_util.hpp"
#include "portcullis/adapters/osdp_frame.hpp"

namespace osdp = portcullis::adapters::osdp;
using osdp_test::Bytes;
using osdp_test::seal;
using portcullis::adapters::ErrorCode;

namespace {

std::string contains_msg(const std::string& reason) {
  return "reason: " + reason;
}

}  // namespace

// --- CRC and checksum ------------------------------------------------------------------------------

TEST(OsdpCrc, MatchesCrc16AugCcittCheckValue) {
  const std::string check = "123456789";
  const Bytes bytes(check.begin(), check.end());
  EXPECT_EQ(osdp::crc16(bytes), 0xE5CC);  // CRC-16/AUG-CCITT (SPI-FUJITSU) check value
  EXPECT_EQ(osdp::crc16({}), 0x1D0F);     // the init value
}

TEST(OsdpCrc, ChecksumIsTwosComplementOfTheSum) {
  const Bytes body{0x53, 0xE5, 0x07, 0x00, 0x01, 0x40};
  const std::uint8_t c = osdp::checksum8(body);
  unsigned sum = c;
  for (auto b : body) sum += b;
  EXPECT_EQ(sum & 0xFFU, 0U);
}

// --- Published packets (libosdp's unit tests: CP to PD address 0x65, sequence 0, CRC) ----------------

TEST(OsdpFrame, ParsesPublishedPollCommand) {
  const Bytes poll{0x53, 0x65, 0x08, 0x00, 0x04, 0x60, 0x60, 0x90};
  const auto r = osdp::parse_frame(poll);
  ASSERT_TRUE(r.ok()) << r.error().reason;
  EXPECT_EQ(r->address, 0x65);
  EXPECT_FALSE(r->is_reply);
  EXPECT_EQ(r->sequence, 0);
  EXPECT_EQ(r->integrity, osdp::Integrity::Crc16);
  EXPECT_FALSE(r->security.has_value());
  EXPECT_EQ(r->code, 0x60);
  EXPECT_TRUE(r->data.empty());
  EXPECT_FALSE(osdp::secure_channel_info(*r).secure);
}

TEST(OsdpFrame, BuildsPublishedPollIdAndChallengeCommands) {
  osdp::Frame f;
  f.address = 0x65;
  f.code = 0x60;
  EXPECT_EQ(osdp::build_frame(f).value(), (Bytes{0x53, 0x65, 0x08, 0x00, 0x04, 0x60, 0x60, 0x90}));
  f.code = 0x61;
  f.data = {0x00};
  EXPECT_EQ(osdp::build_frame(f).value(), (Bytes{0x53, 0x65, 0x09, 0x00, 0x04, 0x61, 0x00, 0xD9, 0x7A}));
  f.code = 0x76;
  f.data = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  EXPECT_EQ(osdp::build_frame(f).value(), (Bytes{0x53, 0x65, 0x10, 0x00, 0x04, 0x76, 0x01, 0x02, 0x03, 0x04,
                                                 0x05, 0x06, 0x07, 0x08, 0x0D, 0x20}));
}

TEST(OsdpFrame, ParsesChecksumReply) {
  // PD 0x65 replying (address 0xE5), sequence 1, checksum, osdp_ACK.
  const Bytes ack = seal({0x53, 0xE5, 0x07, 0x00, 0x01, 0x40}, false);
  const auto r = osdp::parse_frame(ack);
  ASSERT_TRUE(r.ok()) << r.error().reason;
  EXPECT_EQ(r->address, 0x65);
  EXPECT_TRUE(r->is_reply);
  EXPECT_EQ(r->sequence, 1);
  EXPECT_EQ(r->integrity, osdp::Integrity::Checksum8);
  EXPECT_EQ(r->code, 0x40);
}

TEST(OsdpFrame, RoundTripsEveryShape) {
  for (bool crc : {true, false}) {
    for (std::uint8_t seq = 0; seq < 4; ++seq) {
      osdp::Frame f;
      f.address = osdp::kBroadcastAddress;
      f.is_reply = seq % 2 == 1;
      f.sequence = seq;
      f.integrity = crc ? osdp::Integrity::Crc16 : osdp::Integrity::Checksum8;
      f.code = 0x50;
      f.data = Bytes(seq * 7U, static_cast<std::uint8_t>(0x53));  // SOM bytes inside data are fine
      const auto wire = osdp::build_frame(f);
      ASSERT_TRUE(wire.ok()) << wire.error().reason;
      const auto back = osdp::parse_frame(wire.value());
      ASSERT_TRUE(back.ok()) << back.error().reason;
      EXPECT_EQ(*back, f);
    }
  }
}

// --- Security control block -------------------------------------------------------------------------

TEST(OsdpFrame, HandshakeBlockWithDefaultKeyIsFlagged) {
  osdp::Frame f;
  f.address = 0x01;
  f.security = osdp::SecurityBlock{osdp::SecureBlockType::Scs11, {0x00}};
  f.code = 0x76;  // osdp_CHLNG
  f.data = Bytes(8, 0xAA);
  const auto wire = osdp::build_frame(f);
  ASSERT_TRUE(wire.ok()) << wire.error().reason;
  EXPECT_EQ(wire.value()[4] & 0x08, 0x08);  // SCB flag
  EXPECT_EQ(wire.value()[5], 3);            // SCB length
  EXPECT_EQ(wire.value()[6], 0x11);
  const auto back = osdp::parse_frame(wire.value());
  ASSERT_TRUE(back.ok()) << back.error().reason;
  EXPECT_EQ(*back, f);
  const auto info = osdp::secure_channel_info(*back);
  EXPECT_TRUE(info.secure);
  EXPECT_TRUE(info.handshake);
  EXPECT_FALSE(info.authenticated);
  EXPECT_TRUE(info.default_key);
  EXPECT_EQ(info.type, osdp::SecureBlockType::Scs11);

  f.security->data = {0x01};
  EXPECT_FALSE(osdp::secure_channel_info(f).default_key);
}

TEST(OsdpFrame, RejectedHandshakeIsFlagged) {
  osdp::Frame f;
  f.is_reply = true;
  f.security = osdp::SecurityBlock{osdp::SecureBlockType::Scs14, {0x00}};
  f.code = 0x78;
  EXPECT_TRUE(osdp::secure_channel_info(f).handshake_rejected);
  f.security->data = {0x01};
  EXPECT_FALSE(osdp::secure_channel_info(f).handshake_rejected);
}

TEST(OsdpFrame, MacBlocksCarryFourMacBytesBeforeTheTrailer) {
  osdp::Frame f;
  f.address = 0x02;
  f.is_reply = true;
  f.sequence = 2;
  f.security = osdp::SecurityBlock{osdp::SecureBlockType::Scs18, {}};
  f.code = 0x50;
  f.data = {0x10, 0x20, 0x30};
  f.mac = std::array<std::uint8_t, 4>{0xDE, 0xAD, 0xBE, 0xEF};
  const auto wire = osdp::build_frame(f);
  ASSERT_TRUE(wire.ok()) << wire.error().reason;
  const Bytes& w = wire.value();
  ASSERT_EQ(w.size(), 5U + 2 + 1 + 3 + 4 + 2);
  EXPECT_EQ(w[w.size() - 6], 0xDE);
  EXPECT_EQ(w[w.size() - 3], 0xEF);
  const auto back = osdp::parse_frame(w);
  ASSERT_TRUE(back.ok()) << back.error().reason;
  EXPECT_EQ(*back, f);
  const auto info = osdp::secure_channel_info(*back);
  EXPECT_TRUE(info.authenticated);
  EXPECT_TRUE(info.encrypted_data);
  EXPECT_FALSE(info.handshake);
  EXPECT_EQ(osdp::to_string(*info.type), "SCS_18");
}

TEST(OsdpFrame, SecureBlockNamesCoverAllTypes) {
  for (std::uint8_t t = 0x11; t <= 0x18; ++t) {
    EXPECT_TRUE(osdp::is_known_secure_block_type(t));
    EXPECT_EQ(osdp::to_string(static_cast<osdp::SecureBlockType>(t)), "SCS_1" + std::to_string(t - 0x10));
  }
  EXPECT_FALSE(osdp::is_known_secure_block_type(0x10));
  EXPECT_FALSE(osdp::is_known_secure_block_type(0x19));
}

// --- Refusals ------------------------------------------------------------------------------------------

TEST(OsdpFrameErrors, TruncatedHeader) {
  const auto r = osdp::parse_frame(Bytes{0x53, 0x65, 0x08});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Truncated);
}

TEST(OsdpFrameErrors, BadStartOfMessage) {
  const auto r = osdp::parse_frame(Bytes{0x44, 0xE5, 0x08, 0x00, 0x04, 0x40, 0xE7, 0xA1});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::BadStartOfMessage);
  EXPECT_NE(r.error().reason.find("0x44"), std::string::npos) << contains_msg(r.error().reason);
}

TEST(OsdpFrameErrors, DeclaredLengthAboveMaximum) {
  const auto r = osdp::parse_frame(Bytes{0x53, 0xE5, 0xFF, 0xFF, 0x04, 0x40, 0xE7, 0xA1});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::FrameTooLong);
  EXPECT_NE(r.error().reason.find("65535"), std::string::npos);
  // A caller-chosen lower limit applies too.
  const Bytes poll{0x53, 0x65, 0x08, 0x00, 0x04, 0x60, 0x60, 0x90};
  EXPECT_EQ(osdp::parse_frame(poll, 7).error().code, ErrorCode::FrameTooLong);
}

TEST(OsdpFrameErrors, DeclaredLengthBelowMinimum) {
  const auto crc = osdp::parse_frame(Bytes{0x53, 0xE5, 0x07, 0x00, 0x04, 0x40, 0x00});
  ASSERT_FALSE(crc.ok());
  EXPECT_EQ(crc.error().code, ErrorCode::LengthMismatch);
  EXPECT_NE(crc.error().reason.find("minimum 8"), std::string::npos) << crc.error().reason;
  const auto sum = osdp::parse_frame(Bytes{0x53, 0xE5, 0x06, 0x00, 0x00, 0x40});
  ASSERT_FALSE(sum.ok());
  EXPECT_EQ(sum.error().code, ErrorCode::LengthMismatch);
}

TEST(OsdpFrameErrors, MoreBytesThanDeclared) {
  Bytes poll{0x53, 0x65, 0x08, 0x00, 0x04, 0x60, 0x60, 0x90, 0x00};
  const auto r = osdp::parse_frame(poll);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::LengthMismatch);
}

TEST(OsdpFrameErrors, FewerBytesThanDeclared) {
  const auto r = osdp::parse_frame(Bytes{0x53, 0x65, 0x09, 0x00, 0x04, 0x61, 0x00, 0xD9});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Truncated);
  EXPECT_NE(r.error().reason.find("8 of 9"), std::string::npos) << r.error().reason;
}

TEST(OsdpFrameErrors, CrcMismatchNamesBothValues) {
  const auto r = osdp::parse_frame(Bytes{0x53, 0x65, 0x08, 0x00, 0x04, 0x60, 0x61, 0x90});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::CrcMismatch);
  EXPECT_NE(r.error().reason.find("0x9061"), std::string::npos) << r.error().reason;
  EXPECT_NE(r.error().reason.find("0x9060"), std::string::npos) << r.error().reason;
}

TEST(OsdpFrameErrors, ChecksumMismatch) {
  Bytes ack = seal({0x53, 0xE5, 0x07, 0x00, 0x01, 0x40}, false);
  ack.back() ^= 0x01;
  const auto r = osdp::parse_frame(ack);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::ChecksumMismatch);
}

TEST(OsdpFrameErrors, BadSecurityBlocks) {
  // Length below 2.
  auto r = osdp::parse_frame(seal({0x53, 0xE5, 0x0A, 0x00, 0x0C, 0x01, 0x16, 0x40}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::BadSecurityBlock);
  EXPECT_NE(r.error().reason.find("below 2"), std::string::npos) << r.error().reason;
  // Unknown type.
  r = osdp::parse_frame(seal({0x53, 0xE5, 0x0A, 0x00, 0x0C, 0x02, 0x42, 0x40}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::BadSecurityBlock);
  EXPECT_NE(r.error().reason.find("0x42"), std::string::npos) << r.error().reason;
  // Wrong length for its type (SCS_11 needs 3).
  r = osdp::parse_frame(seal({0x53, 0x65, 0x0A, 0x00, 0x0C, 0x02, 0x11, 0x76}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().reason.find("SCS_11"), std::string::npos) << r.error().reason;
  // SCS_16 needs a MAC: block + code fit, MAC does not.
  r = osdp::parse_frame(seal({0x53, 0xE5, 0x0A, 0x00, 0x0C, 0x02, 0x16, 0x40}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::BadSecurityBlock);
  EXPECT_NE(r.error().reason.find("MAC"), std::string::npos) << r.error().reason;
  // Flag set but nothing after the header except the code.
  r = osdp::parse_frame(seal({0x53, 0xE5, 0x08, 0x00, 0x0C, 0x40}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::BadSecurityBlock);
}

TEST(OsdpFrameErrors, BuildRefusesInvalidFrames) {
  osdp::Frame f;
  f.address = 0x80;
  EXPECT_EQ(osdp::build_frame(f).error().code, ErrorCode::BadAddress);
  f.address = 1;
  f.sequence = 4;
  EXPECT_EQ(osdp::build_frame(f).error().code, ErrorCode::OutOfRange);
  f.sequence = 0;
  f.data.assign(osdp::kMaxFrameLength, 0);
  EXPECT_EQ(osdp::build_frame(f).error().code, ErrorCode::OutOfRange);
  f.data.clear();
  f.mac = std::array<std::uint8_t, 4>{};
  EXPECT_EQ(osdp::build_frame(f).error().code, ErrorCode::BadSecurityBlock);  // MAC without SCB
  f.security = osdp::SecurityBlock{osdp::SecureBlockType::Scs11, {0x00}};
  EXPECT_EQ(osdp::build_frame(f).error().code, ErrorCode::BadSecurityBlock);  // SCS_11 carries no MAC
  f.mac.reset();
  f.security = osdp::SecurityBlock{osdp::SecureBlockType::Scs15, {}};
  EXPECT_EQ(osdp::build_frame(f).error().code, ErrorCode::BadSecurityBlock);  // SCS_15 needs one
  f.security = osdp::SecurityBlock{osdp::SecureBlockType::Scs11, {}};
  EXPECT_EQ(osdp::build_frame(f).error().code, ErrorCode::BadSecurityBlock);  // selector byte missing
  f.security = osdp::SecurityBlock{static_cast<osdp::SecureBlockType>(0x30), {}};
  EXPECT_EQ(osdp::build_frame(f).error().code, ErrorCode::BadSecurityBlock);
}

TEST(OsdpFrameErrors, LargestFrameBuildsAndParses) {
  osdp::Frame f;
  f.code = 0x6F;
  f.data.assign(osdp::kMaxFrameLength - osdp::min_frame_length(osdp::Integrity::Crc16), 0x5A);
  const auto wire = osdp::build_frame(f);
  ASSERT_TRUE(wire.ok()) << wire.error().reason;
  EXPECT_EQ(wire.value().size(), osdp::kMaxFrameLength);
  EXPECT_TRUE(osdp::parse_frame(wire.value()).ok());
}
