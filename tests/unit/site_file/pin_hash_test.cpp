// PBKDF2 PIN hashes: round trip, salt, malformed input, and the PinVerifier the engine gets.
#include "crypto/pin_hash.hpp"

#include <gtest/gtest.h>

namespace portcullis::crypto {
namespace {

TEST(PinHash, RoundTripsWithARandomSalt) {
  const auto a = hash_pin("482916", kMinPinIterations);
  const auto b = hash_pin("482916", kMinPinIterations);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(a->rfind("pbkdf2-sha256$10000$", 0), 0U);
  EXPECT_TRUE(verify_pin(*a, "482916"));
  EXPECT_FALSE(verify_pin(*a, "482917"));
  EXPECT_FALSE(verify_pin(*a, ""));
}

TEST(PinHash, MalformedHashesNeverMatch) {
  const auto good = *hash_pin("1234", kMinPinIterations);
  for (const std::string& bad :
       {std::string{}, std::string{"plain:1234"}, std::string{"pbkdf2-sha256$10000$abc$def"},
        std::string{"pbkdf2-sha256$1$"} + good.substr(20), good + "$extra",
        std::string{"pbkdf2-sha1"} + good.substr(13), good.substr(0, good.size() - 4)}) {
    EXPECT_FALSE(verify_pin(bad, "1234")) << bad;
  }
  EXPECT_FALSE(hash_pin("1234", 1));
}

TEST(PinHash, VerifierAdaptsToTheCore) {
  const Pbkdf2PinVerifier verifier;
  const auto h = *hash_pin("0000", kMinPinIterations);
  EXPECT_EQ(verifier.verify(h, "0000"), core::PinMatch::Match);
  EXPECT_EQ(verifier.verify(h, "0001"), core::PinMatch::Mismatch);
  EXPECT_FALSE(hash_pin_for_site_file("1").empty());
}

}  // namespace
}  // namespace portcullis::crypto
