#include "portcullis/siem/syslog_message.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace portcullis::siem {
namespace {

// PRINTUSASCII, cut to `limit`; "-" (NILVALUE) when empty.
void append_header_field(std::string& out, std::string_view value, std::size_t limit) {
  if (value.empty()) {
    out += '-';
    return;
  }
  const auto n = std::min(value.size(), limit);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    out += c >= 33 && c <= 126 ? static_cast<char>(c) : '?';
  }
}

// SD-NAME: 1..32 PRINTUSASCII except '=', SP, ']' and '"'. An SD-ID may hold one '@' (name@PEN).
void append_sd_name(std::string& out, std::string_view name) {
  if (name.empty()) {
    out += '_';
    return;
  }
  const auto n = std::min(name.size(), kMaxSdName);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    const bool allowed = c >= 33 && c <= 126 && c != '=' && c != ']' && c != '"';
    out += allowed ? static_cast<char>(c) : '_';
  }
}

// PARAM-VALUE: '"', '\' and ']' escaped with a backslash (RFC 5424 6.3.3). Control characters would end the
// line at many receivers, so they become spaces.
void append_param_value(std::string& out, std::string_view value) {
  for (const char c : value) {
    if (c == '"' || c == '\\' || c == ']') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += ' ';
    } else {
      out += c;
    }
  }
}

// The longest prefix of `text` of at most `limit` bytes that does not end inside a UTF-8 character.
std::string_view utf8_prefix(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text;
  auto end = limit;
  // Step back over continuation bytes (10xxxxxx) to the start of the character that was cut.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

constexpr std::array<std::pair<std::string_view, int>, 24> kFacilities{{
    {"kern", 0},    {"user", 1},      {"mail", 2},     {"daemon", 3},        {"auth", 4},      {"syslog", 5},
    {"lpr", 6},     {"news", 7},      {"uucp", 8},     {"cron", 9},          {"authpriv", 10}, {"ftp", 11},
    {"ntp", 12},    {"security", 13}, {"console", 14}, {"solaris-cron", 15}, {"local0", 16},   {"local1", 17},
    {"local2", 18}, {"local3", 19},   {"local4", 20},  {"local5", 21},       {"local6", 22},   {"local7", 23},
}};

}  // namespace

int parse_facility(std::string_view text) {
  for (const auto& [name, number] : kFacilities) {
    if (text == name) return number;
  }
  int number = -1;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc{} || end != text.data() + text.size() || number < 0 || number > 23) return -1;
  return number;
}

std::string format_rfc5424(const SyslogMessage& message, std::size_t max_bytes) {
  std::string out;
  out.reserve(256 + message.message.size());
  const int facility = message.facility >= 0 && message.facility <= 23 ? message.facility : 1;
  out += '<';
  out += std::to_string(facility * 8 + static_cast<int>(message.severity));
  out += ">1 ";
  if (util::rfc3339_can_write(message.at)) {
    util::append_rfc3339(out, message.at, util::SecondFraction::Micros);
  } else {
    out += '-';
  }
  out += ' ';
  append_header_field(out, message.hostname, kMaxHostname);
  out += ' ';
  append_header_field(out, message.app_name, kMaxAppName);
  out += ' ';
  append_header_field(out, message.procid, kMaxProcId);
  out += ' ';
  append_header_field(out, message.msgid, kMaxMsgId);
  out += ' ';
  if (message.structured_data.empty()) {
    out += '-';
  } else {
    for (const auto& element : message.structured_data) {
      out += '[';
      append_sd_name(out, element.id);
      for (const auto& param : element.params) {
        out += ' ';
        append_sd_name(out, param.name);
        out += "=\"";
        append_param_value(out, param.value);
        out += '"';
      }
      out += ']';
    }
  }
  if (!message.message.empty()) {
    out += " \xEF\xBB\xBF";  // BOM: MSG is UTF-8 (RFC 5424 6.4)
    const auto room = max_bytes > out.size() ? max_bytes - out.size() : 0;
    out += utf8_prefix(message.message, room);
  }
  return out;
}

std::string octet_counted(std::string_view message) {
  std::string out = std::to_string(message.size());
  out += ' ';
  out += message;
  return out;
}

}  // namespace portcullis::siem
