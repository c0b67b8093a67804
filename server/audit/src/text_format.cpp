#include "portcullis/audit/text_format.hpp"

#include <array>
#include <cctype>
#include <chrono>

#include "portcullis/util/rfc3339.hpp"

namespace portcullis::audit {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& value) {
  if (pos + n > s.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

util::UtcMicros at_micros(std::int64_t micros) {
  return util::UtcMicros{std::chrono::microseconds{micros}};
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

void append_rfc3339(std::string& out, std::int64_t micros) {
  // Outside years 0000-9999 RFC 3339 has no form: keep the raw number rather than lie.
  if (!util::rfc3339_can_write(at_micros(micros))) {
    out += std::to_string(micros);
    return;
  }
  util::append_rfc3339(out, at_micros(micros));
}

std::string rfc3339_from_micros(std::int64_t micros) {
  std::string out;
  append_rfc3339(out, micros);
  return out;
}

std::optional<std::int64_t> parse_time(std::string_view s) {
  if (s.size() != 10) {
    // A date-time: the tree's one RFC 3339 parser (server/util), in the audit grammar.
    const auto t = util::parse_rfc3339(s, util::kAuditTime);
    if (!t) return std::nullopt;
    return t->time_since_epoch().count();
  }
  // A date alone: midnight UTC.
  int year = 0, month = 0, day = 0;
  if (!digits(s, 0, 4, year) || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
      !digits(s, 8, 2, day)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;  // 2026-02-30
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::sys_days{ymd}.time_since_epoch())
      .count();
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
