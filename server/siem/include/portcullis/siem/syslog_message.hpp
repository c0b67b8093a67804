#pragma once
// RFC 5424 syslog messages, as a SIEM's receiver (rsyslog, syslog-ng, Splunk, Sentinel's agent) parses them:
//
//   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ID PARAM="VALUE"...] BOM MSG
//
// Every field is made valid rather than refused: header fields keep printable US-ASCII only (others become
// '?') and are cut to the RFC's lengths; SD names keep the characters RFC 5424 allows (others become '_'),
// SD values escape '"', '\' and ']' with a backslash; an empty field is written "-".
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/util/rfc3339.hpp"

namespace portcullis::siem {

// RFC 5424 section 6.2.1 severities.
enum class SyslogSeverity { Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug };

struct SdParam {
  std::string name;
  std::string value;
};
struct SdElement {
  std::string id;  // "portcullis@32473": a private SD-ID (RFC 5424 7.2.2; 32473 is the documentation PEN)
  std::vector<SdParam> params;
};

struct SyslogMessage {
  int facility = 10;  // 0..23; 10 = authpriv (security/authorization messages)
  SyslogSeverity severity = SyslogSeverity::Notice;
  util::UtcMicros at{};
  std::string hostname;
  std::string app_name;
  std::string procid;
  std::string msgid;
  std::vector<SdElement> structured_data;
  std::string message;  // UTF-8 text (here JSON), written after a byte order mark as RFC 5424 6.4 asks
};

// Field lengths of RFC 5424 section 6.
inline constexpr std::size_t kMaxHostname = 255;
inline constexpr std::size_t kMaxAppName = 48;
inline constexpr std::size_t kMaxProcId = 128;
inline constexpr std::size_t kMaxMsgId = 32;
inline constexpr std::size_t kMaxSdName = 32;
// What receivers keep by default (rsyslog's maxMessageSize is 8 KiB): a longer message is cut at a UTF-8
// character boundary of MSG, the header and structured data kept whole. The SIEM events are built to stay
// well under it (security_event.hpp), so a cut is a last resort.
inline constexpr std::size_t kDefaultMaxMessage = 8192;

// A facility by name ("auth", "authpriv", "daemon", "local0".."local7", ...) or number 0..23; -1 if neither.
[[nodiscard]] int parse_facility(std::string_view text);

// The message, without framing.
[[nodiscard]] std::string format_rfc5424(const SyslogMessage& message,
                                         std::size_t max_bytes = kDefaultMaxMessage);
// RFC 6587 3.4.1 octet counting: "LENGTH SP MESSAGE", for syslog over TCP (and RFC 5425 over TLS).
[[nodiscard]] std::string octet_counted(std::string_view message);

}  // namespace portcullis::siem
