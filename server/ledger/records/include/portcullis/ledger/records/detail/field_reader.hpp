#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// The stored readers (device payloads, asset actions) and the API request parsers share it: what it
// accepts is what a replay accepts.
// Reads typed fields out of a JSON object and remembers the first problem with its full path,
// so every parser reports "events[2].card.bits: expected a string of 0 and 1" rather than "bad request".
#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>

#include "portcullis/core/text/identifier.hpp"
#include "portcullis/ledger/records/field_error.hpp"

namespace portcullis::json::detail {

class FieldReader {
 public:
  FieldReader(const nlohmann::json& object, std::string path) : object_(object), path_(std::move(path)) {}

  [[nodiscard]] bool ok() const { return !error_; }
  [[nodiscard]] const std::optional<FieldError>& error() const { return error_; }
  void fail(const std::string& field, std::string message) {
    if (!error_) error_ = FieldError{path_of(field), std::move(message)};
  }
  // Takes over the first error of a nested reader (its path is already complete).
  void adopt(const FieldError& inner) {
    if (!error_) error_ = inner;
  }
  [[nodiscard]] std::string path_of(const std::string& field) const {
    return path_.empty() ? field : path_ + "." + field;
  }
  [[nodiscard]] bool has(const std::string& field) const { return object_.contains(field); }

  // Identifiers: 1..64 characters of [A-Za-z0-9._:-].
  std::string id(const std::string& field) {
    auto s = string(field, 64);
    if (ok() && !valid_id(s))
      fail(field, "expected an identifier of " + std::string(core::text::kIdentifierGrammar));
    return s;
  }

  std::string string(const std::string& field, std::size_t max_length) {
    seen_.insert(field);
    const auto* v = find(field);
    if (v == nullptr) return {};
    if (!v->is_string()) {
      fail(field, "expected a string");
      return {};
    }
    const auto& s = v->get_ref<const std::string&>();
    if (s.empty() || s.size() > max_length) {
      fail(field, "expected 1 to " + std::to_string(max_length) + " characters");
      return {};
    }
    // PostgreSQL's jsonb refuses \u0000: one stored NUL would break every report that casts the record.
    if (s.find('\0') != std::string::npos) {
      fail(field, "must not contain a NUL character (\\u0000)");
      return {};
    }
    return s;
  }

  std::int64_t integer(const std::string& field, std::int64_t min, std::int64_t max) {
    seen_.insert(field);
    const auto* v = find(field);
    if (v == nullptr) return 0;
    if (!v->is_number_integer()) {
      fail(field, "expected an integer");
      return 0;
    }
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
      fail(field, "must be at most " + std::to_string(max));
      return 0;
    }
    const auto value = v->get<std::int64_t>();
    if (value < min || value > max) {
      fail(field, "must be between " + std::to_string(min) + " and " + std::to_string(max));
      return 0;
    }
    return value;
  }

  bool boolean(const std::string& field) {
    seen_.insert(field);
    const auto* v = find(field);
    if (v == nullptr) return false;
    if (!v->is_boolean()) {
      fail(field, "expected true or false");
      return false;
    }
    return v->get<bool>();
  }

  const nlohmann::json* object(const std::string& field) {
    seen_.insert(field);
    const auto* v = find(field);
    if (v != nullptr && !v->is_object()) {
      fail(field, "expected an object");
      return nullptr;
    }
    return v;
  }

  // Optional fields are read only when present.
  bool optional(const std::string& field) {
    seen_.insert(field);
    return object_.contains(field);
  }

  // Rejects fields nobody asked for: a typo in a field name is an error, not a silent default.
  void reject_unknown_fields() {
    if (!ok()) return;
    for (const auto& [key, value] : object_.items()) {
      if (!seen_.count(key)) {
        fail(key, "unknown field");
        return;
      }
    }
  }

  static bool valid_id(const std::string& s) { return core::text::is_valid_identifier(s); }

 private:
  const nlohmann::json* find(const std::string& field) {
    auto it = object_.find(field);
    if (it == object_.end()) {
      fail(field, "is required");
      return nullptr;
    }
    return &*it;
  }

  const nlohmann::json& object_;
  std::string path_;
  std::optional<FieldError> error_;
  std::set<std::string> seen_;
};

}  // namespace portcullis::json::detail
