#pragma once
// The server's one RFC 3339 date-time parser: device event times (POST /api/v1/events, server/json),
// EPCIS eventTime / creationDate (server/epcis) and the audit tools' times (server/audit parse_time).
// Standard library only: it is built as its own small target (portcullis_rfc3339, linking nothing but the
// core's time header) so server/epcis uses it without depending on the JSON mappings of the APIs.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "portcullis/core/time.hpp"

namespace portcullis::json {

// What differs between the callers. Everything else is shared:
//   YYYY-MM-DD 'T' hh:mm:ss [ '.' 1*DIGIT ] ( 'Z' | 'z' | ('+'|'-') hh ':' mm )
// a real calendar date (leap years included), hh 00-23, mm 00-59, ss 00-60 (a leap second is folded into
// the start of the next minute), offset hours 00-23 and minutes 00-59, an offset always required, fractions
// beyond microseconds truncated (never rounded), nothing before or after.
struct Rfc3339Grammar {
  bool space_separator = true;  // "2026-11-27 10:00:00Z" besides 'T' / 't' (RFC 3339 section 5.6 NOTE)
  std::size_t max_length = 40;  // longer text is refused (bounds the fraction's digits)
};
// Device events: 'T', 't' or ' '; at most 40 characters.
inline constexpr Rfc3339Grammar kDeviceEventTime{true, 40};
// EPCIS 2.0 (xsd:dateTime with an offset): 'T' or 't' only; at most 64 characters.
inline constexpr Rfc3339Grammar kEpcisDateTime{false, 64};
// Audit (server/audit parse_time: report filters, signed documents): 'T', 't' or ' '; no length bound.
inline constexpr Rfc3339Grammar kAuditTime{true, static_cast<std::size_t>(-1)};

// "2026-11-27T10:00:00.123456Z" or with a "+01:00" offset: the UTC instant, or nothing.
[[nodiscard]] std::optional<core::Timestamp> parse_rfc3339(std::string_view text,
                                                           const Rfc3339Grammar& grammar = kDeviceEventTime);
// Always UTC with microseconds: "2026-11-27T10:00:00.123456Z".
[[nodiscard]] std::string format_rfc3339(core::Timestamp t);

}  // namespace portcullis::json
