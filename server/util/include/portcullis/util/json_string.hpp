#pragma once
// JSON string literals, the one escaper of the tree. Two byte-exact styles, because each is already stored
// in hashed records and a changed byte would be a new record version:
//
//   Record      what the record codecs write (server/ledger/records, nlohmann's dump() with ensure_ascii
//   off):
//               \" \\ \b \f \n \r \t, every other byte below 0x20 as \u00xx (lowercase), all other bytes as
//               they are, invalid UTF-8 included (the ledger turns a record storable after it is written).
//   CheckedUtf8 what the hand-built security facts and API error bodies write (text straight from a
//               request): the same, except \b and \f as \u0008 and \u000c, and every byte that is not part
//               of well-formed UTF-8 as \ufffd, so the result is valid JSON whatever came in.
//
// Both styles give equal JSON values for valid UTF-8; API answers that do not reach a record may use either.
#include <string>
#include <string_view>

namespace portcullis::util {

enum class JsonStringStyle : bool { Record, CheckedUtf8 };

// Appends `"text"` escaped in `style`.
void append_json_string(std::string& out, std::string_view text,
                        JsonStringStyle style = JsonStringStyle::Record);
// `"text"` escaped in `style`.
[[nodiscard]] std::string json_string(std::string_view text, JsonStringStyle style = JsonStringStyle::Record);
// The escaped characters without the quotes, for callers that splice them into a larger literal.
[[nodiscard]] std::string json_escape(std::string_view text, JsonStringStyle style = JsonStringStyle::Record);

}  // namespace portcullis::util
