#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "portcullis/core/device_event.hpp"

namespace portcullis::ingest {

// The durable answer for one event.
struct EventAnswer {
  enum class Status { Stored, Duplicate };
  Status status = Status::Stored;
  std::string device_id;
  std::int64_t device_seq = 0;
  std::int64_t site_seq = 0;
  std::string outcome_json;  // the decision and alarms, exactly as stored
};

// What a whole submission came to: answers for every event, or why none was stored.
struct SubmissionResult {
  enum class Status { Stored, Rejected, Unavailable };
  Status status = Status::Stored;
  std::vector<EventAnswer> answers;
  std::string error_field;    // Rejected: e.g. "events[3].seq"
  std::string error_message;  // Rejected / Unavailable
};

// One request's events. `done` runs on the sequencer thread after the commit: it must only hand the
// result over (post to the connection's executor), never block.
struct Submission {
  std::vector<core::DeviceEvent> events;
  bool batch = false;
  std::function<void(SubmissionResult)> done;
};

// A fact the server itself records (a refused device, a site load...), chained like device events.
struct ServerFact {
  std::string type;          // "security.device_auth_failed", ...
  std::string device_id;     // the device it concerns, if any
  std::string payload_json;  // canonical JSON
};

}  // namespace portcullis::ingest
