// Wiegand codec: published encodings, round trips, and every error.
#include "portcullis/adapters/wiegand.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace w = portcullis::adapters::wiegand;
using portcullis::adapters::ErrorCode;

namespace {

std::string flip(std::string bits, std::size_t position_1_based) {
  char& c = bits[position_1_based - 1];
  c = c == '0' ? '1' : '0';
  return bits;
}

std::string bits_of(std::uint64_t value, std::size_t length) {
  std::string out(length, '0');
  for (std::size_t i = 0; i < length; ++i) {
    if (((value >> (length - 1 - i)) & 1U) != 0) out[i] = '1';
  }
  return out;
}

}  // namespace

// --- H10301 -------------------------------------------------------------------------------------

TEST(WiegandH10301, DecodesFacility1Card1) {
  // Facility 1 / card 1: leading even parity 1, trailing odd parity 0.
  const auto r = w::decode("10000000100000000000000010", w::Format::H10301_26);
  ASSERT_TRUE(r.ok()) << r.error().reason;
  EXPECT_EQ(r->format, w::Format::H10301_26);
  EXPECT_EQ(r->facility, 1U);
  EXPECT_EQ(r->card_number, 1U);
  EXPECT_EQ(r->raw_bits, "10000000100000000000000010");
}

TEST(WiegandH10301, PublishedBoundaryEncodings) {
  EXPECT_EQ(w::encode(w::Format::H10301_26, 0, 0)->raw_bits, "00000000000000000000000001");
  EXPECT_EQ(w::encode(w::Format::H10301_26, 255, 65535)->raw_bits, "01111111111111111111111111");
  EXPECT_EQ(w::encode(w::Format::H10301_26, 1, 1)->raw_bits, "10000000100000000000000010");
}

TEST(WiegandH10301, NedapManualExampleFacility10Card1093) {
  // Nedap Combi-Booster manual: facility 10, card 1093 is transmitted as hex 14088B.
  const std::string bits = bits_of(0x14088B, 26);
  const auto r = w::decode(bits);
  ASSERT_TRUE(r.ok()) << r.error().reason;
  EXPECT_EQ(r->format, w::Format::H10301_26);
  EXPECT_EQ(r->facility, 10U);
  EXPECT_EQ(r->card_number, 1093U);
  EXPECT_EQ(w::encode(w::Format::H10301_26, 10, 1093)->raw_bits, bits);
}

TEST(WiegandH10301, LeadingParityFailureIsNamed) {
  const auto r = w::decode(flip("10000000100000000000000010", 1), w::Format::H10301_26);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::ParityMismatch);
  EXPECT_NE(r.error().reason.find("leading even parity (bit 1 over bits 2-13)"), std::string::npos)
      << r.error().reason;
}

TEST(WiegandH10301, TrailingParityFailureIsNamed) {
  const auto r = w::decode(flip("10000000100000000000000010", 26), w::Format::H10301_26);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::ParityMismatch);
  EXPECT_NE(r.error().reason.find("trailing odd parity (bit 26 over bits 14-25)"), std::string::npos)
      << r.error().reason;
}

TEST(WiegandH10301, DataBitFlipBreaksTheParityThatCoversIt) {
  const std::string good = "10000000100000000000000010";
  EXPECT_NE(w::decode(flip(good, 5), w::Format::H10301_26).error().reason.find("bit 1 over"),
            std::string::npos);
  EXPECT_NE(w::decode(flip(good, 20), w::Format::H10301_26).error().reason.find("bit 26 over"),
            std::string::npos);
}

// --- Corporate 1000 ------------------------------------------------------------------------------

TEST(WiegandCorporate1000, PublishedDoppelgangerRead) {
  // Doppelganger log: C1k35s, company 2643, card 163271, hex 2D4A64FB8E. The low 35 bits are the
  // Wiegand data (the bits above them are the HID preamble/sentinel).
  const std::string bits = bits_of(0x2D4A64FB8EULL & ((std::uint64_t{1} << 35) - 1), 35);
  const auto r = w::decode(bits);
  ASSERT_TRUE(r.ok()) << r.error().reason;
  EXPECT_EQ(r->format, w::Format::Corporate1000_35);
  EXPECT_EQ(r->facility, 2643U);
  EXPECT_EQ(r->card_number, 163271U);
  EXPECT_EQ(w::encode(w::Format::Corporate1000_35, 2643, 163271)->raw_bits, bits);
}

