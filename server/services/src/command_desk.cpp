#include "portcullis/services/command_desk.hpp"

#include "portcullis/core/policy/remote_command_rules.hpp"

#include "portcullis/http/http_types.hpp"
#include "portcullis/ledger/records/canonical_change.hpp"
#include "portcullis/ledger/records/desk_record.hpp"
#include "portcullis/operators/crypto/digest.hpp"
#include "portcullis/operators/crypto/encoding.hpp"
#include "portcullis/operators/crypto/random.hpp"
#include "portcullis/services/approval_record.hpp"
#include "portcullis/util/random_token.hpp"

namespace portcullis::services {
namespace {
std::string hash_change(std::string_view bytes) {
  return operators::crypto::sha256_hex(bytes);
}
constexpr auto kApprovalValidity = std::chrono::minutes(10);

DeskAnswer not_stored() {
  return {503, "server", "the command's record could not be stored; nothing changed; retry", ""};
}
}  // namespace

std::string random_id(const std::string& prefix) {
  return prefix + util::random_hex(16);
}

CommandDesk::CommandDesk(std::map<std::string, json::PortalInfo> portals, ingest::Sequencer& history,
                         const core::Clock& clock, int sensitive_tier)
    : CommandDesk(
          std::move(portals), [&history](ingest::ServerFact fact) { history.record(std::move(fact)); }, clock,
          sensitive_tier) {}

CommandDesk::CommandDesk(std::map<std::string, json::PortalInfo> portals, Recorder recorder,
                         const core::Clock& clock, int sensitive_tier)
    : portals_(std::move(portals)),
      recorder_(std::move(recorder)),
      clock_(clock),
      sensitive_tier_(sensitive_tier) {}

std::string CommandDesk::to_json(const DoorCommand& c) {
  return "{\"id\":\"" + http::json_escape(c.id) + "\",\"target\":\"" + http::json_escape(c.body.target) +
         "\",\"command\":\"" + c.body.command + "\",\"reason\":\"" + http::json_escape(c.body.reason) +
         "\",\"status\":\"" + c.status + "\",\"requested_by\":\"" + http::json_escape(c.requested_by) + "\"}";
}

namespace {
std::string payload_of(const std::string& by, const DoorCommand& c) {
  json::CommandRecord r;
  r.id = c.id;
  r.target = c.body.target;
  r.command = c.body.command;
  r.reason = c.body.reason;
  r.status = c.status;
  r.requested_by = c.requested_by;
  r.requester_person = c.requester_person;
  r.device = c.device;
  if (c.approval) r.approval = detail::approval_record(*c.approval);
  return json::command_record_json(by, r);
}
}  // namespace

void CommandDesk::store_step(Step step, Judge judge, bool is_new, Reply reply) {
  const auto id = step.command.id;
  step.command.storing = false;
  auto shared = std::make_shared<Step>(std::move(step));
  ingest::ServerFact fact;
  fact.type = shared->type;
  fact.by_operator = true;
  fact.device_id = shared->command.device;
  fact.payload_json = payload_of(shared->by, shared->command);
  if (judge) {
    fact.decide = [shared, judge = std::move(judge)](const core::SiteModel& model,
                                                     const core::EngineState& state, core::Timestamp at,
                                                     ingest::ServerFact& decided) {
      judge(model, state, at, *shared);
      decided.type = shared->type;
      decided.payload_json = payload_of(shared->by, shared->command);
    };
  }
  fact.done = [this, id, shared, is_new, reply](bool stored, std::int64_t) {
    {
      std::lock_guard lock{mutex_};
      if (stored) {
        keep(shared->command, clock_.now());
      } else if (!is_new) {
        if (auto it = commands_.find(id); it != commands_.end()) it->second.storing = false;
      }
    }
    reply(stored ? shared->answer : not_stored());
  };
  recorder_(std::move(fact));  // never under mutex_: a refused fact is answered at once, on this thread
}

void CommandDesk::judge_request(const core::SiteModel& model, const core::EngineState& state,
                                core::Timestamp at, const operators::Principal& who, Step& step) const {
  auto& c = step.command;
  const auto kind = core::parse_door_command_kind(c.body.command).value_or(core::DoorCommandKind::Unlock);
  const auto verdict =
      core::judge_door_command(model, state, core::PortalId{c.body.target}, kind, at, sensitive_tier_);
  c.approval.reset();
  switch (verdict.ruling) {
    case core::CommandRuling::Refused:
      c.status = "refused";
      step.type = "command.refused";
      step.by += " (refused: " + verdict.reason + ")";
      step.answer = {verdict.reason == "unknown_door" ? 404 : 409, "command",
                     verdict.reason + ": " + verdict.detail, ""};
      return;
    case core::CommandRuling::NeedsSecondOperator:
      c.status = "pending_approval";
      c.approval = operators::request_approval(operators::ApprovalId{c.id}, "remote_" + c.body.command, who,
                                               json::canonical_door_command(c.body), hash_change, at,
                                               kApprovalValidity);
      step.type = "command.requested";
      break;
    case core::CommandRuling::Allowed:
      c.status = "sent";
      c.sent_at = at;
      step.type = "command.issued";
      break;
  }
  step.answer = {202, "", "", to_json(c)};
}

void CommandDesk::judge_approved(const core::SiteModel& model, const core::EngineState& state,
                                 core::Timestamp at, Step& step) const {
  auto& c = step.command;
  const auto kind = core::parse_door_command_kind(c.body.command).value_or(core::DoorCommandKind::Unlock);
  const auto verdict =
      core::judge_door_command(model, state, core::PortalId{c.body.target}, kind, at, sensitive_tier_);
  if (verdict.ruling == core::CommandRuling::Refused) {
    // The door's situation changed while the command waited (a fire, a lockdown, the other door opened).
    c.status = "refused";
    step.type = "command.refused";
    step.by += " (refused: " + verdict.reason + ")";
    step.answer = {409, "command", verdict.reason + ": " + verdict.detail, ""};
    return;
  }
  c.sent_at = at;
  step.answer = {200, "", "", to_json(c)};
}

void CommandDesk::replace_portals(std::map<std::string, json::PortalInfo> portals) {
  std::lock_guard lock{mutex_};
  portals_ = std::move(portals);
}

void CommandDesk::request(const json::DoorCommandBody& body, const operators::Principal& who, Reply reply) {
  Step step;
  auto& c = step.command;
  {
    std::lock_guard lock{mutex_};
    auto portal = portals_.find(body.target);
    if (portal == portals_.end()) return reply({404, "target", "no such door", ""});
    if (portal->second.device.empty()) return reply({409, "target", "no device drives this door", ""});
    c.id = random_id("cmd-");
    c.body = body;
    c.device = portal->second.device;
    c.requested_by = who.operator_id.str();
    c.requester_person = who.person.str();
    // What the site file alone says (opening a door into a high tier needs a second operator); the
    // engine's rules decide on the sequencer thread (judge_request) when the desk records through it.
    const bool opens = body.command != "lock";
    if (opens && portal->second.tier >= sensitive_tier_) {
      c.status = "pending_approval";
      c.approval = operators::request_approval(operators::ApprovalId{c.id}, "remote_" + body.command, who,
                                               json::canonical_door_command(body), hash_change, clock_.now(),
                                               kApprovalValidity);
      step.type = "command.requested";
    } else {
      c.status = "sent";
      c.sent_at = clock_.now();
      step.type = "command.issued";
    }
  }
  step.answer = {202, "", "", to_json(c)};
  step.by = c.requested_by;
  Judge judge = [this, who](const core::SiteModel& model, const core::EngineState& state, core::Timestamp at,
                            Step& s) { judge_request(model, state, at, who, s); };
  store_step(std::move(step), std::move(judge), true, std::move(reply));
}

void CommandDesk::edit(const std::string& id, const json::DoorCommandBody& body,
                       const operators::Principal& who, Reply reply) {
  DoorCommand next;
  {
    std::lock_guard lock{mutex_};
    auto it = commands_.find(id);
    if (it == commands_.end()) return reply({404, "id", "no such command", ""});
    auto& c = it->second;
    if (c.requested_by != who.operator_id.str())
      return reply({403, "id", "only the requester may edit a command", ""});
    if (c.storing) return reply({409, "id", "the command is being changed; retry", ""});
    if (c.status != "pending_approval") return reply({409, "id", "command is " + c.status, ""});
    next = c;
    next.body = body;  // the approval keeps the hash of the old command: approving now finds it modified
    c.storing = true;
  }
  DeskAnswer answer{200, "", "", to_json(next)};
  store_step({"command.edited", std::move(next), who.operator_id.str(), std::move(answer)}, nullptr, false,
             std::move(reply));
}

void CommandDesk::approve(const std::string& id, const operators::Principal& who, Reply reply) {
  DoorCommand next;
  std::string type, by = who.operator_id.str();
  DeskAnswer answer;
  Judge judge;
  {
    std::lock_guard lock{mutex_};
    auto it = commands_.find(id);
    if (it == commands_.end() || !it->second.approval) return reply({404, "id", "no such approval", ""});
    auto& c = it->second;
    if (c.storing) return reply({409, "id", "the command is being changed; retry", ""});
    next = c;
    const auto now = clock_.now();
    const auto current = json::canonical_door_command(c.body);
    auto step = operators::approve(*c.approval, who, current, hash_change, now);
    if (!step) {
      const std::string why{operators::to_string(step.result)};
      type = "command.approval_refused";
      by += " (" + why + ")";
      if (step.result == operators::ApprovalCheck::ChangeModified) {
        next.approval = step.approval;
        next.status = "voided";
      }
      const int status = step.result == operators::ApprovalCheck::SelfApproval ||
                                 step.result == operators::ApprovalCheck::RoleNotAllowed ||
                                 step.result == operators::ApprovalCheck::NotAnOperator ||
                                 step.result == operators::ApprovalCheck::NotAPerson
                             ? 403
                             : 409;
      answer = {status, "approval", why, ""};
    } else {
      auto executed = operators::consume_for_execution(step.approval, current, hash_change, now);
      next.approval = executed.approval;
      if (!executed) {
        // Not recorded before either: the approval's new state is kept in memory only, as it always was.
        c.approval = executed.approval;
        return reply({409, "approval", std::string(operators::to_string(executed.result)), ""});
      }
      next.status = "sent";
      next.sent_at = now;
      type = "command.approved";
      answer = {200, "", "", to_json(next)};
      judge = [this](const core::SiteModel& model, const core::EngineState& state, core::Timestamp at,
                     Step& s) { judge_approved(model, state, at, s); };
    }
    c.storing = true;
  }
  store_step({type, std::move(next), by, std::move(answer)}, std::move(judge), false, std::move(reply));
}

std::vector<CommandDesk::Step> CommandDesk::take_overdue(const std::string& device, core::Timestamp now) {
  std::vector<Step> overdue;
  for (auto& [id, c] : commands_) {
    if (c.status != "sent" || c.storing || (!device.empty() && c.device != device)) continue;
    if (now < c.sent_at + ttl_) continue;
    c.storing = true;
    Step step{"command.expired",
              c,
              "server (time to live of " + std::to_string(ttl_.count()) + " s passed)",
              {200, "", "", ""}};
    step.command.status = "expired";
    overdue.push_back(std::move(step));
  }
  return overdue;
}

void CommandDesk::expire_overdue() {
  std::vector<Step> overdue;
  {
    std::lock_guard lock{mutex_};
    overdue = take_overdue({}, clock_.now());
  }
  for (auto& step : overdue) store_step(std::move(step), nullptr, false, [](const DeskAnswer&) {});
}

std::string CommandDesk::commands_for_device(const std::string& device) {
  std::string out = "{\"commands\":[";
  std::vector<Step> overdue;
  {
    std::lock_guard lock{mutex_};
    const auto now = clock_.now();
    overdue = take_overdue(device, now);
    bool first = true;
    for (const auto& [id, c] : commands_) {
      // A command past its time to live is never handed out, whether or not its expiry is stored yet.
      if (c.device != device || c.status != "sent" || now >= c.sent_at + ttl_) continue;
      out += (first ? "" : ",") + to_json(c);
      first = false;
    }
  }
  for (auto& step : overdue) store_step(std::move(step), nullptr, false, [](const DeskAnswer&) {});
  return out + "]}";
}

void CommandDesk::device_result(const std::string& device, const std::string& id,
                                const json::CommandResultBody& result, Reply reply) {
  DoorCommand next;
  {
    std::lock_guard lock{mutex_};
    auto it = commands_.find(id);
    if (it == commands_.end() || it->second.device != device)
      return reply({404, "id", "no such command for this device", ""});
    auto& c = it->second;
    if (c.storing) return reply({409, "id", "the command is being changed; retry", ""});
    if (c.status != "sent") return reply({409, "id", "command is " + c.status, ""});
    next = c;
    next.status = result.status;
    c.storing = true;
  }
  DeskAnswer answer{200, "", "", to_json(next)};
  store_step({"command.result", std::move(next), device + (result.detail.empty() ? "" : ": " + result.detail),
              std::move(answer)},
             nullptr, false, std::move(reply));
}

std::string CommandDesk::restore(const StoredStep& step) {
  auto parsed = json::command_from_record(step.payload);
  if (auto* e = std::get_if<json::FieldError>(&parsed)) return e->field + ": " + e->message;
  auto& r = std::get<json::CommandRecord>(parsed);
  DoorCommand c;
  c.id = r.id;
  c.body = {r.target, r.command, r.reason};
  c.device = r.device;
  c.status = r.status;
  c.requested_by = r.requested_by;
  c.requester_person = r.requester_person;
  // Each record holds the state after its step: a sent one became sent when it was stored.
  if (c.status == "sent") c.sent_at = core::from_unix_micros(step.received_us);
  if (r.approval) {
    c.approval = detail::approval_from(*r.approval, r.id, r.requested_by, r.requester_person);
    if (!c.approval) return "approval: unknown status \"" + r.approval->status + "\"";
  }
  std::lock_guard lock{mutex_};
  keep(std::move(c), core::from_unix_micros(step.received_us));
  return {};
}

namespace {
bool finished(const std::string& status) {
  return status == "done" || status == "failed" || status == "voided" || status == "refused" ||
         status == "expired";
}
}  // namespace

void CommandDesk::keep(DoorCommand c, core::Timestamp at) {
  if (finished(c.status)) c.finished_at = at;
  const auto id = c.id;
  commands_[id] = std::move(c);  // each record holds the whole state after its step: the last one wins
  std::erase_if(commands_, [&](const auto& entry) {
    return finished(entry.second.status) && at - entry.second.finished_at > kFinishedCommandMemory;
  });
}

std::size_t CommandDesk::size() {
  std::lock_guard lock{mutex_};
  return commands_.size();
}

}  // namespace portcullis::services
