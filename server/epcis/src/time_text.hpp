#pragma once
// RFC 3339 / xsd:dateTime with an explicit offset, as EPCIS 2.0 requires for eventTime and
// creationDate, and the eventTimeZoneOffset pattern.
#include <optional>
#include <string_view>

#include "portcullis/core/time.hpp"
#include "portcullis/util/rfc3339.hpp"

namespace portcullis::epcis::detail {

// "2026-11-27T10:00:00Z", "2026-11-27T11:00:00.123+01:00": the UTC instant, or nullopt. An offset
// (Z or +hh:mm / -hh:mm) is required; fractions beyond microseconds are truncated. The server's one
// RFC 3339 parser (server/util) with the EPCIS grammar: 'T' only, up to 64 characters.
[[nodiscard]] inline std::optional<core::Timestamp> parse_date_time(std::string_view text) {
  auto t = util::parse_rfc3339(text, util::kEpcisDateTime);
  if (!t) return std::nullopt;
  return *t;
}

// "+01:00", "-06:00", "+14:00": the EPCIS pattern ^[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00)$
[[nodiscard]] bool valid_time_zone_offset(std::string_view text);

}  // namespace portcullis::epcis::detail
