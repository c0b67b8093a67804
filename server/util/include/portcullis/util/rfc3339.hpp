#pragma once
// RFC 3339 date-times, always read into and written from UTC microseconds: device event times, EPCIS
// eventTime / creationDate, the audit tools' filters and signed documents, the gateway's and simulators'
// event times and logs.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "portcullis/util/result.hpp"

namespace portcullis::util {

// The same type as core::Timestamp: microseconds since the Unix epoch, UTC.
using UtcMicros = std::chrono::sys_time<std::chrono::microseconds>;

// What differs between the callers. Everything else is shared:
//   YYYY-MM-DD 'T' hh:mm:ss [ '.' 1*DIGIT ] ( 'Z' | 'z' | ('+'|'-') hh ':' mm )
// a real calendar date (leap years included), hh 00-23, mm 00-59, ss 00-60 (a leap second is folded into
// the start of the next minute), offset hours 00-23 and minutes 00-59, an offset always required, fractions
// beyond microseconds truncated (never rounded), nothing before or after.
struct Rfc3339Grammar {
  bool space_separator = true;  // "2026-11-27 10:00:00Z" besides 'T' / 't' (RFC 3339 section 5.6 NOTE)
  std::size_t max_length = 40;  // longer text is refused (bounds the fraction's digits)
};
// Device events and the gateway's command line: 'T', 't' or ' '; at most 40 characters.
inline constexpr Rfc3339Grammar kDeviceEventTime{true, 40};
// EPCIS 2.0 (xsd:dateTime with an offset): 'T' or 't' only; at most 64 characters.
inline constexpr Rfc3339Grammar kEpcisDateTime{false, 64};
// Audit report filters and signed documents: 'T', 't' or ' '; at most 64 characters.
inline constexpr Rfc3339Grammar kAuditTime{true, 64};

// The UTC instant, or an error saying which part is wrong ("month 13 is out of range").
[[nodiscard]] Result<UtcMicros> parse_rfc3339(std::string_view text,
                                              const Rfc3339Grammar& grammar = kDeviceEventTime);

// Digits after the seconds: the server writes microseconds, the gateway and simulators milliseconds.
enum class SecondFraction { Millis = 3, Micros = 6 };
// Always UTC with a 'Z': "2026-11-27T10:00:00.123456Z". A year outside 0000-9999 (which RFC 3339 cannot
// write) comes out with its sign and all its digits, never wrapped or clamped.
[[nodiscard]] std::string format_rfc3339(UtcMicros t, SecondFraction fraction = SecondFraction::Micros);
void append_rfc3339(std::string& out, UtcMicros t, SecondFraction fraction = SecondFraction::Micros);
// Whether format_rfc3339 gives RFC 3339 for `t` (its year is 0000-9999).
[[nodiscard]] bool rfc3339_can_write(UtcMicros t);

}  // namespace portcullis::util
