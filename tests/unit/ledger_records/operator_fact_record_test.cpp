// The payloads of the operator account facts (sign-in, sign-out, account changes), pinned byte for byte:
// they are hashed into the chain, so a failure here is a new record version, never an expected value to edit.
// Inputs hold the awkward text a request may carry: quotes, backslashes, control characters, non-ASCII and
// bytes that are not UTF-8.
#include <gtest/gtest.h>

#include <string>

#include "portcullis/ledger/records/operator_fact_record.hpp"
#include "portcullis/util/json_string.hpp"

namespace portcullis::json {
namespace {

// The escaper the facts were first written with (http::json_escape), for the checks of kAwkwardEscaped.
std::string escape(const std::string& text) {
  return util::json_escape(text, util::JsonStringStyle::CheckedUtf8);
}

// Quote, backslash, newline, tab, backspace, form feed, U+0001, an e with acute accent, a lone 0xff byte.
const std::string kAwkward = "q\"b\\s\n\t\b\f\x01 caf\xc3\xa9 \xff end";
const std::string kAwkwardEscaped = R"(q\"b\\s\n\t\u0008\u000c\u0001 café \ufffd end)";

TEST(OperatorFactRecord, SignInFactEscapesEveryFieldAsCheckedUtf8) {
  EXPECT_EQ(kAwkwardEscaped, escape(kAwkward));
  EXPECT_EQ(
      sign_in_fact_json("locked", kAwkward, "10.0.0.7:51234"),
      R"({"detail":"locked","operator":"q\"b\\s\n\t\u0008\u000c\u0001 café \ufffd end","remote":"10.0.0.7:51234"})");
  EXPECT_EQ(
      sign_in_fact_json(kAwkward, "ada", kAwkward),
      R"({"detail":"q\"b\\s\n\t\u0008\u000c\u0001 café \ufffd end","operator":"ada","remote":"q\"b\\s\n\t\u0008\u000c\u0001 café \ufffd end"})");
}

TEST(OperatorFactRecord, SignInFactKeepsTheFirst64BytesOfTheNameGiven) {
  // The cut falls inside the two bytes of "é": the half left is not UTF-8 and is stored as U+FFFD.
  const std::string name = std::string(63, 'a') + "\xc3\xa9" + "tail";
  EXPECT_EQ(
      sign_in_fact_json("unknown_operator", name, ""),
      R"({"detail":"unknown_operator","operator":")" + std::string(63, 'a') + R"(\ufffd","remote":""})");
}

TEST(OperatorFactRecord, SignOutFactNamesTheOperator) {
  EXPECT_EQ(sign_out_fact_json("ada"), R"({"operator":"ada"})");
  EXPECT_EQ(sign_out_fact_json(kAwkward), R"({"operator":"q\"b\\s\n\t\u0008\u000c\u0001 café \ufffd end"})");
  EXPECT_EQ(sign_out_fact_json(""), R"({"operator":""})");
}

TEST(OperatorFactRecord, AccountChangeFactNamesWhoChangedWhichAccount) {
  EXPECT_EQ(operator_change_fact_json("root", "ada"), R"({"by":"root","operator":"ada"})");
  EXPECT_EQ(
      operator_change_fact_json(kAwkward, kAwkward),
      R"({"by":"q\"b\\s\n\t\u0008\u000c\u0001 café \ufffd end","operator":"q\"b\\s\n\t\u0008\u000c\u0001 café \ufffd end"})");
}

TEST(OperatorFactRecord, CreatedFactNamesThePersonOrMarksAServiceAccount) {
  EXPECT_EQ(operator_created_fact_json({"root", "ada", false, "p-ada", "supervisor"}),
            R"({"by":"root","operator":"ada","person":"p-ada","role":"supervisor"})");
  EXPECT_EQ(operator_created_fact_json({"root", "exporter", true, "", "auditor"}),
            R"({"by":"root","operator":"exporter","service":true,"role":"auditor"})");
  EXPECT_EQ(
      operator_created_fact_json({kAwkward, kAwkward, false, kAwkward, kAwkward}),
      R"({"by":"q\"b\\s\n\t\u0008\u000c\u0001 café \ufffd end","operator":"q\"b\\s\n\t\u0008\u000c\u0001 café \ufffd end","person":"q\"b\\s\n\t\u0008\u000c\u0001 café \ufffd end","role":"q\"b\\s\n\t\u0008\u000c\u0001 café \ufffd end"})");
}

}  // namespace
}  // namespace portcullis::json
