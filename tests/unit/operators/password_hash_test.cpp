#include "portcullis/operators/crypto/password_hash.hpp"

#include <gtest/gtest.h>

#include <string>

namespace portcullis::operators::crypto {
namespace {

// Cheap parameters keep the suite fast; one test runs the production defaults.
const ScryptParameters kFast{1024, 8, 1};

TEST(PasswordHash, RoundTripsWithTheProductionParameters) {
  const std::string stored = hash_password("correct horse battery staple");
  EXPECT_TRUE(stored.starts_with("scrypt$32768$8$1$")) << stored;
  EXPECT_EQ(verify_password("correct horse battery staple", stored), PasswordVerdict::Match);
  EXPECT_EQ(verify_password("correct horse battery stapler", stored), PasswordVerdict::Mismatch);
  EXPECT_FALSE(needs_rehash(stored));
}

TEST(PasswordHash, RejectsWrongPasswords) {
  const std::string stored = hash_password("s3cret-passphrase", kFast);
  EXPECT_EQ(verify_password("s3cret-passphrase", stored), PasswordVerdict::Match);
  for (std::string_view wrong : {"", "s3cret-passphras", "S3cret-passphrase", "s3cret-passphrase "}) {
    EXPECT_EQ(verify_password(wrong, stored), PasswordVerdict::Mismatch) << wrong;
  }
}

TEST(PasswordHash, EqualPasswordsGetDifferentSalts) {
  EXPECT_NE(hash_password("same", kFast), hash_password("same", kFast));
}

TEST(PasswordHash, PasswordsWithNulBytesAreHashedWhole) {
  const std::string with_nul{"abc\0def", 7};
  const std::string stored = hash_password(with_nul, kFast);
  EXPECT_EQ(verify_password(with_nul, stored), PasswordVerdict::Match);
  EXPECT_EQ(verify_password("abc", stored), PasswordVerdict::Mismatch);
}

TEST(PasswordHash, ATamperedHashNoLongerMatches) {
  std::string stored = hash_password("pw", kFast);
  stored[stored.size() - 3] = stored[stored.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_NE(verify_password("pw", stored), PasswordVerdict::Match);
}

TEST(PasswordHash, MalformedStoredValuesAreNotMatches) {
  const std::string good = hash_password("pw", kFast);
  const std::string tail = good.substr(std::string{"scrypt$1024$8$1$"}.size());  // salt$hash
  for (const std::string& bad :
       {std::string{}, std::string{"scrypt"}, "bcrypt$1024$8$1$" + tail,
        "scrypt$1000$8$1$" + tail,        // N not a power of two
        "scrypt$1073741824$8$1$" + tail,  // N too large: would allocate 1 TiB
        "scrypt$1024$0$1$" + tail, "scrypt$1024$8$0$" + tail, "scrypt$1024$8$99$" + tail,
        "scrypt$-1024$8$1$" + tail, "scrypt$1024$8$1$" + tail + "$extra",
        std::string{"scrypt$1024$8$1$!!!!$AAAA"},
        std::string{"scrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA"}}) {
    EXPECT_EQ(verify_password("pw", bad), PasswordVerdict::Malformed) << bad;
    EXPECT_TRUE(needs_rehash(bad)) << bad;
  }
}

TEST(PasswordHash, OtherParametersNeedARehash) {
  EXPECT_TRUE(needs_rehash(hash_password("pw", kFast)));
  EXPECT_FALSE(needs_rehash(hash_password("pw", kFast), kFast));
}

TEST(PasswordHash, OutOfBoundsParametersAreRefusedWhenHashing) {
  EXPECT_THROW(static_cast<void>(hash_password("pw", ScryptParameters{1000, 8, 1})), std::invalid_argument);
}

TEST(PasswordHash, TheDummyCheckRuns) {
  EXPECT_NO_THROW(spend_password_check_time("anything"));
}

}  // namespace
}  // namespace portcullis::operators::crypto
