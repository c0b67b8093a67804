#include "portcullis/logging/log_line.hpp"

#include "portcullis/util/json_string.hpp"

namespace portcullis::logging {
namespace {

bool reserved_key(std::string_view key) {
  return key == "ts" || key == "level" || key == "component" || key == "msg";
}

// Text values are quoted only when they need it (spaces, quotes, '=' or control bytes), as logfmt does.
void append_text_value(std::string& out, std::string_view value) {
  const bool plain = !value.empty() && value.find_first_of(" \"=\\\t\r\n") == std::string_view::npos;
  if (plain) {
    out += value;
  } else {
    util::append_json_string(out, value, util::JsonStringStyle::CheckedUtf8);
  }
}

void append_json(std::string& out, const LogLine& line) {
  out += "{\"ts\":\"";
  util::append_rfc3339(out, line.at, util::SecondFraction::Micros);
  out += "\",\"level\":\"";
  out += to_string(line.level);
  out += "\",\"component\":";
  util::append_json_string(out, line.component, util::JsonStringStyle::CheckedUtf8);
  out += ",\"msg\":";
  util::append_json_string(out, line.message, util::JsonStringStyle::CheckedUtf8);
  if (line.fields != nullptr) {
    for (const auto& field : *line.fields) {
      out += ',';
      util::append_json_string(out, reserved_key(field.key()) ? "_" + field.key() : field.key(),
                               util::JsonStringStyle::CheckedUtf8);
      out += ':';
      if (field.kind() == Field::Kind::Text) {
        util::append_json_string(out, field.value(), util::JsonStringStyle::CheckedUtf8);
      } else {
        out += field.value();
      }
    }
  }
  out += "}\n";
}

void append_text(std::string& out, const LogLine& line) {
  util::append_rfc3339(out, line.at, util::SecondFraction::Micros);
  out += ' ';
  out += to_string(line.level);
  out += ' ';
  out += line.component;
  out += ": ";
  // A message never spans lines: one event, one line, even on a terminal.
  for (const char c : line.message) out += c == '\n' || c == '\r' ? ' ' : c;
  if (line.fields != nullptr) {
    for (const auto& field : *line.fields) {
      out += ' ';
      out += field.key();
      out += '=';
      append_text_value(out, field.value());
    }
  }
  out += '\n';
}

}  // namespace

std::string_view to_string(Level level) noexcept {
  switch (level) {
    case Level::Info: return "info";
    case Level::Warning: return "warning";
    case Level::Error: return "error";
  }
  return "info";
}

std::string format_line(const LogLine& line, Format format) {
  std::string out;
  out.reserve(160 + line.message.size());
  if (format == Format::Json) {
    append_json(out, line);
  } else {
    append_text(out, line);
  }
  return out;
}

}  // namespace portcullis::logging
