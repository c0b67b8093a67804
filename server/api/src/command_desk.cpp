#include "portcullis/api/command_desk.hpp"

#include "portcullis/http/http_types.hpp"
#include "portcullis/operators/crypto/digest.hpp"

namespace portcullis::api {
namespace {
std::string hash_change(std::string_view bytes) {
  return operators::crypto::sha256_hex(bytes);
}
constexpr auto kApprovalValidity = std::chrono::minutes(10);
}  // namespace

CommandDesk::CommandDesk(std::map<std::string, json::PortalInfo> portals, ingest::Sequencer& history,
                         const core::Clock& clock, int sensitive_tier)
    : portals_(std::move(portals)), history_(history), clock_(clock), sensitive_tier_(sensitive_tier) {}

std::string CommandDesk::to_json(const DoorCommand& c) {
  return "{\"id\":\"" + http::json_escape(c.id) + "\",\"target\":\"" + http::json_escape(c.body.target) +
         "\",\"command\":\"" + c.body.command + "\",\"reason\":\"" + http::json_escape(c.body.reason) +
         "\",\"status\":\"" + c.status + "\",\"requested_by\":\"" + http::json_escape(c.requested_by) + "\"}";
}

void CommandDesk::record(const std::string& type, const DoorCommand& c, const std::string& by) {
  ingest::ServerFact fact;
  fact.type = type;
  fact.by_operator = true;
  fact.device_id = c.device;
  fact.payload_json = "{\"by\":\"" + http::json_escape(by) + "\",\"command\":" + to_json(c) + "}";
  history_.record(std::move(fact));
}

void CommandDesk::replace_portals(std::map<std::string, json::PortalInfo> portals) {
  std::lock_guard lock{mutex_};
  portals_ = std::move(portals);
}

DeskAnswer CommandDesk::request(const json::DoorCommandBody& body, const operators::Principal& who) {
  std::lock_guard lock{mutex_};
  auto portal = portals_.find(body.target);
  if (portal == portals_.end()) return {404, "target", "no such door", ""};
  if (portal->second.device.empty()) return {409, "target", "no device drives this door", ""};
  DoorCommand c;
  c.id = "cmd-" + std::to_string(next_++);
  c.body = body;
  c.device = portal->second.device;
  c.requested_by = who.operator_id.str();
  // Opening a door into a high tier remotely needs a second operator; locking never does.
  const bool opens = body.command != "lock";
  if (opens && portal->second.tier >= sensitive_tier_) {
    c.status = "pending_approval";
    c.approval = operators::request_approval(operators::ApprovalId{c.id}, "remote_" + body.command, who,
                                             json::canonical_door_command(body), hash_change, clock_.now(),
                                             kApprovalValidity);
    record("command.requested", c, c.requested_by);
  } else {
    c.status = "sent";
    record("command.issued", c, c.requested_by);
  }
  auto& stored = commands_[c.id] = std::move(c);
  return {202, "", "", to_json(stored)};
}

DeskAnswer CommandDesk::edit(const std::string& id, const json::DoorCommandBody& body,
                             const operators::Principal& who) {
  std::lock_guard lock{mutex_};
  auto it = commands_.find(id);
  if (it == commands_.end()) return {404, "id", "no such command", ""};
  auto& c = it->second;
  if (c.requested_by != who.operator_id.str())
    return {403, "id", "only the requester may edit a command", ""};
  if (c.status != "pending_approval") return {409, "id", "command is " + c.status, ""};
  c.body = body;  // the approval keeps the hash of the old command: approving now finds it modified
  record("command.edited", c, who.operator_id.str());
  return {200, "", "", to_json(c)};
}

DeskAnswer CommandDesk::approve(const std::string& id, const operators::Principal& who) {
  std::lock_guard lock{mutex_};
  auto it = commands_.find(id);
  if (it == commands_.end() || !it->second.approval) return {404, "id", "no such approval", ""};
  auto& c = it->second;
  const auto now = clock_.now();
  const auto current = json::canonical_door_command(c.body);
  auto step = operators::approve(*c.approval, who, current, hash_change, now);
  if (!step) {
    const std::string why{operators::to_string(step.result)};
    record("command.approval_refused", c, who.operator_id.str() + " (" + why + ")");
    if (step.result == operators::ApprovalCheck::ChangeModified) {
      c.approval = step.approval;
      c.status = "voided";
    }
    const int status = step.result == operators::ApprovalCheck::SelfApproval ||
                               step.result == operators::ApprovalCheck::RoleNotAllowed ||
                               step.result == operators::ApprovalCheck::NotAnOperator
                           ? 403
                           : 409;
    return {status, "approval", why, ""};
  }
  auto executed = operators::consume_for_execution(step.approval, current, hash_change, now);
  c.approval = executed.approval;
  if (!executed) return {409, "approval", std::string(operators::to_string(executed.result)), ""};
  c.status = "sent";
  record("command.approved", c, who.operator_id.str());
  return {200, "", "", to_json(c)};
}

std::string CommandDesk::commands_for_device(const std::string& device) {
  std::lock_guard lock{mutex_};
  std::string out = "{\"commands\":[";
  bool first = true;
  for (const auto& [id, c] : commands_) {
    if (c.device != device || c.status != "sent") continue;
    out += (first ? "" : ",") + to_json(c);
    first = false;
  }
  return out + "]}";
}

DeskAnswer CommandDesk::device_result(const std::string& device, const std::string& id,
                                      const json::CommandResultBody& result) {
  std::lock_guard lock{mutex_};
  auto it = commands_.find(id);
  if (it == commands_.end() || it->second.device != device)
    return {404, "id", "no such command for this device", ""};
  auto& c = it->second;
  if (c.status != "sent") return {409, "id", "command is " + c.status, ""};
  c.status = result.status;
  record("command.result", c, device + (result.detail.empty() ? "" : ": " + result.detail));
  return {200, "", "", to_json(c)};
}

}  // namespace portcullis::api
