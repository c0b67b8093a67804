#pragma once
// Errors as values: a parse or a mapping yields a value or an error, never an exception across an API.
// Reading the alternative that is not there is a programming error (it aborts), so callers test ok() first.
#include <cassert>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace portcullis::util {

// The error of the utilities themselves: what is wrong, for people ("month 13 is out of range").
struct Error {
  std::string message;
  friend bool operator==(const Error&, const Error&) = default;
};

template <class T, class E = Error>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<T, E>, "a value and an error of one type cannot be told apart");

 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(E error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  [[nodiscard]] const T& value() const& {
    if (!ok()) misuse();
    return std::get<0>(v_);
  }
  [[nodiscard]] T& value() & {
    if (!ok()) misuse();
    return std::get<0>(v_);
  }
  [[nodiscard]] T&& value() && {
    if (!ok()) misuse();
    return std::move(std::get<0>(v_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  [[nodiscard]] const E& error() const {
    if (ok()) misuse();
    return std::get<1>(v_);
  }

 private:
  // Stop rather than hand back garbage: this is a bug in the caller, not a runtime condition.
  [[noreturn]] static void misuse() {
    assert(false && "Result accessed without checking ok()");
    std::abort();
  }

  std::variant<T, E> v_;
};

}  // namespace portcullis::util
