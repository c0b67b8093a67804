#include "portcullis/util/json_string.hpp"

#include <cstddef>

#include "utf8.hpp"

namespace portcullis::util {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";

// The escape of one ASCII byte that needs one, in `style`.
void put_escape(std::string& out, unsigned char c, JsonStringStyle style) {
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    case '\b':
      if (style == JsonStringStyle::Record) {
        out += "\\b";
        return;
      }
      break;
    case '\f':
      if (style == JsonStringStyle::Record) {
        out += "\\f";
        return;
      }
      break;
    default: break;
  }
  out += "\\u00";
  out += kHexDigits[c >> 4U];
  out += kHexDigits[c & 0x0FU];
}

bool needs_escape(unsigned char c) noexcept {
  return c < 0x20 || c == '"' || c == '\\';
}

void append_escaped(std::string& out, std::string_view text, JsonStringStyle style) {
  // Runs of characters that need no escape (nearly all: ids, EPCs, names) are appended in one piece.
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80 && style == JsonStringStyle::CheckedUtf8) {
      const auto length = detail::utf8_sequence_length(text, i);
      if (length != 0) {
        i += length;
        continue;
      }
      out.append(text.data() + run, i - run);
      out += "\\ufffd";
      run = ++i;
      continue;
    }
    if (!needs_escape(c)) {
      ++i;
      continue;
    }
    out.append(text.data() + run, i - run);
    put_escape(out, c, style);
    run = ++i;
  }
  out.append(text.data() + run, text.size() - run);
}

}  // namespace

void append_json_string(std::string& out, std::string_view text, JsonStringStyle style) {
  out += '"';
  append_escaped(out, text, style);
  out += '"';
}

std::string json_string(std::string_view text, JsonStringStyle style) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_string(out, text, style);
  return out;
}

std::string json_escape(std::string_view text, JsonStringStyle style) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text, style);
  return out;
}

}  // namespace portcullis::util
