#include "portcullis/util/rfc3339.hpp"

#include <gtest/gtest.h>

namespace portcullis::util {
namespace {

using std::chrono::microseconds;

UtcMicros at(std::int64_t unix_micros) {
  return UtcMicros{microseconds{unix_micros}};
}

constexpr std::int64_t k2026_11_27T10 = 1'795'773'600'000'000;  // 2026-11-27T10:00:00Z

TEST(Rfc3339, ParsesUtcAndOffsetsToOneInstant) {
  EXPECT_EQ(*parse_rfc3339("2026-11-27T10:00:00Z"), at(k2026_11_27T10));
  EXPECT_EQ(*parse_rfc3339("2026-11-27t10:00:00z"), at(k2026_11_27T10));
  EXPECT_EQ(*parse_rfc3339("2026-11-27T11:30:00+01:30"), at(k2026_11_27T10));
  EXPECT_EQ(*parse_rfc3339("2026-11-26T23:00:00-11:00"), at(k2026_11_27T10));
  EXPECT_EQ(*parse_rfc3339("2026-11-27T10:00:00-00:00"), at(k2026_11_27T10));
}

TEST(Rfc3339, KeepsMicrosecondsAndTruncatesFinerFractions) {
  EXPECT_EQ(*parse_rfc3339("2026-11-27T10:00:00.5Z"), at(k2026_11_27T10 + 500'000));
  EXPECT_EQ(*parse_rfc3339("2026-11-27T10:00:00.1234569Z"), at(k2026_11_27T10 + 123'456));
}

TEST(Rfc3339, FoldsALeapSecondIntoTheNextMinute) {
  EXPECT_EQ(*parse_rfc3339("2016-12-31T23:59:60Z"), *parse_rfc3339("2017-01-01T00:00:00Z"));
}

TEST(Rfc3339, SeparatorsFollowTheGrammar) {
  EXPECT_TRUE(parse_rfc3339("2026-11-27 10:00:00Z", kDeviceEventTime));
  const auto epcis = parse_rfc3339("2026-11-27 10:00:00Z", kEpcisDateTime);
  ASSERT_FALSE(epcis);
  EXPECT_EQ(epcis.error().message, "expected 'T' after the date");
}

TEST(Rfc3339, RefusesOutOfRangeFieldsNamingThem) {
  EXPECT_EQ(parse_rfc3339("2026-13-01T00:00:00Z").error().message, "month 13 is out of range");
  EXPECT_EQ(parse_rfc3339("2026-02-29T00:00:00Z").error().message, "day 29 is not in that month");
  EXPECT_TRUE(parse_rfc3339("2028-02-29T00:00:00Z"));  // a leap year
  EXPECT_EQ(parse_rfc3339("2026-11-27T24:00:00Z").error().message, "hour 24 is out of range");
  EXPECT_EQ(parse_rfc3339("2026-11-27T10:60:00Z").error().message, "minute 60 is out of range");
  EXPECT_EQ(parse_rfc3339("2026-11-27T10:00:61Z").error().message, "second 61 is out of range");
  EXPECT_EQ(parse_rfc3339("2026-11-27T10:00:00+24:00").error().message, "offset out of range");
  EXPECT_EQ(parse_rfc3339("2026-11-27T10:00:00+01:60").error().message, "offset out of range");
}

TEST(Rfc3339, RefusesMalformedText) {
  for (const char* bad : {"", "2026-11-27", "2026-11-27T10:00:00", "2026-11-27T10:00:00.Z",
                          "2026-11-27T10:00Z", "2026-11-27T10:00:00+0100", "2026-11-27T10:00:00+01",
                          "2026-11-27T10:00:00ZZ", " 2026-11-27T10:00:00Z", "2026/11/27T10:00:00Z",
                          "+2026-11-27T10:00:00Z", "2026-11-27T10:00:00 Z", "2026-1a-27T10:00:00Z"}) {
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
  }
}

TEST(Rfc3339, RefusesTextOverTheGrammarsLimit) {
  const std::string long_fraction = "2026-11-27T10:00:00." + std::string(40, '1') + "Z";
  EXPECT_EQ(parse_rfc3339(long_fraction, kDeviceEventTime).error().message, "longer than 40 characters");
  EXPECT_EQ(parse_rfc3339(long_fraction + std::string(20, '1'), kAuditTime).error().message,
            "longer than 64 characters");
}

TEST(Rfc3339, FormatsUtcWithMicrosOrMillis) {
  const auto t = at(k2026_11_27T10 + 123'456);
  EXPECT_EQ(format_rfc3339(t), "2026-11-27T10:00:00.123456Z");
  EXPECT_EQ(format_rfc3339(t, SecondFraction::Millis), "2026-11-27T10:00:00.123Z");
  EXPECT_EQ(format_rfc3339(at(0)), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_rfc3339(at(-1)), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(*parse_rfc3339(format_rfc3339(t)), t);
}

TEST(Rfc3339, SaysWhichInstantsItCannotWrite) {
  EXPECT_TRUE(rfc3339_can_write(at(0)));
  EXPECT_TRUE(rfc3339_can_write(*parse_rfc3339("9999-12-31T23:59:59.999999Z")));
  EXPECT_TRUE(rfc3339_can_write(*parse_rfc3339("0000-01-01T00:00:00Z")));
  const auto too_late = *parse_rfc3339("9999-12-31T23:59:59.999999Z") + microseconds{1};
  EXPECT_FALSE(rfc3339_can_write(too_late));
  EXPECT_EQ(format_rfc3339(too_late), "10000-01-01T00:00:00.000000Z");
  const auto too_early = *parse_rfc3339("0000-01-01T00:00:00Z") - microseconds{1};
  EXPECT_FALSE(rfc3339_can_write(too_early));
  EXPECT_EQ(format_rfc3339(too_early), "-0001-12-31T23:59:59.999999Z");
}

}  // namespace
}  // namespace portcullis::util
