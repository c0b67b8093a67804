#pragma once
// Guard commands to doors (momentary unlock, lock, unlock, lock open). Doors into tier 3 and above are
// sensitive: their commands wait for a second operator's approval, bound to a hash of the exact command
// (server/operators/dual_approval). Devices fetch their commands and report the result.
// Pending commands live in memory (they expire within minutes); every step is recorded in history.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "portcullis/core/time.hpp"
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/json/operator_json.hpp"
#include "portcullis/operators/dual_approval.hpp"

namespace portcullis::api {

struct DoorCommand {
  std::string id;
  json::DoorCommandBody body;
  std::string device;
  std::string status;  // pending_approval | sent | done | failed | voided | refused
  std::string requested_by;
  std::optional<operators::PendingApproval> approval;
};

struct DeskAnswer {
  int status = 202;
  std::string field, message;  // on refusal
  std::string body_json;
};

class CommandDesk {
 public:
  CommandDesk(std::map<std::string, json::PortalInfo> portals, ingest::Sequencer& history,
              const core::Clock& clock, int sensitive_tier = 3);

  DeskAnswer request(const json::DoorCommandBody& body, const operators::Principal& who);
  // A reloaded site (PUT /api/v1/site): the doors, their tiers and devices of the new file.
  void replace_portals(std::map<std::string, json::PortalInfo> portals);
  // The requester amends a command still waiting for approval: the approval bound to the old one is void.
  DeskAnswer edit(const std::string& id, const json::DoorCommandBody& body, const operators::Principal& who);
  DeskAnswer approve(const std::string& id, const operators::Principal& who);
  [[nodiscard]] std::string commands_for_device(const std::string& device);
  DeskAnswer device_result(const std::string& device, const std::string& id,
                           const json::CommandResultBody& result);

 private:
  void record(const std::string& type, const DoorCommand& c, const std::string& by);
  static std::string to_json(const DoorCommand& c);

  std::map<std::string, json::PortalInfo> portals_;
  ingest::Sequencer& history_;
  const core::Clock& clock_;
  int sensitive_tier_;
  std::mutex mutex_;
  std::map<std::string, DoorCommand> commands_;
  std::size_t next_ = 1;
};

}  // namespace portcullis::api