TEST(WiegandCorporate1000, EachOfTheThreeParityBitsIsChecked) {
  const std::string good = w::encode(w::Format::Corporate1000_35, 2643, 163271)->raw_bits;
  const auto p2 = w::decode(flip(good, 2), w::Format::Corporate1000_35);
  ASSERT_FALSE(p2.ok());
  // Flipping bit 2 breaks the even parity first (bit 2 is checked before bits 35 and 1).
  EXPECT_NE(p2.error().reason.find("even parity (bit 2"), std::string::npos) << p2.error().reason;

  const auto p35 = w::decode(flip(good, 35), w::Format::Corporate1000_35);
  ASSERT_FALSE(p35.ok());
  EXPECT_NE(p35.error().reason.find("odd parity (bit 35"), std::string::npos) << p35.error().reason;

  const auto p1 = w::decode(flip(good, 1), w::Format::Corporate1000_35);
  ASSERT_FALSE(p1.ok());
  EXPECT_NE(p1.error().reason.find("leading odd parity (bit 1 over bits 2-35)"), std::string::npos)
      << p1.error().reason;
}

TEST(WiegandCorporate1000, InterleavedMasksCoverTheRightBits) {
  const std::string good = w::encode(w::Format::Corporate1000_35, 1234, 56789)->raw_bits;
  // Bit 5 (5 mod 3 == 2) is outside bit 2's mask but inside bit 35's mask.
  EXPECT_NE(w::decode(flip(good, 5)).error().reason.find("bit 35"), std::string::npos);
  // Bit 4 (4 mod 3 == 1) is inside bit 2's mask.
  EXPECT_NE(w::decode(flip(good, 4)).error().reason.find("bit 2 over"), std::string::npos);
}

TEST(WiegandCorporate1000, LimitsAndRoundTrip) {
  EXPECT_EQ(w::max_facility(w::Format::Corporate1000_35), 4095U);
  EXPECT_EQ(w::max_card_number(w::Format::Corporate1000_35), 1048575U);
  const auto enc = w::encode(w::Format::Corporate1000_35, 4095, 1048575);
  ASSERT_TRUE(enc.ok());
  const auto dec = w::decode(enc->raw_bits);
  ASSERT_TRUE(dec.ok()) << dec.error().reason;
  EXPECT_EQ(*dec, *enc);
}

// --- H10304 --------------------------------------------------------------------------------------

TEST(WiegandH10304, PublishedH10302ValueSharesTheParityLayout) {
  // Nedap manual: H10302 card 123456789 is transmitted as hex 100EB79A2B. H10304 has the same
  // length and parity, so it decodes with the top 16 bits of the number as facility.
  const auto r = w::decode(bits_of(0x100EB79A2BULL, 37));
  ASSERT_TRUE(r.ok()) << r.error().reason;
  EXPECT_EQ(r->format, w::Format::H10304_37);
  EXPECT_EQ((std::uint64_t{r->facility} << 19) | r->card_number, 123456789U);
  EXPECT_EQ(r->facility, 235U);
  EXPECT_EQ(r->card_number, 249109U);
}

TEST(WiegandH10304, LimitsRoundTripAndParities) {
  EXPECT_EQ(w::max_facility(w::Format::H10304_37), 65535U);
  EXPECT_EQ(w::max_card_number(w::Format::H10304_37), 524287U);
  const auto enc = w::encode(w::Format::H10304_37, 65535, 524287);
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(enc->raw_bits.size(), 37U);
  EXPECT_EQ(*w::decode(enc->raw_bits, w::Format::H10304_37), *enc);
  EXPECT_NE(w::decode(flip(enc->raw_bits, 1)).error().reason.find("bit 1 over bits 2-19"), std::string::npos);
  EXPECT_NE(w::decode(flip(enc->raw_bits, 37)).error().reason.find("bit 37 over bits 19-36"),
            std::string::npos);
  // Bit 19 is covered by both parities; the leading one is reported first.
  EXPECT_EQ(w::decode(flip(enc->raw_bits, 19)).error().code, ErrorCode::ParityMismatch);
}

// --- Every format ---------------------------------------------------------------------------------

class WiegandAllFormats : public ::testing::TestWithParam<w::Format> {};

