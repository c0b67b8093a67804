#pragma once
// What the SIEM hears of a committed record: its alarms (raised, escalated, acknowledged, resolved), a
// denied access, and the security facts the server and its operators record (sign-ins and their failures,
// refused devices, admin changes and revocations, approvals, door commands, audit requests, tampering).
// Everything else (granted badges, heartbeats, asset moves without an alarm) stays out of the feed.
#include <cstdint>
#include <string>
#include <vector>

#include "portcullis/ingest/ingest_types.hpp"
#include "portcullis/siem/syslog_message.hpp"

namespace portcullis::siem {

struct SecurityEvent {
  std::string name;  // MSGID: "alarm.raised", "access.denied", "operator.login_failed", ...
  SyslogSeverity severity = SyslogSeverity::Notice;
  std::int64_t site_seq = 0;
  std::string alarm_id;  // alarm events only
  std::string json;      // the message body: one JSON object
};

// Text values in the JSON body are cut to this many bytes (at a character boundary), so a message stays
// under the receivers' 8 KiB.
inline constexpr std::size_t kMaxJsonText = 1024;

// The events one committed record gives, in order (its own fact first, then its alarms).
[[nodiscard]] std::vector<SecurityEvent> security_events(const ingest::LiveUpdate& update,
                                                         const std::string& site_id);

// Who sends: the header fields and the structured data every message carries.
struct SyslogIdentity {
  int facility = 10;
  std::string hostname;
  std::string app_name = "portcullisd";
  std::string procid;
  std::string site_id;
};

// The RFC 5424 message of one event: [portcullis@32473 site_id=".." site_seq=".." event=".."
// (alarm_id="..")].
[[nodiscard]] std::string syslog_message_of(const SecurityEvent& event, const SyslogIdentity& identity,
                                            util::UtcMicros at);

}  // namespace portcullis::siem
