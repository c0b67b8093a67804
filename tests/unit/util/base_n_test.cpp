#include <gtest/gtest.h>

#include "portcullis/util/base32.hpp"
#include "portcullis/util/base64.hpp"

namespace portcullis::util {
namespace {

std::vector<std::uint8_t> bytes_of(std::string_view text) {
  return {text.begin(), text.end()};
}

// RFC 4648 section 10 test vectors.
TEST(Base64, MatchesTheRfcVectors) {
  const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(base64_encode(std::string_view{plain[i]}), coded[i]);
    EXPECT_EQ(base64_decode(coded[i]), bytes_of(plain[i]));
  }
}

TEST(Base64, RefusesTruncatedMisplacedOrNonCanonicalText) {
  EXPECT_FALSE(base64_decode("Zm9"));     // truncated: not a multiple of four
  EXPECT_FALSE(base64_decode("Zg="));     // truncated padding
  EXPECT_FALSE(base64_decode("Z==="));    // three pads
  EXPECT_FALSE(base64_decode("Zg=a"));    // data after padding
  EXPECT_FALSE(base64_decode("Zh=="));    // non-zero leftover bits: "Zg==" is the one spelling of "f"
  EXPECT_FALSE(base64_decode("Zm9v\n"));  // whitespace is not base64
  EXPECT_FALSE(base64_decode("Zm-_"));    // the URL alphabet is another encoding
}

TEST(Base64Url, EncodesWithoutPaddingAndDecodesStrictly) {
  const std::vector<std::uint8_t> bytes{0xfb, 0xff, 0xfe};
  EXPECT_EQ(base64url_encode(bytes), "-__-");
  EXPECT_EQ(base64url_decode("-__-"), bytes);
  EXPECT_EQ(base64url_encode(bytes_of("f")), "Zg");
  EXPECT_EQ(base64url_decode("Zg"), bytes_of("f"));
  EXPECT_FALSE(base64url_decode("Zg=="));  // no padding in this variant
  EXPECT_FALSE(base64url_decode("Z"));     // no byte count encodes to one character
  EXPECT_FALSE(base64url_decode("+/"));
}

TEST(Base32, MatchesTheRfcVectorsAndAcceptsWhatAppsType) {
  EXPECT_EQ(base32_encode(bytes_of("foobar")), "MZXW6YTBOI======");
  EXPECT_EQ(base32_encode(bytes_of("foobar"), Padding::Without), "MZXW6YTBOI");
  EXPECT_EQ(base32_decode("mzxw6ytboi"), bytes_of("foobar"));
  EXPECT_EQ(base32_decode("MZXW6YTBOI======"), bytes_of("foobar"));
  EXPECT_FALSE(base32_decode("MZXW6YTBOI====="));  // padding to no multiple of eight
  EXPECT_FALSE(base32_decode("M"));                // a length no byte count encodes to
  EXPECT_FALSE(base32_decode("MZXW6YTBO1"));       // '1' is not in the alphabet
}

}  // namespace
}  // namespace portcullis::util
