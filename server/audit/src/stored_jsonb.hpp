#pragma once
#include <string>

namespace portcullis::audit::detail {

// SQL that reads a stored JSON text column as jsonb. PostgreSQL's jsonb refuses the escape \u0000 (its text
// cannot hold NUL), so one stored record with it would make every report that casts that column fail for
// good: an escaped NUL (not one preceded by an odd number of backslashes, which is literal text) is read
// as U+FFFD instead.
inline std::string stored_jsonb(const std::string& column) {
  return "regexp_replace(" + column + R"SQL(, '(?<!\\)((?:\\\\)*)\\u0000', '\1\\ufffd', 'g')::jsonb)SQL";
}

}  // namespace portcullis::audit::detail
