#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "portcullis/core/time.hpp"

namespace portcullis::json {

// "2026-11-27T10:00:00.123456Z" or with a "+01:00" offset. Fractions beyond microseconds are truncated.
[[nodiscard]] std::optional<core::Timestamp> parse_rfc3339(std::string_view text);
// Always UTC with microseconds: "2026-11-27T10:00:00.123456Z".
[[nodiscard]] std::string format_rfc3339(core::Timestamp t);

}  // namespace portcullis::json
