#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "portcullis/core/alarms/alarm_book.hpp"
#include "portcullis/core/device_event.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/core/policy/operator_action.hpp"

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
  bool by_operator = false;  // an operator's action (source "operator") rather than the server's own fact
  // Optional: called once the fact is durably stored (true, with its site_seq) or could not be (false:
  // the queue was full or the commit failed). Runs on the sequencer thread: keep it short.
  std::function<void(bool stored, std::int64_t site_seq)> done;
};

// The answer to an operator command.
struct CommandResult {
  int status = 200;       // HTTP-like: 200 done, 404 unknown target, 409 not in a state for it, 503
  std::string field;      // when refused
  std::string message;    // when refused
  std::string body_json;  // when done: the changed object
  // Admin edits and site loads: when refused, every problem [{path, message}]; when done, the record.
  std::string detail_json;
};

// An operator's change, decided in order with device events and durably recorded before it is answered.
struct OperatorCommand {
  enum class Kind { AcknowledgeAlarm, ResolveAlarm, PolicyAction, LoadSite };
  Kind kind = Kind::AcknowledgeAlarm;
  std::string operator_id;
  std::optional<core::OperatorAction> action;  // PolicyAction: revocations, JIT grants, lockdown...
  core::Actor actor;
  std::string target;  // the alarm id
  std::string comment;
  std::function<void(CommandResult)> done;  // on the sequencer thread: hand over, never block
  // LoadSite: a parsed and validated site file, its text (stored in site_versions) and SHA-256 (hex). The
  // sequencer lays the admin edits over it, swaps the model at this point of the log and records site.loaded.
  std::shared_ptr<const core::SiteDefinition> site;
  std::string site_text;
  std::string site_hash;
};

// What one stored record changed, for live views (the stream). Given in chain order, after the commit;
// during the start-up replay with live = false.
struct LiveUpdate {
  std::int64_t site_seq = 0;
  core::Timestamp at{};
  std::string type;
  std::string device_id;
  std::optional<core::DeviceEvent> event;
  std::optional<core::Outcome> outcome;
  std::vector<core::AlarmRecord> alarms;  // alarms raised, folded or changed by this record
  // Set when this record changed the site model (site.loaded, an admin edit): live views switch to it.
  std::shared_ptr<const core::SiteModel> model;
};

class LiveObserver {
 public:
  virtual ~LiveObserver() = default;
  virtual void on_update(const LiveUpdate& update, bool live) = 0;
  // Called before a (re)build replays history: drop everything derived so far.
  virtual void on_reset() = 0;
};

}  // namespace portcullis::ingest
