#pragma once
// The site's local time without a time-zone database: g++ 12 ships no std::chrono tzdb, and a security
// server should not depend on the host's zoneinfo anyway. A site declares its standard UTC offset and,
// optionally, a daylight-saving rule in the POSIX TZ "Mm.w.d/time" form (the form glibc and every
// embedded controller understand), e.g. Europe: start M3.5.0/02:00, end M10.5.0/03:00, save 60 minutes.
#include <chrono>
#include <optional>

#include "portcullis/core/time.hpp"

namespace portcullis::core {

// "Mm.w.d/hh:mm": month 1-12, week 1-5 (5 = last), weekday 0-6 (0 = Sunday), local wall time of the change
// in the time that is in force just before it.
struct TransitionRule {
  unsigned month = 3;
  unsigned week = 5;
  unsigned weekday = 0;
  int minute_of_day = 120;
  friend bool operator==(const TransitionRule&, const TransitionRule&) = default;
};

struct DstRule {
  TransitionRule start;
  TransitionRule end;
  int save_minutes = 60;
  friend bool operator==(const DstRule&, const DstRule&) = default;
};

struct TimeZoneRule {
  int std_offset_minutes = 0;  // local standard time = UTC + this
  std::optional<DstRule> dst;
  friend bool operator==(const TimeZoneRule&, const TimeZoneRule&) = default;
};

// Local wall-clock time of an instant.
struct LocalTime {
  std::chrono::sys_days date;  // the local date, as a day count
  int minute_of_day = 0;
  unsigned weekday_monday0 = 0;  // 0 = Monday ... 6 = Sunday
};

[[nodiscard]] int utc_offset_minutes(const TimeZoneRule& zone, Timestamp t);
[[nodiscard]] LocalTime to_local(const TimeZoneRule& zone, Timestamp t);

}  // namespace portcullis::core
