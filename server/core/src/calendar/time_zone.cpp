#include "portcullis/core/calendar/time_zone.hpp"

namespace portcullis::core {
namespace {
using namespace std::chrono;

// The UTC instant of a transition in a given year, `offset_before` being the UTC offset in force before it.
sys_seconds transition_utc(const TransitionRule& rule, int year, int offset_before_minutes) {
  const auto ym = std::chrono::year{year} / std::chrono::month{rule.month};
  const weekday wd{rule.weekday};
  sys_days day;
  if (rule.week >= 5) {
    day = sys_days{ym / wd[last]};
  } else {
    day = sys_days{ym / wd[rule.week]};
  }
  return sys_seconds{day} + minutes{rule.minute_of_day} - minutes{offset_before_minutes};
}

bool in_dst(const TimeZoneRule& zone, Timestamp t) {
  const DstRule& dst = *zone.dst;
  const auto secs = floor<seconds>(t);
  // Local standard year is enough to pick the rules' year: transitions are never near New Year.
  const auto local_std = secs + minutes{zone.std_offset_minutes};
  const int year = static_cast<int>(year_month_day{floor<days>(local_std)}.year());
  const auto start = transition_utc(dst.start, year, zone.std_offset_minutes);
  const auto end = transition_utc(dst.end, year, zone.std_offset_minutes + dst.save_minutes);
  if (start < end) return secs >= start && secs < end;  // northern hemisphere
  return secs >= start || secs < end;                   // southern: DST spans New Year
}
}  // namespace

int utc_offset_minutes(const TimeZoneRule& zone, Timestamp t) {
  if (zone.dst && in_dst(zone, t)) return zone.std_offset_minutes + zone.dst->save_minutes;
  return zone.std_offset_minutes;
}

LocalTime to_local(const TimeZoneRule& zone, Timestamp t) {
  const auto local = floor<minutes>(t) + minutes{utc_offset_minutes(zone, t)};
  const auto date = floor<days>(local);
  LocalTime out;
  out.date = date;
  out.minute_of_day = static_cast<int>((local - date).count());
  out.weekday_monday0 = (weekday{date}.c_encoding() + 6U) % 7U;
  return out;
}

}  // namespace portcullis::core
