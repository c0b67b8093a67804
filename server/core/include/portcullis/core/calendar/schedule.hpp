#pragma once
// Whether a weekly schedule is open at a local time. Holidays are the site's list of local dates.
#include <chrono>
#include <vector>

#include "portcullis/core/calendar/time_zone.hpp"
#include "portcullis/core/model/site_definition.hpp"

namespace portcullis::core {

// `sorted_holidays` must be sorted (SiteModel keeps them so).
[[nodiscard]] bool schedule_open(const ScheduleDef& schedule,
                                 const std::vector<std::chrono::sys_days>& sorted_holidays,
                                 const LocalTime& at);

}  // namespace portcullis::core
