#pragma once
// The server's logger: lines on stderr, each built whole and written with one write(2), so lines of
// concurrent threads never interleave and no thread waits for another (no lock is held while writing).
//
//   logging::warn("ingest", "storing a batch failed", {{"error", e.what()}});
//
// The format is process-wide: set once at start-up from the log_format setting (docs/operations.md).
#include <initializer_list>
#include <optional>
#include <string_view>

#include "portcullis/logging/log_line.hpp"

namespace portcullis::logging {

// "json" or "text"; anything else is nullopt.
[[nodiscard]] std::optional<Format> parse_format(std::string_view text);
// Without a setting: text when stderr is a terminal (a person reads it), JSON otherwise (systemd's journal,
// a container runtime, a file: a machine reads it).
[[nodiscard]] Format default_format();
void set_format(Format format);
[[nodiscard]] Format current_format();

void log(Level level, std::string_view component, std::string_view message,
         std::initializer_list<Field> fields = {});
inline void info(std::string_view component, std::string_view message,
                 std::initializer_list<Field> fields = {}) {
  log(Level::Info, component, message, fields);
}
inline void warn(std::string_view component, std::string_view message,
                 std::initializer_list<Field> fields = {}) {
  log(Level::Warning, component, message, fields);
}
inline void error(std::string_view component, std::string_view message,
                  std::initializer_list<Field> fields = {}) {
  log(Level::Error, component, message, fields);
}

}  // namespace portcullis::logging
