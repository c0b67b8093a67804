#include "portcullis/core/calendar/schedule.hpp"

#include <algorithm>

namespace portcullis::core {

bool schedule_open(const ScheduleDef& schedule, const std::vector<std::chrono::sys_days>& sorted_holidays,
                   const LocalTime& at) {
  if (schedule.closed_on_holidays &&
      std::binary_search(sorted_holidays.begin(), sorted_holidays.end(), at.date)) {
    return false;
  }
  const auto day_bit = static_cast<std::uint8_t>(1U << at.weekday_monday0);
  return std::any_of(schedule.windows.begin(), schedule.windows.end(), [&](const WeeklyWindow& w) {
    return (w.days & day_bit) != 0 && at.minute_of_day >= w.start_minute && at.minute_of_day < w.end_minute;
  });
}

}  // namespace portcullis::core
