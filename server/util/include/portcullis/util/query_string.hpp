#pragma once
// URL query strings ("a=1&b=two%20words") and %XX decoding. Hostile input gets a clear error naming the
// parameter, never a crash or a silent guess: malformed escapes, text that is not UTF-8 or holds control
// characters, empty or repeated keys, too many parameters or too long a query.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "portcullis/util/result.hpp"

namespace portcullis::util {

// The text after %XX decoding ('+' as a space when asked: HTML forms), or nothing when an escape is
// malformed or the decoded text is not clean (invalid UTF-8, NUL or another control character).
enum class PlusSign : bool { Literal, Space };
[[nodiscard]] std::optional<std::string> percent_decode(std::string_view text,
                                                        PlusSign plus = PlusSign::Literal);

// Every byte but the RFC 3986 unreserved characters (ALPHA DIGIT - . _ ~) as %XX, uppercase: a value safe
// in any part of a URI (otpauth labels, Location headers).
[[nodiscard]] std::string percent_encode(std::string_view text);

struct QueryLimits {
  std::size_t max_length = 8192;    // characters of the raw query
  std::size_t max_parameters = 64;  // key=value pairs
};

struct QueryError {
  std::string field;    // the decoded key, or "query" when the problem is not one parameter's
  std::string message;  // "given more than once"
  friend bool operator==(const QueryError&, const QueryError&) = default;
};

// Decoded parameters in the order given; each key at most once. "a" and "a=" both give "a" an empty value;
// empty parts ("a=1&&b=2", a trailing '&') are skipped.
class QueryParameters {
 public:
  using Parameter = std::pair<std::string, std::string>;
  explicit QueryParameters(std::vector<Parameter> parameters) : parameters_(std::move(parameters)) {}

  [[nodiscard]] const std::string* find(std::string_view key) const;
  // The value of `key`, or an empty text when it is absent.
  [[nodiscard]] std::string value_or_empty(std::string_view key) const;
  [[nodiscard]] const std::vector<Parameter>& all() const noexcept { return parameters_; }

 private:
  std::vector<Parameter> parameters_;
};

[[nodiscard]] Result<QueryParameters, QueryError> parse_query(std::string_view query,
                                                              const QueryLimits& limits = {});

}  // namespace portcullis::util
