#include "portcullis/util/random_token.hpp"

#include <gtest/gtest.h>

#include <set>

#include "portcullis/util/base64.hpp"

namespace portcullis::util {
namespace {

TEST(RandomToken, Is256BitsOfBase64Url) {
  const auto token = random_token();
  EXPECT_EQ(token.size(), 43U);
  const auto bytes = base64url_decode(token);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->size(), kTokenBytes);
}

TEST(RandomToken, DoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(random_token()).second);
}

TEST(RandomToken, HexAndRawBytesHaveTheAskedLength) {
  EXPECT_EQ(random_hex(16).size(), 32U);
  EXPECT_EQ(random_hex(16).find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(random_bytes(0).size(), 0U);
  // Larger than one getrandom call is guaranteed to return in one piece.
  EXPECT_EQ(random_bytes(1 << 20).size(), std::size_t{1} << 20);
}

}  // namespace
}  // namespace portcullis::util
