#pragma once
// Errors as values for the EPCIS adapter: every parse or mapping either yields a value or a list of
// FieldErrors, each naming the JSON path of the offending field. Nothing in this library throws
// across its API.
#include <cassert>
#include <string>
#include <utility>
#include <vector>

#include "portcullis/util/result.hpp"

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

// A value or at least one FieldError: server/util's Result with a list of errors, constructible from one.
// Reading the alternative that is not there is a programming error (aborts), so callers test ok() first.
template <class T>
class [[nodiscard]] Result : public util::Result<T, FieldErrors> {
  using Base = util::Result<T, FieldErrors>;

 public:
  Result(T value) : Base(std::move(value)) {}             // NOLINT(google-explicit-constructor)
  Result(FieldErrors errors) : Base(std::move(errors)) {  // NOLINT(google-explicit-constructor)
    assert(!this->errors().empty());
  }
  Result(FieldError error) : Base(FieldErrors{std::move(error)}) {}  // NOLINT(google-explicit-constructor)

  // All errors, in document order; the first is the one to show when only one fits.
  [[nodiscard]] const FieldErrors& errors() const { return Base::error(); }
  [[nodiscard]] const FieldError& error() const { return errors().front(); }
};

}  // namespace portcullis::epcis
