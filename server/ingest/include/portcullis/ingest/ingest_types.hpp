#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "portcullis/core/alarms/alarm_book.hpp"
#include "portcullis/core/assets/asset_book.hpp"
#include "portcullis/core/device_event.hpp"
#include "portcullis/core/live/facility_view.hpp"
#include "portcullis/core/live/live_facts.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/core/policy/engine_state.hpp"
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

// What a batch of RFID reads came to. Reads are idempotent by nature (a repeated read changes no
// location), so they carry no sequence numbers; only changes of location are stored.
struct RfidResult {
  bool stored = true;  // false: the event store is unavailable, retry
  std::size_t reads = 0;
  std::size_t movements = 0;  // stored changes of location and presence confirmations
  std::size_t duplicates = 0;
  std::size_t unknown = 0;  // unknown EPC or reader: counted only
  std::string error_message;
};

// One request's RFID reads. `done` runs on the sequencer thread after the commit (hand over, never block).
struct RfidSubmission {
  std::vector<core::RfidObservation> reads;
  std::function<void(RfidResult)> done;
};

// One EPCIS event after the adapter mapped it: RFID observations, or asset actions taken in the
// capturing device's name (commissioning registers, destroying records a destruction), or nothing.
struct CapturedEvent {
  std::string event_id;          // the EPCIS eventID: idempotency key
  std::string canonical_sha256;  // of what the event means: same id + other content = conflict
  std::string path;              // "epcisBody.eventList[3]" or "$", for answers
  std::string effect;            // "observe", "register", "destroy", "not_applied"
  std::string not_applied_reason;
  std::vector<core::RfidObservation> observations;
  std::vector<core::AssetAction> actions;
  // Parallel to `actions`: the EPC a destruction names when the adapter could not know the asset id (the
  // sequencer resolves it through the asset book; an unknown EPC refuses the event).
  std::vector<std::string> action_epcs;
};
struct CapturedAnswer {
  std::string event_id;
  std::string path;
  std::string result_json;  // {"eventID","status":"applied|not_applied|refused","effect",...}: stored, and
                            // returned again unchanged for a retry of the same event
  bool duplicate = false;
};
struct EpcisResult {
  enum class Status { Stored, Conflict, Unavailable };
  Status status = Status::Stored;
  std::vector<CapturedAnswer> answers;
  std::string error_field;  // Conflict: "epcisBody.eventList[2].eventID"
  std::string error_message;
};
// A capture (document or single event) from an authenticated device; all events are checked for eventID
// conflicts before any is applied. `done` runs on the sequencer thread after the commit.
struct EpcisSubmission {
  core::DeviceId device;
  std::vector<CapturedEvent> events;
  std::function<void(EpcisResult)> done;
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
  // Optional: decides the fact on the sequencer thread right before it is sealed, with the engine's model
  // and state at that very point of the log (a door command is judged in order with every device event and
  // operator action). It may rewrite `type` and `payload_json`. Keep it short; never block.
  std::function<void(const core::SiteModel&, const core::EngineState&, core::Timestamp at, ServerFact&)>
      decide;
};

// The answer to an operator command.
struct CommandResult {
  // HTTP-like: 200 done, 404 unknown target, 409 not in a state for it, 428 held: the change widens access to
  // a sensitive place and needs a second approver (detail_json: the reasons, a JSON array of strings), 503
  int status = 200;
  std::string field;      // when refused
  std::string message;    // when refused
  std::string body_json;  // when done: the changed object
  // Admin edits and site loads: when refused, every problem [{path, message}]; when done, the record.
  std::string detail_json;
};

// An operator's change, decided in order with device events and durably recorded before it is answered.
struct OperatorCommand {
  enum class Kind { AcknowledgeAlarm, ResolveAlarm, PolicyAction, LoadSite, AssetAction, AssetQuery };
  Kind kind = Kind::AcknowledgeAlarm;
  std::string operator_id;
  std::optional<core::OperatorAction> action;     // PolicyAction: revocations, JIT grants, lockdown...
  std::optional<core::AssetAction> asset_action;  // AssetAction: registry, lifecycle, seals, move orders
  // AssetQuery: runs on the sequencer thread (the asset book's only thread) and records nothing; its
  // result is the answer's body_json, or empty for 404.
  std::function<std::string(const core::AssetBook&, core::Timestamp)> asset_query;
  core::Actor actor;
  std::string target;  // the alarm id
  std::string comment;
  std::function<void(CommandResult)> done;  // on the sequencer thread: hand over, never block
  // LoadSite: a parsed and validated site file, its text (stored in site_versions) and SHA-256 (hex). The
  // sequencer lays the admin edits over it, swaps the model at this point of the log and records site.loaded.
  std::shared_ptr<const core::SiteDefinition> site;
  std::string site_text;
  std::string site_hash;
  // PolicyAction and LoadSite: a second operator approved this exact change (server/operators
  // dual_approval, recorded as change.approved). Without it, a change that widens access to a sensitive
  // place (core/policy/access_widening.hpp) is not applied: answered 428, nothing recorded.
  bool second_approver = false;
};

// What one stored record changed, for live views (the stream). Given in chain order, after the commit;
// during the start-up replay with live = false.
struct LiveUpdate {
  std::int64_t site_seq = 0;
  core::Timestamp at{};
  std::string type;
  std::string device_id;
  // The stored payload of a record the server or an operator wrote (sign-ins, refused devices, admin
  // changes...), as stored; empty for device events (their content is `event`) and on replay. The SIEM feed
  // forwards it (docs/operations.md, "Logs and SIEM").
  std::string payload_json;
  std::optional<core::DeviceEvent> event;
  std::optional<core::Outcome> outcome;
  std::vector<core::AlarmRecord> alarms;  // alarms raised, folded or changed by this record
  // Set when this record changed the site model (site.loaded, an admin edit): live views switch to it.
  std::shared_ptr<const core::SiteModel> model;
  std::vector<core::AssetState> assets;  // assets this record changed (their state after it)
  std::vector<core::SealState> seals;    // seals this record changed
  // The engine's doors and zones after this record and the ones committed with it (set on the last update of
  // a batch, and on the last update of a start-up replay): live views show these, not their own guesses.
  std::shared_ptr<const core::LiveFacts> facts;
  // Set once, before the tail, when a start-up restores an engine snapshot: the doors' view as the records
  // before it left them (live views take it whole, then follow the tail's updates).
  std::shared_ptr<const core::FacilityView> view;
};

class LiveObserver {
 public:
  virtual ~LiveObserver() = default;
  virtual void on_update(const LiveUpdate& update, bool live) = 0;
  // Called before a (re)build replays history: drop everything derived so far.
  virtual void on_reset() = 0;
};

}  // namespace portcullis::ingest
