// Encodings, digests, HMAC, randomness and TOTP enrollment against published vectors.
#include "portcullis/operators/crypto/encoding.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "portcullis/operators/crypto/digest.hpp"
#include "portcullis/operators/crypto/hmac.hpp"
#include "portcullis/operators/crypto/otpauth.hpp"
#include "portcullis/operators/crypto/random.hpp"
#include "portcullis/operators/totp.hpp"

namespace portcullis::operators::crypto {
namespace {

Bytes bytes_of(std::string_view text) {
  return {text.begin(), text.end()};
}

struct Vector {
  const char* plain;
  const char* base32;
  const char* base64;
};

// RFC 4648 section 10.
constexpr Vector kRfc4648[] = {
    {"", "", ""},
    {"f", "MY======", "Zg=="},
    {"fo", "MZXQ====", "Zm8="},
    {"foo", "MZXW6===", "Zm9v"},
    {"foob", "MZXW6YQ=", "Zm9vYg=="},
    {"fooba", "MZXW6YTB", "Zm9vYmE="},
    {"foobar", "MZXW6YTBOI======", "Zm9vYmFy"},
};

TEST(Base32, Rfc4648Vectors) {
  for (const auto& v : kRfc4648) {
    EXPECT_EQ(base32_encode(as_bytes(v.plain)), v.base32) << v.plain;
    EXPECT_EQ(base32_decode(v.base32), bytes_of(v.plain)) << v.base32;
  }
}

TEST(Base32, AcceptsWhatAuthenticatorAppsProduce) {
  EXPECT_EQ(base32_encode(as_bytes("foobar"), Padding::Without), "MZXW6YTBOI");
  EXPECT_EQ(base32_decode("MZXW6YTBOI"), bytes_of("foobar"));
  EXPECT_EQ(base32_decode("mzxw6ytboi"), bytes_of("foobar"));
  EXPECT_EQ(base32_decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), bytes_of("12345678901234567890"));
}

TEST(Base32, RejectsWhatNoEncoderProduces) {
  for (std::string_view bad : {"MZXW1", "MZXW8", "MZ XW", "M", "MZX", "MZXW6Y", "MZ",
                               "MY==", "MY==============", "=MY=====", "MY=A===="}) {
    EXPECT_FALSE(base32_decode(bad)) << bad;
  }
}

TEST(Base64, Rfc4648Vectors) {
  for (const auto& v : kRfc4648) {
    EXPECT_EQ(base64_encode(as_bytes(v.plain)), v.base64) << v.plain;
    EXPECT_EQ(base64_decode(v.base64), bytes_of(v.plain)) << v.base64;
  }
  for (std::string_view bad : {"Zg", "Zg=", "Z===", "Zh==", "Zm9v!A==", "Zm-_"}) {
    EXPECT_FALSE(base64_decode(bad)) << bad;
  }
}

TEST(Base64Url, UsesTheUrlSafeAlphabetWithoutPadding) {
  const Bytes data{0xFB, 0xFF};
  EXPECT_EQ(base64_encode(data), "+/8=");
  EXPECT_EQ(base64url_encode(data), "-_8");
}

TEST(Digest, Sha256OfAbc) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Digest, ConstantTimeEquality) {
  EXPECT_TRUE(equal_in_constant_time(as_bytes("abc"), as_bytes("abc")));
  EXPECT_FALSE(equal_in_constant_time(as_bytes("abc"), as_bytes("abd")));
  EXPECT_FALSE(equal_in_constant_time(as_bytes("abc"), as_bytes("abcd")));
  EXPECT_TRUE(equal_in_constant_time(ByteView{}, ByteView{}));
}

TEST(Hmac, Rfc4231TestCase2) {
  EXPECT_EQ(hex_encode(hmac_sha256(as_bytes("Jefe"), as_bytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Hmac, Rfc2202TestCase2ForSha1) {
  EXPECT_EQ(hex_encode(hmac_sha1(as_bytes("Jefe"), as_bytes("what do ya want for nothing?"))),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST(RandomToken, Is43UrlSafeCharactersAndNeverRepeats) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string token = random_token();
    ASSERT_EQ(token.size(), 43u);
    EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_TRUE(seen.insert(token).second);
  }
  EXPECT_EQ(util::random_bytes(0).size(), 0u);
  EXPECT_EQ(util::random_bytes(64).size(), 64u);
}

TEST(Otpauth, UriHasTheIssuerLabelSecretAndIssuer) {
  EXPECT_EQ(otpauth_uri("alice", as_bytes("12345678901234567890")),
            "otpauth://totp/Portcullis:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Portcullis");
}

TEST(Otpauth, NamesCannotForgeTheLabelOrAddParameters) {
  EXPECT_EQ(otpauth_uri("Evil:x&secret=AAAA b", as_bytes("1")),
            "otpauth://totp/Portcullis:Evil%3Ax%26secret%3DAAAA%20b?secret=GE&issuer=Portcullis");
}

TEST(Otpauth, AnEnrollmentsSecretProducesCodesThatVerify) {
  const TotpEnrollment enrollment = new_totp_enrollment("bob");
  ASSERT_EQ(enrollment.secret.size(), kTotpSecretBytes);
  EXPECT_EQ(base32_decode(enrollment.secret_base32), enrollment.secret);
  EXPECT_NE(enrollment.uri.find("secret=" + enrollment.secret_base32 + "&"), std::string::npos);

  const auto now = core::from_unix_micros(1'750'000'000'000'000);
  const std::string code = totp_code(totp_hmac(), enrollment.secret, now);
  EXPECT_EQ(verify_totp(totp_hmac(), enrollment.secret, code, now, TotpState{}).result, TotpCheck::Accepted);
}

}  // namespace
}  // namespace portcullis::operators::crypto
