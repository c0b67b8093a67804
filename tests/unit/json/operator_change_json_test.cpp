// Bodies of the operator lifecycle routes, and the canonical bytes a second admin's approval is bound to.
#include <gtest/gtest.h>

#include "portcullis/json/operator_json.hpp"

namespace portcullis::json {
namespace {

TEST(OperatorChangeJson, ANewOperatorIsAPersonsOrAServiceAccountNeverNeitherNorBoth) {
  const auto person =
      parse_new_operator(R"({"id":"gil","role":"guard","name":"Gil","person":"farah-haddad"})");
  ASSERT_TRUE(std::holds_alternative<NewOperatorBody>(person));
  EXPECT_EQ(std::get<NewOperatorBody>(person).person, "farah-haddad");
  const auto service = parse_new_operator(R"({"id":"svc","role":"admin","name":"Svc","service":true})");
  ASSERT_TRUE(std::holds_alternative<NewOperatorBody>(service));
  EXPECT_TRUE(std::get<NewOperatorBody>(service).service);
  const auto neither = parse_new_operator(R"({"id":"x","role":"guard","name":"X"})");
  ASSERT_TRUE(std::holds_alternative<FieldError>(neither));
  EXPECT_EQ(std::get<FieldError>(neither).field, "person");
  const auto both =
      parse_new_operator(R"({"id":"x","role":"guard","name":"X","person":"farah-haddad","service":true})");
  EXPECT_TRUE(std::holds_alternative<FieldError>(both));
  const auto bad_id = parse_new_operator(R"({"id":"=1+2-X","role":"guard","name":"X","service":true})");
  ASSERT_TRUE(std::holds_alternative<FieldError>(bad_id));
  EXPECT_EQ(std::get<FieldError>(bad_id).field, "id");
}

TEST(OperatorChangeJson, ACanonicalChangeReadsBackAsTheSameChange) {
  OperatorChange change;
  change.change = "create";
  change.operator_id = "cy";
  change.password_hash = "scrypt$32768$8$1$c2FsdA==$aGFzaA==";
  change.created = {"cy", "admin", "Cy", "alice-nguyen", false};
  const auto bytes = canonical_operator_change(change);
  EXPECT_EQ(bytes, canonical_operator_change(change)) << "one change, one byte string";
  const auto back = parse_operator_change(bytes);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(canonical_operator_change(*back), bytes);
  EXPECT_EQ(back->created.person, "alice-nguyen");
  EXPECT_FALSE(parse_operator_change(R"({"change":"create","operator":"cy"})").has_value())
      << "a create without its one-time password's hash or its person";
  EXPECT_FALSE(parse_operator_change("not json").has_value());
}

TEST(OperatorChangeJson, APasswordChangeNamesTheNewPassword) {
  const auto missing = parse_password_change(R"({"username":"gil","password":"p","totp":"123456"})");
  ASSERT_TRUE(std::holds_alternative<FieldError>(missing));
  EXPECT_EQ(std::get<FieldError>(missing).field, "new_password");
  const auto ok = parse_password_change(
      R"({"username":"gil","password":"p","totp":"123456","new_password":"a long new password"})");
  ASSERT_TRUE(std::holds_alternative<PasswordChangeBody>(ok));
  EXPECT_EQ(std::get<PasswordChangeBody>(ok).new_password, "a long new password");
}

}  // namespace
}  // namespace portcullis::json
