// CSV cells (RFC 4180 quoting and spreadsheet formula neutralization), JSON strings, times, base64 and
// the COPY text decoder.
#include <gtest/gtest.h>

#include "portcullis/audit/text_format.hpp"

namespace portcullis::audit {
namespace {

std::string cell(std::string_view s) {
  std::string out;
  append_csv_cell(out, s);
  return out;
}

TEST(CsvCell, PlainTextIsUnchanged) {
  EXPECT_EQ(cell("alice"), "alice");
  EXPECT_EQ(cell(""), "");
  EXPECT_EQ(cell("p-lobby"), "p-lobby");  // a dash inside is harmless
  EXPECT_EQ(cell("12"), "12");
}

TEST(CsvCell, FormulaStartsAreNeutralized) {
  EXPECT_EQ(cell("=1+2"), "\"'=1+2\"");
  EXPECT_EQ(cell("+1"), "\"'+1\"");
  EXPECT_EQ(cell("-1"), "\"'-1\"");
  EXPECT_EQ(cell("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(cell("\tx"), "\"'\tx\"");
  EXPECT_EQ(cell("\rx"), "\"'\rx\"");
  EXPECT_EQ(cell("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(cell("=cmd|' /C calc'!A0"), "\"'=cmd|' /C calc'!A0\"");
}

TEST(CsvCell, SpecialCharactersAreQuoted) {
  EXPECT_EQ(cell("a,b"), "\"a,b\"");
  EXPECT_EQ(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(cell("line1\nline2"), "\"line1\nline2\"");
  EXPECT_EQ(cell("a\rb"), "\"a\rb\"");
}

TEST(CsvRow, EndsWithCrLf) {
  std::string out;
  append_csv_row(out, {"a", "=b", "c,d"});
  EXPECT_EQ(out, "a,\"'=b\",\"c,d\"\r\n");
}

TEST(Time, FormatsAndParsesRfc3339) {
  EXPECT_EQ(rfc3339_from_micros(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(rfc3339_from_micros(1'700'000'000'000'001), "2023-11-14T22:13:20.000001Z");
  EXPECT_EQ(rfc3339_from_micros(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(parse_time("2023-11-14T22:13:20.000001Z"), 1'700'000'000'000'001);
  EXPECT_EQ(parse_time("2023-11-14T23:13:20+01:00"), 1'700'000'000'000'000);
  EXPECT_EQ(parse_time("2023-11-14 22:13:20.5Z"), 1'700'000'000'500'000);
  EXPECT_EQ(parse_time("1970-01-02"), 86'400'000'000);
  EXPECT_FALSE(parse_time("2023-02-30"));
  EXPECT_FALSE(parse_time("2023-11-14T22:13:20"));  // no offset
  EXPECT_FALSE(parse_time("yesterday"));
  // The shared RFC 3339 parser in the audit grammar: 't'/'z', any fraction length (truncated), leap days and
  // seconds, fields and offsets in range, nothing around it.
  EXPECT_EQ(parse_time("2023-11-14t22:13:20z"), 1'700'000'000'000'000);
  EXPECT_EQ(parse_time("2023-11-14T22:13:20." + std::string(40, '9') + "Z"), 1'700'000'000'999'999);
  EXPECT_EQ(parse_time("2024-02-29"), parse_time("2024-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_time("2023-02-29T00:00:00Z"));
  EXPECT_EQ(parse_time("2016-12-31T23:59:60Z"), parse_time("2017-01-01"));
  EXPECT_EQ(parse_time("2023-11-14T12:13:20-10:00"), 1'700'000'000'000'000);
  EXPECT_FALSE(parse_time("2023-11-14T22:13:20+24:00"));
  EXPECT_FALSE(parse_time("2023-11-14T24:00:00Z"));
  EXPECT_FALSE(parse_time("2023-11-14T22:13:20Z "));
  EXPECT_FALSE(parse_time("2023-13-01"));
  EXPECT_FALSE(parse_time("2023-11-1"));
  for (std::int64_t t : {0LL, 1LL, 951'782'400'123'456LL, 4'102'444'799'999'999LL}) {
    EXPECT_EQ(parse_time(rfc3339_from_micros(t)), t);
  }
}

TEST(CopyText, DecodesFieldsNullsAndEscapes) {
  std::vector<CopyField> fields;
  std::string storage;
  ASSERT_TRUE(decode_copy_row("12\t\\N\ta\\tb\\nc\\\\d\t\t=x\n", fields, storage));
  ASSERT_EQ(fields.size(), 5U);
  EXPECT_EQ(fields[0].text, "12");
  EXPECT_TRUE(fields[1].null);
  EXPECT_EQ(fields[2].text, "a\tb\nc\\d");
  EXPECT_FALSE(fields[3].null);
  EXPECT_EQ(fields[3].text, "");
  EXPECT_EQ(fields[4].text, "=x");
  ASSERT_TRUE(decode_copy_row("\\x41\\102\\r", fields, storage));
  EXPECT_EQ(fields[0].text, "AB\r");
  EXPECT_FALSE(decode_copy_row("bad\\", fields, storage));
}

TEST(CopyText, ManyEscapedFieldsStayValid) {
  std::vector<CopyField> fields;
  std::string storage;
  std::string line;
  for (int i = 0; i < 50; ++i) line += (i ? "\t" : "") + std::string("x\\ty") + std::to_string(i);
  ASSERT_TRUE(decode_copy_row(line, fields, storage));
  ASSERT_EQ(fields.size(), 50U);
  for (int i = 0; i < 50; ++i)
    EXPECT_EQ(fields[static_cast<std::size_t>(i)].text, "x\ty" + std::to_string(i));
}

}  // namespace
}  // namespace portcullis::audit
