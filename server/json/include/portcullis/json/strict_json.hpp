#pragma once
// The one parser of JSON from outside (request bodies, EPCIS documents, stream messages): nlohmann's
// parser driven through a SAX handler that builds the tree and refuses what the default parser lets
// through or throws on. A duplicate key is refused (the default silently keeps the last value), a number
// outside the range of a double is refused (the default throws out_of_range, which no request parser
// caught), nesting is bounded while parsing: nlohmann's SAX parser keeps its own stack on the heap and the
// handler refuses the level past the limit before building it, so a bracket bomb neither recurses nor
// allocates a deep tree, and no separate scan of the text is needed first. Every refusal names the field
// ("events[2].seq"); nesting names "$", the whole document. Nothing here throws.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>
#include <variant>

#include "portcullis/ledger/records/field_error.hpp"

namespace portcullis::json {

// The parsed document, or the first problem. `max_depth` counts objects and arrays ({"a":[1]} is 2).
[[nodiscard]] std::variant<nlohmann::json, FieldError> parse_strict(std::string_view text,
                                                                    std::size_t max_depth);

// parse_strict for request bodies that must be one JSON object; an empty body is an empty object when
// `empty_is_object`.
[[nodiscard]] std::variant<nlohmann::json, FieldError> parse_strict_object(std::string_view text,
                                                                           std::size_t max_depth,
                                                                           bool empty_is_object = false);

}  // namespace portcullis::json
