// The server's one RFC 3339 parser (server/json rfc3339.hpp) in both of its grammars: device event times
// (util::parse_rfc3339 with kDeviceEventTime, the default) and EPCIS eventTime / creationDate
// (epcis::detail::parse_date_time = kEpcisDateTime). Each case that the two former parsers handled is pinned
// here: offsets, fractions, leap years and leap seconds, out-of-range fields, separators, lengths.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "portcullis/util/rfc3339.hpp"
#include "time_text.hpp"

namespace portcullis {
namespace {

using core::Timestamp;
using std::chrono::sys_days;
using namespace std::chrono_literals;

Timestamp at(std::chrono::year_month_day d, std::chrono::microseconds since_midnight = {}) {
  return Timestamp{sys_days{d}.time_since_epoch() + since_midnight};
}
std::optional<Timestamp> device(std::string_view s) {
  auto t = util::parse_rfc3339(s);
  if (!t) return std::nullopt;
  return *t;
}
std::optional<Timestamp> epcis(std::string_view s) {
  return epcis::detail::parse_date_time(s);
}

// Cases both grammars treat alike: the expected instant, or nullopt for a refusal.
struct Case {
  const char* text;
  std::optional<Timestamp> expected;
};

TEST(Rfc3339, SharedGrammarOfBothCallers) {
  using std::chrono::December;
  using std::chrono::February;
  using std::chrono::January;
  using std::chrono::November;
  using std::chrono::year;
  const auto nov27 = year{2026} / November / 27;
  const Case cases[] = {
      {"2026-11-27T10:00:00Z", at(nov27, 10h)},
      {"2026-11-27t10:00:00z", at(nov27, 10h)},
      // Offsets: east of UTC is earlier in UTC, west is later; the offset may cross a day.
      {"2026-11-27T11:00:00+01:00", at(nov27, 10h)},
      {"2026-11-27T04:30:00-05:30", at(nov27, 10h)},
      {"2026-11-27T10:00:00+00:00", at(nov27, 10h)},
      {"2026-11-27T10:00:00-00:00", at(nov27, 10h)},
      {"2026-11-27T00:30:00+14:00", at(year{2026} / November / 26, 10h + 30min)},
      {"2026-11-27T23:59:00-23:59", at(year{2026} / November / 28, 23h + 58min)},
      {"2026-11-27T10:00:00+24:00", std::nullopt},  // offset hour out of range
      {"2026-11-27T10:00:00+01:60", std::nullopt},  // offset minute out of range
      {"2026-11-27T10:00:00+0100", std::nullopt},   // no colon
      {"2026-11-27T10:00:00+01", std::nullopt},
      {"2026-11-27T10:00:00", std::nullopt},  // an offset is required
      {"2026-11-27T10:00:00.5", std::nullopt},
      // Fractions: any number of digits, truncated (not rounded) to microseconds.
      {"2026-11-27T10:00:00.5Z", at(nov27, 10h + 500ms)},
      {"2026-11-27T10:00:00.123456Z", at(nov27, 10h + 123456us)},
      {"2026-11-27T10:00:00.1234569Z", at(nov27, 10h + 123456us)},
      {"2026-11-27T10:00:00.999999999+01:00", at(nov27, 9h + 999999us)},
      {"2026-11-27T10:00:00.Z", std::nullopt},
      {"2026-11-27T10:00:00,5Z", std::nullopt},
      // Leap years: divisible by 4, except centuries, except every 400 years.
      {"2024-02-29T00:00:00Z", at(year{2024} / February / 29)},
      {"2000-02-29T00:00:00Z", at(year{2000} / February / 29)},
      {"2023-02-29T00:00:00Z", std::nullopt},
      {"1900-02-29T00:00:00Z", std::nullopt},
      {"2026-02-30T10:00:00Z", std::nullopt},
      {"2026-04-31T10:00:00Z", std::nullopt},
      // A leap second is folded into the start of the next minute (here: the next year).
      {"2016-12-31T23:59:60Z", at(year{2017} / January / 1)},
      {"2016-12-31T23:59:60.5Z", at(year{2017} / January / 1, 500ms)},
      {"2026-12-31T23:59:59.999999Z", at(year{2026} / December / 31, 24h - 1us)},
      // Out-of-range fields.
      {"2026-13-01T10:00:00Z", std::nullopt},
      {"2026-00-01T10:00:00Z", std::nullopt},
      {"2026-11-00T10:00:00Z", std::nullopt},
      {"2026-11-32T10:00:00Z", std::nullopt},
      {"2026-11-27T24:00:00Z", std::nullopt},
      {"2026-11-27T10:60:00Z", std::nullopt},
      {"2026-11-27T10:00:61Z", std::nullopt},
      // Shape: fixed-width fields, nothing before or after.
      {"2026-11-27T1:00:00Z", std::nullopt},
      {"26-11-27T10:00:00Z", std::nullopt},
      {"+2026-11-27T10:00:00Z", std::nullopt},
      {"2026/11/27T10:00:00Z", std::nullopt},
      {"2026-11-27X10:00:00Z", std::nullopt},
      {"2026-11-27T10:00:00Zjunk", std::nullopt},
      {" 2026-11-27T10:00:00Z", std::nullopt},
      {"2026-11-27T10:00:00Z ", std::nullopt},
      {"2026-11-2७T10:00:00Z", std::nullopt},
      {"", std::nullopt},
      {"tomorrow", std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(device(c.text), c.expected) << "device event time: " << c.text;
    EXPECT_EQ(epcis(c.text), c.expected) << "EPCIS date-time: " << c.text;
  }
}

TEST(Rfc3339, WhereTheTwoGrammarsDiffer) {
  const auto ten = at(std::chrono::year{2026} / std::chrono::November / 27, 10h);
  // A space instead of 'T' (RFC 3339 section 5.6 NOTE): device events only; xsd:dateTime has no such form.
  EXPECT_EQ(device("2026-11-27 10:00:00Z"), ten);
  EXPECT_EQ(epcis("2026-11-27 10:00:00Z"), std::nullopt);
  // Length: device event times at most 40 characters, EPCIS date-times at most 64 (long fractions).
  const std::string forty = "2026-11-27T10:00:00." + std::string(19, '0') + "Z";  // 40 characters
  ASSERT_EQ(forty.size(), 40U);
  EXPECT_EQ(device(forty), ten);
  EXPECT_EQ(device("2026-11-27T10:00:00." + std::string(20, '0') + "Z"), std::nullopt);
  const std::string sixty_four = "2026-11-27T11:00:00." + std::string(38, '0') + "+01:00";
  ASSERT_EQ(sixty_four.size(), 64U);
  EXPECT_EQ(epcis(sixty_four), ten);
  EXPECT_EQ(epcis("2026-11-27T11:00:00." + std::string(39, '0') + "+01:00"), std::nullopt);
}

TEST(Rfc3339, FormatRoundTripsThroughTheParser) {
  const auto t = *device("2026-11-27T11:00:00.123456+01:00");
  EXPECT_EQ(util::format_rfc3339(t), "2026-11-27T10:00:00.123456Z");
  EXPECT_EQ(device(util::format_rfc3339(t)), t);
  EXPECT_EQ(epcis(util::format_rfc3339(t)), t);
}

TEST(EpcisTimeZoneOffset, FollowsThePatternOfTheStandard) {
  for (const char* ok : {"+01:00", "-06:00", "+14:00", "-14:00", "+00:00", "+13:59", "-09:30"})
    EXPECT_TRUE(epcis::detail::valid_time_zone_offset(ok)) << ok;
  for (const char* bad : {"+14:01", "+15:00", "Z", "01:00", "+1:00", "+01:60", "+0100", "+01:00 ", ""})
    EXPECT_FALSE(epcis::detail::valid_time_zone_offset(bad)) << bad;
}

}  // namespace
}  // namespace portcullis
