#pragma once
// One log line, built whole before it is written: what the server logs (docs/operations.md, "Logs and
// SIEM"). Pure formatting, so its shape is tested without a process.
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "portcullis/util/rfc3339.hpp"

namespace portcullis::logging {

enum class Level { Info, Warning, Error };
// Json: {"ts","level","component","msg",...fields} on one line, for journald, Loki or a SIEM to parse.
// Text: "ts level component: msg key=value ...", for a person at a terminal.
enum class Format { Json, Text };

[[nodiscard]] std::string_view to_string(Level level) noexcept;

// A structured key/value of a line: text, a whole number or a flag (numbers and flags stay JSON numbers
// and booleans, so a log pipeline can compare them).
class Field {
 public:
  enum class Kind { Text, Number, Flag };
  Field(std::string_view key, std::string_view text) : key_(key), value_(text), kind_(Kind::Text) {}
  Field(std::string_view key, const std::string& text) : Field(key, std::string_view{text}) {}
  Field(std::string_view key, const char* text) : Field(key, std::string_view{text}) {}
  Field(std::string_view key, bool flag) : key_(key), value_(flag ? "true" : "false"), kind_(Kind::Flag) {}
  template <typename Integer>
  requires(std::is_integral_v<Integer> && !std::is_same_v<Integer, bool> && !std::is_same_v<Integer, char>)
      Field(std::string_view key, Integer number)
      : key_(key), value_(std::to_string(number)), kind_(Kind::Number) {}

  [[nodiscard]] const std::string& key() const { return key_; }
  [[nodiscard]] const std::string& value() const { return value_; }
  [[nodiscard]] Kind kind() const { return kind_; }

 private:
  std::string key_;
  std::string value_;
  Kind kind_;
};

struct LogLine {
  util::UtcMicros at{};
  Level level = Level::Info;
  std::string_view component;  // "app", "http", "ingest", "services", "api", "audit", "siem"
  std::string_view message;
  const std::vector<Field>* fields = nullptr;
};

// The line with its final '\n'. Strings are escaped as valid JSON whatever bytes came in (exception texts
// may quote a request); a key that repeats ts/level/component/msg is written with a leading '_' so the
// line stays one object with unique keys.
[[nodiscard]] std::string format_line(const LogLine& line, Format format);

}  // namespace portcullis::logging
