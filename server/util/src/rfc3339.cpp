#include "portcullis/util/rfc3339.hpp"

#include <cstdint>

namespace portcullis::util {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > s.size()) return false;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
  }
  out = value;
  return true;
}

Error wrong(std::string message) {
  return Error{std::move(message)};
}

void put_digits(std::string& out, std::int64_t value, int width) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  for (int pad = n; pad < width; ++pad) out += '0';
  while (n > 0) out += buf[--n];
}

}  // namespace

Result<UtcMicros> parse_rfc3339(std::string_view s, const Rfc3339Grammar& grammar) {
  if (s.size() > grammar.max_length)
    return wrong("longer than " + std::to_string(grammar.max_length) + " characters");
  if (s.size() < 20) return wrong("too short for YYYY-MM-DDThh:mm:ss and an offset");
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(s, 0, 4, year) || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
      !digits(s, 8, 2, day))
    return wrong("expected a date YYYY-MM-DD");
  const bool separator = s[10] == 'T' || s[10] == 't' || (grammar.space_separator && s[10] == ' ');
  if (!separator)
    return wrong(grammar.space_separator ? "expected 'T' or ' ' after the date"
                                         : "expected 'T' after the date");
  if (!digits(s, 11, 2, hour) || s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' ||
      !digits(s, 17, 2, second))
    return wrong("expected a time hh:mm:ss");
  if (month < 1 || month > 12) return wrong("month " + std::to_string(month) + " is out of range");
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return wrong("day " + std::to_string(day) + " is not in that month");
  if (hour > 23) return wrong("hour " + std::to_string(hour) + " is out of range");
  if (minute > 59) return wrong("minute " + std::to_string(minute) + " is out of range");
  // A leap second (:60) is folded into the next minute's start, as most systems do.
  if (second > 60) return wrong("second " + std::to_string(second) + " is out of range");
  std::size_t pos = 19;
  std::int64_t micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int scale = 0;
    const std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (scale < 6) {
        micros = micros * 10 + (s[pos] - '0');
        ++scale;
      }
      ++pos;
    }
    if (pos == start) return wrong("expected digits after '.'");
    for (; scale < 6; ++scale) micros *= 10;
  }
  if (pos >= s.size()) return wrong("expected an offset: 'Z' or +hh:mm / -hh:mm");
  int offset_minutes = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh = 0, om = 0;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om))
      return wrong("expected an offset +hh:mm or -hh:mm");
    if (oh > 23 || om > 59) return wrong("offset out of range");
    offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return wrong("expected an offset: 'Z' or +hh:mm / -hh:mm");
  }
  if (pos != s.size()) return wrong("unexpected text after the offset");
  const auto local = std::chrono::sys_days{ymd} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
                     std::chrono::seconds{second} + std::chrono::microseconds{micros};
  return std::chrono::time_point_cast<std::chrono::microseconds>(local -
                                                                 std::chrono::minutes{offset_minutes});
}

bool rfc3339_can_write(UtcMicros t) {
  const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
  const int year = static_cast<int>(ymd.year());
  return year >= 0 && year <= 9999;
}

void append_rfc3339(std::string& out, UtcMicros t, SecondFraction fraction) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss<std::chrono::microseconds> tod{t - days};
  const int year = static_cast<int>(ymd.year());
  if (year < 0) out += '-';
  put_digits(out, year < 0 ? -std::int64_t{year} : year, 4);
  out += '-';
  put_digits(out, static_cast<unsigned>(ymd.month()), 2);
  out += '-';
  put_digits(out, static_cast<unsigned>(ymd.day()), 2);
  out += 'T';
  put_digits(out, tod.hours().count(), 2);
  out += ':';
  put_digits(out, tod.minutes().count(), 2);
  out += ':';
  put_digits(out, tod.seconds().count(), 2);
  out += '.';
  if (fraction == SecondFraction::Millis)
    put_digits(out, tod.subseconds().count() / 1000, 3);
  else
    put_digits(out, tod.subseconds().count(), 6);
  out += 'Z';
}

std::string format_rfc3339(UtcMicros t, SecondFraction fraction) {
  std::string out;
  out.reserve(27);
  append_rfc3339(out, t, fraction);
  return out;
}

}  // namespace portcullis::util
