#include "time_text.hpp"

namespace portcullis::epcis::detail {
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

}  // namespace

bool valid_time_zone_offset(std::string_view s) {
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':') return false;
  int h = 0, m = 0;
  if (!digits(s, 1, 2, h) || !digits(s, 4, 2, m)) return false;
  if (h == 14) return m == 0;
  return h <= 13 && m <= 59;
}

}  // namespace portcullis::epcis::detail
