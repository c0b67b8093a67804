#include "portcullis/util/query_string.hpp"

#include <algorithm>

#include "portcullis/util/hex.hpp"
#include "utf8.hpp"

namespace portcullis::util {

std::optional<std::string> percent_decode(std::string_view text, PlusSign plus) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_digit_value(text[i + 1]);
      const int low = hex_digit_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (plus == PlusSign::Space && text[i] == '+') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  if (!detail::is_clean_text(out)) return std::nullopt;
  return out;
}

std::string percent_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      append_hex_byte(out, static_cast<std::uint8_t>(c), HexCase::Upper);
    }
  }
  return out;
}

const std::string* QueryParameters::find(std::string_view key) const {
  const auto at = std::find_if(parameters_.begin(), parameters_.end(),
                               [&](const Parameter& p) { return p.first == key; });
  return at == parameters_.end() ? nullptr : &at->second;
}

std::string QueryParameters::value_or_empty(std::string_view key) const {
  const auto* value = find(key);
  return value == nullptr ? std::string{} : *value;
}

Result<QueryParameters, QueryError> parse_query(std::string_view query, const QueryLimits& limits) {
  if (query.size() > limits.max_length)
    return QueryError{"query", "longer than " + std::to_string(limits.max_length) + " characters"};
  std::vector<QueryParameters::Parameter> parameters;
  std::size_t pos = 0;
  while (pos < query.size()) {
    const auto end = std::min(query.find('&', pos), query.size());
    const auto part = query.substr(pos, end - pos);
    pos = end + 1;
    if (part.empty()) continue;
    if (parameters.size() == limits.max_parameters)
      return QueryError{"query", "more than " + std::to_string(limits.max_parameters) + " parameters"};
    const auto eq = part.find('=');
    auto key = percent_decode(part.substr(0, eq));
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1));
    if (!key || !value)
      return QueryError{"query", "malformed percent-encoding, or text that is not valid UTF-8"};
    if (key->empty()) return QueryError{"query", "a parameter without a name"};
    const auto same = [&](const QueryParameters::Parameter& p) { return p.first == *key; };
    if (std::any_of(parameters.begin(), parameters.end(), same))
      return QueryError{*key, "given more than once"};
    parameters.emplace_back(std::move(*key), std::move(*value));
  }
  return QueryParameters{std::move(parameters)};
}

}  // namespace portcullis::util
