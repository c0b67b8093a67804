#pragma once
// One thing wrong with a site definition, named by the JSON path of the offending value.
#include <string>
#include <vector>

namespace portcullis::core {

struct Problem {
  std::string json_path;  // "$.zones[3].parent"
  std::string message;    // "unknown zone \"hall-9\""
  friend bool operator==(const Problem&, const Problem&) = default;
};

using Problems = std::vector<Problem>;

}  // namespace portcullis::core
