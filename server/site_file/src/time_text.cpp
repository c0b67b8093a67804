#include "time_text.hpp"

#include <charconv>

namespace portcullis::site_file::detail {
namespace {

// Reads exactly `digits` decimal digits at `pos`.
std::optional<int> digits_at(std::string_view s, std::size_t pos, std::size_t digits) {
  if (pos + digits > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + digits; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

std::optional<std::chrono::year_month_day> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const auto y = digits_at(s, 0, 4);
  const auto m = digits_at(s, 5, 2);
  const auto d = digits_at(s, 8, 2);
  if (!y || !m || !d) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
                                         std::chrono::day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::optional<int> parse_minute_of_day(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  const auto h = digits_at(s, 0, 2);
  const auto m = digits_at(s, 3, 2);
  if (!h || !m || *m > 59 || *h > 24 || (*h == 24 && *m != 0)) return std::nullopt;
  return *h * 60 + *m;
}

std::optional<int> parse_offset_minutes(std::string_view s) {
  if (s == "Z") return 0;
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  const auto hm = parse_minute_of_day(s.substr(1));
  if (!hm) return std::nullopt;
  return s[0] == '-' ? -*hm : *hm;
}

std::optional<core::Timestamp> parse_instant(std::string_view s) {
  if (s.size() < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':') return std::nullopt;
  const auto date = parse_date(s.substr(0, 10));
  const auto h = digits_at(s, 11, 2);
  const auto mi = digits_at(s, 14, 2);
  const auto sec = digits_at(s, 17, 2);
  const auto offset = parse_offset_minutes(s.substr(19));
  if (!date || !h || !mi || !sec || !offset || *h > 23 || *mi > 59 || *sec > 60) return std::nullopt;
  using namespace std::chrono;
  const auto local = sys_days{*date} + hours{*h} + minutes{*mi} + seconds{*sec};
  return core::Timestamp{duration_cast<core::Duration>((local - minutes{*offset}).time_since_epoch())};
}

std::optional<core::TransitionRule> parse_transition(std::string_view s) {
  // Mm.w.d[/hh:mm]
  if (s.size() < 6 || s[0] != 'M') return std::nullopt;
  const auto dot1 = s.find('.');
  const auto dot2 = s.find('.', dot1 + 1);
  if (dot1 == std::string_view::npos || dot2 == std::string_view::npos) return std::nullopt;
  const auto slash = s.find('/');
  unsigned month = 0;
  unsigned week = 0;
  unsigned weekday = 0;
  auto number = [](std::string_view t, unsigned& out) {
    const auto r = std::from_chars(t.data(), t.data() + t.size(), out);
    return r.ec == std::errc{} && r.ptr == t.data() + t.size();
  };
  const std::string_view day_part =
      s.substr(dot2 + 1, slash == std::string_view::npos ? std::string_view::npos : slash - dot2 - 1);
  if (!number(s.substr(1, dot1 - 1), month) || !number(s.substr(dot1 + 1, dot2 - dot1 - 1), week) ||
      !number(day_part, weekday)) {
    return std::nullopt;
  }
  core::TransitionRule rule{month, week, weekday, 120};
  if (slash != std::string_view::npos) {
    const auto minute = parse_minute_of_day(s.substr(slash + 1));
    if (!minute) return std::nullopt;
    rule.minute_of_day = *minute;
  }
  return rule;
}

}  // namespace portcullis::site_file::detail
