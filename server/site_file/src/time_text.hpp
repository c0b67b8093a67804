#pragma once
// Text forms of time in the site file: RFC 3339 instants, ISO dates, "hh:mm", UTC offsets, POSIX DST rules.
#include <chrono>
#include <optional>
#include <string_view>

#include "portcullis/core/calendar/time_zone.hpp"
#include "portcullis/core/time.hpp"

namespace portcullis::site_file::detail {

// "2027-06-30T00:00:00Z" or "2027-06-30T02:00:00+02:00".
[[nodiscard]] std::optional<core::Timestamp> parse_instant(std::string_view text);
// "2026-12-25".
[[nodiscard]] std::optional<std::chrono::year_month_day> parse_date(std::string_view text);
// "08:30" -> 510; "24:00" allowed as an end.
[[nodiscard]] std::optional<int> parse_minute_of_day(std::string_view text);
// "+01:00", "-05:30", "Z".
[[nodiscard]] std::optional<int> parse_offset_minutes(std::string_view text);
// "M3.5.0/02:00" (time defaults to 02:00).
[[nodiscard]] std::optional<core::TransitionRule> parse_transition(std::string_view text);

}  // namespace portcullis::site_file::detail
