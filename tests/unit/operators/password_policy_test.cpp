#include "portcullis/operators/password_policy.hpp"

#include <gtest/gtest.h>

#include <string>

namespace portcullis::operators {
namespace {

TEST(PasswordPolicy, LongPassphrasesPass) {
  EXPECT_FALSE(check_new_password("correct horse battery staple", "alice"));
  EXPECT_FALSE(check_new_password("twelve chars", "alice"));
}

TEST(PasswordPolicy, ShortPasswordsFail) {
  EXPECT_EQ(check_new_password("eleven char", "alice"), PasswordProblem::TooShort);
  EXPECT_EQ(check_new_password("", "alice"), PasswordProblem::TooShort);
}

TEST(PasswordPolicy, CharactersNotBytesAreCounted) {
  // Eleven two-byte letters are 22 bytes but still eleven characters.
  EXPECT_EQ(check_new_password("ééééééééééé", "alice"), PasswordProblem::TooShort);
  EXPECT_FALSE(check_new_password("éééééééééééé", "alice"));
}

TEST(PasswordPolicy, HugePasswordsFail) {
  EXPECT_EQ(check_new_password(std::string(1025, 'x'), "alice"), PasswordProblem::TooLong);
  EXPECT_FALSE(check_new_password(std::string(1024, 'x'), "alice"));
}

TEST(PasswordPolicy, TheNameIsNotAPassword) {
  EXPECT_EQ(check_new_password("Night.Supervisor", "night.supervisor"), PasswordProblem::SameAsName);
}

}  // namespace
}  // namespace portcullis::operators
