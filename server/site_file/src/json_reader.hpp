#pragma once
// Path-aware reading of a nlohmann::json tree: every accessor reports a wrong type, a missing field or an
// unknown field as a Problem named by its JSON path and returns a default, so one pass finds everything.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/core/model/problem.hpp"
#include "portcullis/site_file/site_file.hpp"

namespace portcullis::site_file::detail {

using Json = nlohmann::json;

class Context {
 public:
  Context(core::Problems& problems, const Limits& limits) : problems_(problems), limits_(limits) {}
  void problem(std::string path, std::string message) {
    problems_.push_back({std::move(path), std::move(message)});
  }
  [[nodiscard]] const Limits& limits() const noexcept { return limits_; }

 private:
  core::Problems& problems_;
  const Limits& limits_;
};

// One JSON object being read. Fields not read by the time check_unknown() runs are reported as unknown:
// a typo in a security configuration must not silently fall back to a default.
class ObjectReader {
 public:
  ObjectReader(Context& ctx, const Json& json, std::string path);
  ~ObjectReader();
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  [[nodiscard]] bool valid() const noexcept { return valid_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] bool has(const char* key) const;

  std::string string(const char* key, bool required, std::string fallback = {});
  std::optional<std::string> optional_string(const char* key);  // absent or null -> nullopt
  std::int64_t integer(const char* key, bool required, std::int64_t fallback, std::int64_t min,
                       std::int64_t max);
  bool boolean(const char* key, bool fallback);
  // Calls each(element, element_path) for every element of an array field, within `max` elements.
  void array(const char* key, bool required, std::size_t max,
             const std::function<void(const Json&, const std::string&)>& each);
  std::vector<std::string> strings(const char* key, bool required);
  // For nested objects: returns the child json (or null) and marks the key as read.
  const Json* object(const char* key, bool required);

 private:
  const Json* field(const char* key, bool required);

  Context& ctx_;
  const Json& json_;
  std::string path_;
  bool valid_ = false;
  std::vector<std::string_view> read_;  // field names are string literals of the parser
};

[[nodiscard]] std::string type_name(const Json& j);

}  // namespace portcullis::site_file::detail
