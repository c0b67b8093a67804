#include "portcullis/audit/text_format.hpp"

#include <array>
#include <cctype>

#include "portcullis/json/rfc3339.hpp"

namespace portcullis::audit {
namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t y;
  unsigned m, d;
};
Civil civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), m, d};
}

void put_digits(std::string& out, std::int64_t value, int width) {
  char buf[24];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& value) {
  if (pos + n > s.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

bool starts_like_formula(std::string_view cell) noexcept {
  if (cell.empty()) return false;
  switch (cell.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r': return true;
    default: return false;
  }
}

void append_csv_cell(std::string& out, std::string_view cell) {
  const bool neutralize = starts_like_formula(cell);
  // One pass over the cell (the hot loop of a CSV export; find_first_of would call memchr per character).
  bool special = false;
  for (char c : cell) special |= c == ',' || c == '"' || c == '\r' || c == '\n';
  const bool quote = neutralize || special;
  if (!quote) {
    out.append(cell);
    return;
  }
  out += '"';
  if (neutralize) out += '\'';
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_csv_row(std::string& out, const std::vector<std::string_view>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i != 0) out += ',';
    append_csv_cell(out, cells[i]);
  }
  out += "\r\n";
}

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += hex[u >> 4U];
          out += hex[u & 0x0FU];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_rfc3339(std::string& out, std::int64_t micros) {
  std::int64_t seconds = micros / 1'000'000;
  std::int64_t frac = micros % 1'000'000;
  if (frac < 0) {
    frac += 1'000'000;
    --seconds;
  }
  std::int64_t days = seconds / 86400;
  std::int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const Civil c = civil_from_days(days);
  if (c.y < 0 || c.y > 9999) {  // outside RFC 3339: keep the raw number rather than lie
    out += std::to_string(micros);
    return;
  }
  put_digits(out, c.y, 4);
  out += '-';
  put_digits(out, c.m, 2);
  out += '-';
  put_digits(out, c.d, 2);
  out += 'T';
  put_digits(out, rem / 3600, 2);
  out += ':';
  put_digits(out, rem / 60 % 60, 2);
  out += ':';
  put_digits(out, rem % 60, 2);
  out += '.';
  put_digits(out, frac, 6);
  out += 'Z';
}

std::string rfc3339_from_micros(std::int64_t micros) {
  std::string out;
  append_rfc3339(out, micros);
  return out;
}

std::optional<std::int64_t> parse_time(std::string_view s) {
  if (s.size() != 10) {
    // A date-time: the server's one RFC 3339 parser (server/json rfc3339.hpp), in the audit grammar.
    const auto t = json::parse_rfc3339(s, json::kAuditTime);
    if (!t) return std::nullopt;
    return core::to_unix_micros(*t);
  }
  // A date alone: midnight UTC.
  int year = 0, month = 0, day = 0;
  if (!digits(s, 0, 4, year) || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
      !digits(s, 8, 2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  if (civil_from_days(days).d != static_cast<unsigned>(day)) return std::nullopt;  // 2026-02-30
  return days * 86'400'000'000;
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const auto n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i]) << 16U |
                                              static_cast<unsigned char>(bytes[i + 1]) << 8U |
                                              static_cast<unsigned char>(bytes[i + 2]));
    out += kBase64[n >> 18U & 63U];
    out += kBase64[n >> 12U & 63U];
    out += kBase64[n >> 6U & 63U];
    out += kBase64[n & 63U];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest != 0) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i]) << 16U);
    if (rest == 2) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1]) << 8U);
    out += kBase64[n >> 18U & 63U];
    out += kBase64[n >> 12U & 63U];
    out += rest == 2 ? kBase64[n >> 6U & 63U] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + static_cast<std::size_t>(k)];
      if (c == '=' && last && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad != 0) return std::nullopt;  // data after padding
      v[k] = base64_value(c);
      if (v[k] < 0) return std::nullopt;
    }
    const auto n = static_cast<std::uint32_t>(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
    out += static_cast<char>(n >> 16U & 0xFFU);
    if (pad < 2) out += static_cast<char>(n >> 8U & 0xFFU);
    if (pad < 1) out += static_cast<char>(n & 0xFFU);
    // Canonical only: the bits dropped by the padding must be zero.
    if (pad == 1 && (n & 0xFFU) != 0) return std::nullopt;
    if (pad == 2 && (n & 0xFFFFU) != 0) return std::nullopt;
  }
  return out;
}

std::string hex_encode(std::string_view bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    out += hex[u >> 4U];
    out += hex[u & 0x0FU];
  }
  return out;
}

bool decode_copy_row(std::string_view line, std::vector<CopyField>& fields, std::string& storage) {
  fields.clear();
  storage.clear();
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  // Unescaped text is never longer than the line: views into `storage` stay valid while it grows.
  if (storage.capacity() < line.size()) storage.reserve(line.size() * 2);
  std::size_t start = 0;
  for (;;) {
    std::size_t end = line.find('\t', start);
    if (end == std::string_view::npos) end = line.size();
    const std::string_view raw = line.substr(start, end - start);
    if (raw == "\\N") {
      fields.push_back({{}, true});
    } else if (raw.find('\\') == std::string_view::npos) {
      fields.push_back({raw, false});
    } else {
      const std::size_t from = storage.size();
      for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c != '\\') {
          storage += c;
          continue;
        }
        if (++i == raw.size()) return false;
        c = raw[i];
        switch (c) {
          case 'b': storage += '\b'; break;
          case 'f': storage += '\f'; break;
          case 'n': storage += '\n'; break;
          case 'r': storage += '\r'; break;
          case 't': storage += '\t'; break;
          case 'v': storage += '\v'; break;
          case 'x': {
            int value = 0, n = 0;
            while (n < 2 && i + 1 < raw.size() && std::isxdigit(static_cast<unsigned char>(raw[i + 1]))) {
              const char h = raw[++i];
              value = value * 16 + (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
              ++n;
            }
            if (n == 0) return false;
            storage += static_cast<char>(value);
            break;
          }
          default:
            if (c >= '0' && c <= '7') {
              int value = c - '0', n = 1;
              while (n < 3 && i + 1 < raw.size() && raw[i + 1] >= '0' && raw[i + 1] <= '7') {
                value = value * 8 + (raw[++i] - '0');
                ++n;
              }
              storage += static_cast<char>(value & 0xFF);
            } else {
              storage += c;
            }
        }
      }
      fields.push_back({std::string_view{storage}.substr(from), false});
    }
    if (end == line.size()) return true;
    start = end + 1;
  }
}

}  // namespace portcullis::audit
