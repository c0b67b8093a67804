#pragma once
#include <cstddef>
#include <string_view>

namespace portcullis::json::detail {

// Nesting depth of a JSON text, counted before parsing so a hostile body cannot make the parser
// (or the destructor of the parsed tree) recurse deeply. Brackets inside strings do not count.
inline std::size_t nesting_depth(std::string_view text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '[' || c == '{')
      deepest = ++depth > deepest ? depth : deepest;
    else if ((c == ']' || c == '}') && depth > 0)
      --depth;
  }
  return deepest;
}

}  // namespace portcullis::json::detail
