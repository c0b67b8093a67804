#include "portcullis/core/calendar/time_zone.hpp"

#include <gtest/gtest.h>

#include "test_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

const TimeZoneRule kEurope{60, DstRule{{3, 5, 0, 120}, {10, 5, 0, 180}, 60}};
const TimeZoneRule kSydney{600, DstRule{{10, 1, 0, 120}, {4, 1, 0, 180}, 60}};

TEST(TimeZone, EuropeanTransitionsHappenAt0100Utc) {
  // 2026: DST from Sunday 29 March 01:00 UTC to Sunday 25 October 01:00 UTC.
  EXPECT_EQ(utc_offset_minutes(kEurope, utc(2026, 3, 29, 0, 59)), 60);
  EXPECT_EQ(utc_offset_minutes(kEurope, utc(2026, 3, 29, 1, 0)), 120);
  EXPECT_EQ(utc_offset_minutes(kEurope, utc(2026, 10, 25, 0, 59)), 120);
  EXPECT_EQ(utc_offset_minutes(kEurope, utc(2026, 10, 25, 1, 0)), 60);
}

TEST(TimeZone, SouthernHemisphereDstSpansNewYear) {
  EXPECT_EQ(utc_offset_minutes(kSydney, utc(2026, 1, 15, 0)), 660);
  EXPECT_EQ(utc_offset_minutes(kSydney, utc(2026, 6, 15, 0)), 600);
  EXPECT_EQ(utc_offset_minutes(kSydney, utc(2026, 12, 15, 0)), 660);
}

TEST(TimeZone, FixedOffsetWithoutDst) {
  const TimeZoneRule tokyo{540, std::nullopt};
  const LocalTime l = to_local(tokyo, utc(2026, 11, 29, 20, 30));  // Sunday 20:30 UTC = Monday 05:30 JST
  EXPECT_EQ(l.weekday_monday0, 0U);
  EXPECT_EQ(l.minute_of_day, 5 * 60 + 30);
}

}  // namespace
}  // namespace portcullis::core
