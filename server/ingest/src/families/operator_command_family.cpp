// Operators' policy actions (revocations, grants, lockdowns, admin edits) decided by the engine in order
// with device events, and their acknowledgements and resolutions of alarms.
#include "families/command_result.hpp"
#include "families/record_family.hpp"
#include "portcullis/ingest/record_types.hpp"
#include "portcullis/json/alarm_json.hpp"
#include "portcullis/ledger/records/alarm_record.hpp"
#include "portcullis/ledger/records/device_event_record.hpp"
#include "portcullis/ledger/records/operator_action_record.hpp"

namespace portcullis::ingest {
namespace {

// Admin edits answer with the engine's report: what was refused and why (by field), or before/after.
CommandResult admin_edit_result(const core::Engine& engine, const core::Outcome& outcome,
                                const ledger::EventRecord& record) {
  CommandResult result;
  const auto& report = engine.last_admin_report();
  using Refusal = core::AdminReport::Refusal;
  if (report.refusal != Refusal::None) {
    result.status = report.refusal == Refusal::NotFound   ? 404
                    : report.refusal == Refusal::Conflict ? 409
                                                          : 422;
    result.field = report.problems.empty() ? "action" : report.problems.front().json_path;
    result.message = report.problems.empty() ? std::string(core::to_string(outcome.decision->reason))
                                             : report.problems.front().message;
    result.detail_json = json::problems_json(report.problems);
  } else {
    result.body_json = record.outcome;
    result.detail_json = record.payload;
  }
  return result;
}

CommandResult policy_result(const core::Outcome& outcome, const ledger::EventRecord& record) {
  CommandResult result;
  if (outcome.decision && outcome.decision->verdict == core::Verdict::Deny) {
    result.status = 409;
    result.field = "action";
    result.message = std::string(core::to_string(outcome.decision->reason));
  } else {
    result.body_json = record.outcome;
  }
  return result;
}

// Applied and refused actions alike are recorded: a refused self-approval is audit evidence too.
void apply_policy_action(OperatorCommand& command, WriteContext& ctx) {
  const auto at = ctx.batch.at;
  if (!command.second_approver) {
    // Decided here, at the change's point of the log, so nothing can slip in between check and apply.
    if (auto held = core::widening_of(*ctx.engine, *command.action, at, command.actor); held.widens()) {
      ctx.batch.commands.emplace_back(&command, needs_second_approver(held));
      return;
    }
  }
  const auto model_before = ctx.engine->shared_model();
  const auto outcome = ctx.engine->apply(*command.action, at, command.actor);
  ctx.sync_asset_model(at);
  const bool admin_edit = std::holds_alternative<core::AdminChange>(*command.action);
  ledger::EventRecord record;
  record.source = ledger::Source::Operator;
  record.type = std::string("policy.") + core::type_name(*command.action);
  record.payload = admin_edit ? json::stored_admin_action_json(*command.action, command.actor,
                                                               ctx.engine->last_admin_report())
                              : json::stored_action_json(*command.action, command.actor);
  record.outcome = json::outcome_json(outcome);
  auto& update = ctx.seal(std::move(record));
  if (ctx.engine->shared_model() != model_before) {
    update.model = ctx.engine->shared_model();
    ctx.batch.site_changed = true;
  }
  ctx.raise_alarms(outcome.alarms, at, update.site_seq, update);
  const auto& sealed = ctx.last_record();
  ctx.batch.commands.emplace_back(&command, admin_edit ? admin_edit_result(*ctx.engine, outcome, sealed)
                                                       : policy_result(outcome, sealed));
}

void change_alarm(OperatorCommand& command, WriteContext& ctx) {
  const bool acknowledge = command.kind == OperatorCommand::Kind::AcknowledgeAlarm;
  const auto check = acknowledge ? ctx.alarms.can_acknowledge(command.target, command.comment)
                                 : ctx.alarms.can_resolve(command.target, command.comment);
  CommandResult result;
  if (check != core::AlarmChange::Done) {
    result.status = check == core::AlarmChange::UnknownAlarm      ? 404
                    : check == core::AlarmChange::CommentRequired ? 400
                                                                  : 409;
    result.field = check == core::AlarmChange::CommentRequired ? "comment" : "alarm";
    result.message = std::string(core::to_string(check));
    ctx.batch.commands.emplace_back(&command, std::move(result));
    return;
  }
  ledger::EventRecord record;
  record.source = ledger::Source::Operator;
  record.type = acknowledge ? kAlarmAcknowledgedRecord : kAlarmResolvedRecord;
  record.payload = json::alarm_change_payload({command.target, command.operator_id, command.comment});
  record.outcome = "{}";
  auto& update = ctx.seal(std::move(record));
  if (acknowledge)
    ctx.alarms.acknowledge(command.target, command.operator_id, command.comment, ctx.batch.at);
  else
    ctx.alarms.resolve(command.target, command.operator_id, command.comment, ctx.batch.at);
  const auto* alarm = ctx.alarms.find(command.target);
  update.alarms.push_back(*alarm);
  result.body_json = json::alarm_json(*alarm);
  ctx.batch.commands.emplace_back(&command, std::move(result));
}

class OperatorCommandFamily final : public RecordFamily {
 public:
  [[nodiscard]] std::string_view name() const override { return "operator actions"; }
  [[nodiscard]] std::vector<std::string> record_types() const override {
    auto types = policy_record_types();
    types.insert(types.end(), {kAlarmAcknowledgedRecord, kAlarmResolvedRecord});
    return types;
  }
  [[nodiscard]] std::vector<std::string> type_prefixes() const override { return {"policy."}; }

  bool live(Work& work, WriteContext& ctx) override {
    auto* command = std::get_if<OperatorCommand>(&work);
    if (command == nullptr) return false;
    using Kind = OperatorCommand::Kind;
    if (command->kind == Kind::PolicyAction && command->action) {
      apply_policy_action(*command, ctx);
      return true;
    }
    // Site loads and asset work are other families'; any other command changes an alarm.
    if (command->kind == Kind::LoadSite || command->kind == Kind::AssetQuery ||
        (command->kind == Kind::AssetAction && command->asset_action))
      return false;
    change_alarm(*command, ctx);
    return true;
  }

  void replay(const ledger::EventRecord& record, WriteContext& ctx, LiveUpdate& update) override {
    if (record.type == kAlarmAcknowledgedRecord || record.type == kAlarmResolvedRecord) {
      if (auto change = json::parse_alarm_change_payload(record.payload)) {
        if (record.type == kAlarmAcknowledgedRecord) {
          ctx.alarms.acknowledge(change->alarm, change->operator_id, change->comment, update.at);
        } else {
          ctx.alarms.resolve(change->alarm, change->operator_id, change->comment, update.at);
        }
        if (const auto* a = ctx.alarms.find(change->alarm)) update.alarms.push_back(*a);
      }
      return;
    }
    if (record.source != ledger::Source::Operator) return;  // "policy." records are operators' only
    if (auto stored = json::action_from_stored_json(record.payload)) {
      const auto model_before = ctx.engine->shared_model();
      auto outcome = ctx.engine->apply(stored->action, update.at, stored->actor);
      ctx.sync_asset_model(update.at);
      if (ctx.engine->shared_model() != model_before) update.model = ctx.engine->shared_model();
      ctx.raise_alarms(outcome.alarms, update.at, record.site_seq, update);
    }
  }
};

}  // namespace

std::unique_ptr<RecordFamily> make_operator_command_family() {
  return std::make_unique<OperatorCommandFamily>();
}

}  // namespace portcullis::ingest
