// RFC 5424 as receivers parse it: the header, structured data whose values cannot close their element,
// the RFC's field lengths, the message cap, and RFC 6587 octet counting.
#include <gtest/gtest.h>

#include "portcullis/siem/syslog_message.hpp"

namespace portcullis::siem {
namespace {

constexpr util::UtcMicros kAt{std::chrono::microseconds{1'796'000'000'123'456}};
const std::string kBom = "\xEF\xBB\xBF";

SyslogMessage sample() {
  SyslogMessage m;
  m.facility = 10;
  m.severity = SyslogSeverity::Warning;
  m.at = kAt;
  m.hostname = "portcullis-1.example";
  m.app_name = "portcullisd";
  m.procid = "4242";
  m.msgid = "operator.login_failed";
  m.structured_data = {{"portcullis@32473", {{"site_id", "ams-dc1"}, {"site_seq", "17"}}}};
  m.message = R"({"event":"operator.login_failed"})";
  return m;
}

TEST(SyslogMessage, HasTheRfc5424HeaderStructuredDataAndABomBeforeTheMessage) {
  EXPECT_EQ(format_rfc5424(sample()),
            "<84>1 2026-11-30T00:53:20.123456Z portcullis-1.example portcullisd 4242 operator.login_failed "
            "[portcullis@32473 site_id=\"ams-dc1\" site_seq=\"17\"] " +
                kBom + R"({"event":"operator.login_failed"})");
}

TEST(SyslogMessage, PriorityIsFacilityTimesEightPlusSeverity) {
  auto m = sample();
  m.facility = 16;  // local0
  m.severity = SyslogSeverity::Critical;
  EXPECT_EQ(format_rfc5424(m).substr(0, 7), "<130>1 ");
}

TEST(SyslogMessage, SdParamValuesEscapeQuoteBackslashAndClosingBracket) {
  auto m = sample();
  m.structured_data = {{"portcullis@32473", {{"detail", R"(a"b\c]d)"}}}};
  const auto text = format_rfc5424(m);
  EXPECT_NE(text.find(R"([portcullis@32473 detail="a\"b\\c\]d"])"), std::string::npos) << text;
}

TEST(SyslogMessage, SdNamesLoseTheCharactersTheRfcForbidsAndAreCutTo32) {
  auto m = sample();
  m.structured_data = {{"bad id]=\"x", {{std::string(40, 'k'), "v"}}}};
  const auto text = format_rfc5424(m);
  EXPECT_NE(text.find("[bad_id___x " + std::string(32, 'k') + "=\"v\"]"), std::string::npos) << text;
}

TEST(SyslogMessage, ControlCharactersInAValueCannotEndTheLine) {
  auto m = sample();
  m.structured_data = {{"portcullis@32473", {{"detail", "one\ntwo\rthree"}}}};
  EXPECT_NE(format_rfc5424(m).find("detail=\"one two three\""), std::string::npos);
}

TEST(SyslogMessage, HeaderFieldsArePrintableAsciiCutToTheRfcLengths) {
  auto m = sample();
  m.hostname = std::string(300, 'h');
  m.app_name = "port cullis\xc3\xa9" + std::string(60, 'a');
  m.procid = "";
  m.msgid = std::string(40, 'm');
  const auto text = format_rfc5424(m);
  const auto expected = "<84>1 2026-11-30T00:53:20.123456Z " + std::string(255, 'h') + " port?cullis??" +
                        std::string(48 - 13, 'a') + " - " + std::string(32, 'm') + " [";
  EXPECT_EQ(text.substr(0, expected.size()), expected);
}

TEST(SyslogMessage, WithoutStructuredDataOrMessageTheFieldsAreNil) {
  auto m = sample();
  m.structured_data.clear();
  m.message.clear();
  EXPECT_EQ(
      format_rfc5424(m),
      "<84>1 2026-11-30T00:53:20.123456Z portcullis-1.example portcullisd 4242 operator.login_failed -");
}

TEST(SyslogMessage, ALongMessageIsCutAtACharacterBoundaryUnderTheLimit) {
  auto m = sample();
  m.message = std::string(100, 'x');
  for (int i = 0; i < 100; ++i) m.message += "\xE2\x82\xAC";  // the euro sign, 3 bytes
  const auto text = format_rfc5424(m, 300);
  EXPECT_LE(text.size(), 300u);
  EXPECT_GT(text.size(), 297u) << "cut short of the limit";
  const auto body = text.substr(text.find(kBom) + kBom.size());
  ASSERT_GT(body.size(), 100u);
  EXPECT_EQ((body.size() - 100) % 3, 0u) << "a euro sign was cut in half";
}

TEST(SyslogMessage, OctetCountingPrefixesTheLengthInBytes) {
  EXPECT_EQ(octet_counted("<84>1 - - - - - -"), "17 <84>1 - - - - - -");
  EXPECT_EQ(octet_counted("\xE2\x82\xAC"), "3 \xE2\x82\xAC");
}

TEST(SyslogFacility, NamesAndNumbersOnly) {
  EXPECT_EQ(parse_facility("authpriv"), 10);
  EXPECT_EQ(parse_facility("local4"), 20);
  EXPECT_EQ(parse_facility("23"), 23);
  EXPECT_EQ(parse_facility("24"), -1);
  EXPECT_EQ(parse_facility("local8"), -1);
  EXPECT_EQ(parse_facility(""), -1);
}

}  // namespace
}  // namespace portcullis::siem
