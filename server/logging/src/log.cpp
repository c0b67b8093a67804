#include "portcullis/logging/log.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <vector>

namespace portcullis::logging {
namespace {

std::atomic<Format>& format_setting() {
  static std::atomic<Format> setting{default_format()};
  return setting;
}

// One write(2) of the whole line: a line up to PIPE_BUF bytes reaches a pipe (journald, a container
// runtime) in one piece whatever other threads write. A short write (a full pipe, a longer line) finishes
// the rest rather than lose it; an error other than EINTR drops the line, since there is nowhere to report.
void write_whole(const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const auto n = ::write(STDERR_FILENO, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace

std::optional<Format> parse_format(std::string_view text) {
  if (text == "json") return Format::Json;
  if (text == "text") return Format::Text;
  return std::nullopt;
}

Format default_format() {
  return ::isatty(STDERR_FILENO) == 1 ? Format::Text : Format::Json;
}

void set_format(Format format) {
  format_setting().store(format, std::memory_order_relaxed);
}

Format current_format() {
  return format_setting().load(std::memory_order_relaxed);
}

void log(Level level, std::string_view component, std::string_view message,
         std::initializer_list<Field> fields) {
  const std::vector<Field> all(fields);
  LogLine line;
  line.at = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
  line.level = level;
  line.component = component;
  line.message = message;
  line.fields = &all;
  write_whole(format_line(line, current_format()));
}

}  // namespace portcullis::logging
