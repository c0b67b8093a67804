#pragma once
// Errors as values for the EPCIS adapter: every parse or mapping either yields a value or a list of
// FieldErrors, each naming the JSON path of the offending field. Nothing in this library throws
// across its API.
#include <cassert>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace portcullis::epcis {

struct FieldError {
  // JSON path of the field, e.g. "epcisBody.eventList[3].action"; "$" is the whole body.
  std::string path;
  // What is wrong, for people: "must be ADD, OBSERVE or DELETE".
  std::string message;

  // "epcisBody.eventList[3].action: must be ADD, OBSERVE or DELETE"
  [[nodiscard]] std::string text() const { return path + ": " + message; }
  friend bool operator==(const FieldError&, const FieldError&) = default;
};

using FieldErrors = std::vector<FieldError>;

// A value or at least one FieldError. Reading the alternative that is not there is a programming
// error (aborts), so callers test ok() first.
template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<T, FieldErrors>);

 public:
  Result(T value) : v_(std::move(value)) {}             // NOLINT(google-explicit-constructor)
  Result(FieldErrors errors) : v_(std::move(errors)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<FieldErrors>(v_).empty());
  }
  Result(FieldError error) : v_(FieldErrors{std::move(error)}) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const noexcept { return std::holds_alternative<T>(v_); }
  explicit operator bool() const noexcept { return ok(); }

  [[nodiscard]] const T& value() const& {
    if (const T* v = std::get_if<T>(&v_)) return *v;
    misuse();
  }
  [[nodiscard]] T& value() & {
    if (T* v = std::get_if<T>(&v_)) return *v;
    misuse();
  }
  [[nodiscard]] T&& value() && {
    if (T* v = std::get_if<T>(&v_)) return std::move(*v);
    misuse();
  }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  // All errors, in document order; the first is the one to show when only one fits.
  [[nodiscard]] const FieldErrors& errors() const {
    if (const FieldErrors* e = std::get_if<FieldErrors>(&v_)) return *e;
    misuse();
  }
  [[nodiscard]] const FieldError& error() const { return errors().front(); }

 private:
  [[noreturn]] static void misuse() {
    assert(false && "Result accessed without checking ok()");
    std::abort();
  }

  std::variant<T, FieldErrors> v_;
};

}  // namespace portcullis::epcis
