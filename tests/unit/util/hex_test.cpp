#include "portcullis/util/hex.hpp"

#include <gtest/gtest.h>

#include <array>

namespace portcullis::util {
namespace {

TEST(Hex, EncodesLowercaseByDefaultAndUppercaseOnRequest) {
  const std::array<std::uint8_t, 4> bytes{0x00, 0x0f, 0xab, 0xff};
  EXPECT_EQ(hex_encode(bytes), "000fabff");
  EXPECT_EQ(hex_encode(bytes, HexCase::Upper), "000FABFF");
  EXPECT_EQ(hex_encode(std::string_view{"\x01\xfe", 2}), "01fe");
  EXPECT_EQ(hex_encode(std::span<const std::uint8_t>{}), "");
}

TEST(Hex, DecodesEitherCaseAndRoundTrips) {
  const auto bytes = hex_decode("00fFaB7f");
  ASSERT_TRUE(bytes);
  EXPECT_EQ(*bytes, (std::vector<std::uint8_t>{0x00, 0xff, 0xab, 0x7f}));
  EXPECT_EQ(hex_encode(*bytes), "00ffab7f");
  EXPECT_EQ(hex_decode(""), std::vector<std::uint8_t>{});
}

TEST(Hex, RefusesOddLengthAndNonDigits) {
  EXPECT_FALSE(hex_decode("abc"));
  EXPECT_FALSE(hex_decode("0g"));
  EXPECT_FALSE(hex_decode("0x00"));
  EXPECT_FALSE(hex_decode(" 00"));
  EXPECT_FALSE(hex_decode(std::string_view{"0\0", 2}));
  EXPECT_EQ(hex_digit_value('G'), -1);
  EXPECT_EQ(hex_digit_value('F'), 15);
}

}  // namespace
}  // namespace portcullis::util