TEST_P(WiegandAllFormats, RoundTripsAcrossTheRange) {
  const w::Format f = GetParam();
  const std::uint32_t fmax = w::max_facility(f);
  const std::uint32_t cmax = w::max_card_number(f);
  for (std::uint32_t facility : {0U, 1U, fmax / 3, fmax - 1, fmax}) {
    for (std::uint32_t card : {0U, 1U, 12345U % (cmax + 1), cmax / 7, cmax - 1, cmax}) {
      const auto enc = w::encode(f, facility, card);
      ASSERT_TRUE(enc.ok()) << enc.error().reason;
      ASSERT_EQ(enc->raw_bits.size(), w::bit_length(f));
      const auto dec = w::decode(enc->raw_bits);
      ASSERT_TRUE(dec.ok()) << dec.error().reason;
      EXPECT_EQ(dec->format, f);
      EXPECT_EQ(dec->facility, facility);
      EXPECT_EQ(dec->card_number, card);
      EXPECT_EQ(dec->raw_bits, enc->raw_bits);
    }
  }
}

TEST_P(WiegandAllFormats, EverySingleBitFlipIsDetected) {
  const w::Format f = GetParam();
  const std::string good = w::encode(f, w::max_facility(f) / 2, w::max_card_number(f) / 3)->raw_bits;
  for (std::size_t p = 1; p <= good.size(); ++p) {
    const auto r = w::decode(flip(good, p), f);
    ASSERT_FALSE(r.ok()) << "flip of bit " << p << " went unnoticed";
    EXPECT_EQ(r.error().code, ErrorCode::ParityMismatch);
  }
}

TEST_P(WiegandAllFormats, EncodeRejectsOutOfRange) {
  const w::Format f = GetParam();
  const auto fac = w::encode(f, w::max_facility(f) + 1, 0);
  ASSERT_FALSE(fac.ok());
  EXPECT_EQ(fac.error().code, ErrorCode::OutOfRange);
  EXPECT_NE(fac.error().reason.find(f == w::Format::Corporate1000_35 ? "company id" : "facility code"),
            std::string::npos);
  const auto card = w::encode(f, 0, w::max_card_number(f) + 1);
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.error().code, ErrorCode::OutOfRange);
  EXPECT_NE(card.error().reason.find("card number"), std::string::npos);
}

TEST_P(WiegandAllFormats, WrongLengthForExplicitFormat) {
  const w::Format f = GetParam();
  const auto r = w::decode(std::string(w::bit_length(f) - 1, '0'), f);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::WrongLength);
  EXPECT_NE(r.error().reason.find(std::string(w::to_string(f))), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Formats, WiegandAllFormats,
                         ::testing::Values(w::Format::H10301_26, w::Format::Corporate1000_35,
                                           w::Format::H10304_37),
                         [](const auto& param_info) { return std::string(w::to_string(param_info.param)); });

// --- Input validation ------------------------------------------------------------------------------

TEST(WiegandInput, AutoDetectRejectsUnsupportedLengths) {
  for (std::size_t n : {0U, 1U, 25U, 27U, 34U, 36U, 38U, 64U}) {
    const auto r = w::decode(std::string(n, '1'));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::WrongLength);
    EXPECT_NE(r.error().reason.find(std::to_string(n) + " bits"), std::string::npos) << r.error().reason;
  }
}

TEST(WiegandInput, BadCharacterNamesThePosition) {
  std::string bits = "10000000100000000000000010";
  bits[6] = 'x';
  const auto r = w::decode(bits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::BadCharacter);
  EXPECT_NE(r.error().reason.find("bit 7"), std::string::npos) << r.error().reason;
  bits[6] = ' ';
  EXPECT_EQ(w::decode(bits).error().code, ErrorCode::BadCharacter);
  bits[6] = '\0';
  EXPECT_EQ(w::decode(bits).error().code, ErrorCode::BadCharacter);
}

TEST(WiegandInput, NamesAreStable) {
  EXPECT_EQ(w::to_string(w::Format::H10301_26), "H10301");
  EXPECT_EQ(w::to_string(w::Format::Corporate1000_35), "Corporate1000");
  EXPECT_EQ(w::to_string(w::Format::H10304_37), "H10304");
  EXPECT_EQ(w::bit_length(w::Format::H10301_26), 26U);
  EXPECT_EQ(w::bit_length(w::Format::Corporate1000_35), 35U);
  EXPECT_EQ(w::bit_length(w::Format::H10304_37), 37U);
}
