#pragma once
#include <string>

namespace portcullis::json {

// A rejected input: which field (a path such as "events[2].card.bits") and why.
struct FieldError {
  std::string field;
  std::string message;
};

}  // namespace portcullis::json
