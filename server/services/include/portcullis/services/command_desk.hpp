#pragma once
// Guard commands to doors (momentary unlock, lock, unlock, lock open). Each is judged by the core's door
// command rules (core/policy/remote_command_rules.hpp) on the sequencer thread, with the engine's state at
// the point of the log where it is recorded, when it is requested and again when it is approved: refused (an
// interlock, a lockdown, a lock of a fire egress door; recorded as command.refused), held for a second
// operator's approval bound to a hash of the exact command (server/operators/dual_approval; mantrap doors,
// two-person places, tier 3 and above), or sent. A sent command lives `time_to_live` (60 s by default): past
// it, it is never delivered and is recorded as command.expired. Devices fetch their commands and report the
// result.
// Every step is recorded in history, and answered only once its record is durably stored (503 and no
// change when it could not be); each record carries the command's whole state, so a restart rebuilds the
// desk from the stored "command.*" records (restore). Ids are random (cmd- + 128 bits in hex): they never
// repeat across restarts or instances.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "portcullis/core/time.hpp"
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/json/operator_json.hpp"
#include "portcullis/operators/dual_approval.hpp"

namespace portcullis::services {

struct DoorCommand {
  std::string id;
  json::DoorCommandBody body;
  std::string device;
  std::string status;  // pending_approval | sent | done | failed | voided | refused | expired
  std::string requested_by;
  std::string requester_person;
  std::optional<operators::PendingApproval> approval;
  bool storing = false;           // a step of it waits for its record to be stored: other steps wait (409)
  core::Timestamp sent_at{};      // when it became sent: it expires time_to_live later
  core::Timestamp finished_at{};  // when it reached done, failed, voided, refused or expired
};

// A finished command stays in memory (GET, a late device result answered 409) this long after it ended,
// then only in history.
inline constexpr std::chrono::hours kFinishedCommandMemory{24};

struct DeskAnswer {
  int status = 202;
  std::string field, message;  // on refusal
  std::string body_json;
};

// A stored record read back at start-up (storage::for_each_record_of_family).
struct StoredStep {
  std::int64_t site_seq = 0;
  std::string type;
  std::int64_t received_us = 0;
  std::string payload;
};

// A random id: prefix + 128 bits from OpenSSL's DRBG in hex.
[[nodiscard]] std::string random_id(const std::string& prefix);

class CommandDesk {
 public:
  // Stores a fact; calls fact.done(stored, site_seq) once it is durably stored or could not be.
  using Recorder = std::function<void(ingest::ServerFact)>;
  using Reply = std::function<void(DeskAnswer)>;

  CommandDesk(std::map<std::string, json::PortalInfo> portals, ingest::Sequencer& history,
              const core::Clock& clock, int sensitive_tier = 3);
  CommandDesk(std::map<std::string, json::PortalInfo> portals, Recorder recorder, const core::Clock& clock,
              int sensitive_tier = 3);

  // Each answers through `reply` once the step's record is stored (on the sequencer thread), or at once
  // when refused without a record.
  void request(const json::DoorCommandBody& body, const operators::Principal& who, Reply reply);
  // How long a sent command may wait for its door (PORTCULLIS_COMMAND_TTL_S). Set before serving.
  void set_time_to_live(std::chrono::seconds ttl) { ttl_ = ttl; }
  // Records every sent command past its time to live as expired (the server calls it every few seconds;
  // commands_for_device never hands one out anyway).
  void expire_overdue();
  // A reloaded site (PUT /api/v1/site): the doors, their tiers and devices of the new file.
  void replace_portals(std::map<std::string, json::PortalInfo> portals);
  // The requester amends a command still waiting for approval: the approval bound to the old one is void.
  void edit(const std::string& id, const json::DoorCommandBody& body, const operators::Principal& who,
            Reply reply);
  void approve(const std::string& id, const operators::Principal& who, Reply reply);
  [[nodiscard]] std::string commands_for_device(const std::string& device);
  void device_result(const std::string& device, const std::string& id, const json::CommandResultBody& result,
                     Reply reply);

  // Start-up, before any request: re-applies one stored "command.*" record (in seq order). Returns an
  // empty string when applied, else why it was skipped (records written before commands were replayable).
  std::string restore(const StoredStep& step);
  [[nodiscard]] std::size_t size();

 private:
  // One step of a command: its record's type, the command's state after it, who took it and the answer.
  struct Step {
    std::string type;
    DoorCommand command;
    std::string by;
    DeskAnswer answer;
  };
  // Decides a step on the sequencer thread with the engine's model and state at its point of the log.
  using Judge =
      std::function<void(const core::SiteModel&, const core::EngineState&, core::Timestamp at, Step& step)>;
  // Stores the step (judged first when `judge` is set) as the command's new state and answers its answer;
  // 503 and no change if not stored.
  void store_step(Step step, Judge judge, bool is_new, Reply reply);
  void judge_request(const core::SiteModel& model, const core::EngineState& state, core::Timestamp at,
                     const operators::Principal& who, Step& step) const;
  void judge_approved(const core::SiteModel& model, const core::EngineState& state, core::Timestamp at,
                      Step& step) const;
  // Takes the overdue sent commands of `device` (all devices when empty) out of delivery, with mutex_ held.
  std::vector<Step> take_overdue(const std::string& device, core::Timestamp now);
  static std::string to_json(const DoorCommand& c);
  // Stores a command's state after a step at `at`, then forgets commands finished over a day before; with
  // mutex_ held.
  void keep(DoorCommand c, core::Timestamp at);

  std::map<std::string, json::PortalInfo> portals_;
  Recorder recorder_;
  const core::Clock& clock_;
  int sensitive_tier_;
  std::chrono::seconds ttl_{60};
  std::mutex mutex_;
  std::map<std::string, DoorCommand> commands_;
};

}  // namespace portcullis::services
