// Assets, seals and move orders: operators' asset actions and queries, RFID reads (their changes of
// location), the asset book's missing-asset deadlines and the record of when the book was opened.
#include "families/record_family.hpp"
#include "portcullis/ingest/record_types.hpp"
#include "portcullis/ledger/records/asset_record.hpp"

namespace portcullis::ingest {

// The assets and seals an asset action changed, for the live view (their state after the action).
void collect_asset_changes(const core::AssetBook& book, const core::AssetAction& action, LiveUpdate& update) {
  auto add_asset = [&](const core::AssetId& id) {
    if (const auto* a = book.asset(id)) update.assets.push_back(*a);
  };
  auto add_seal = [&](const core::SealId& id) {
    if (const auto* seal = book.seal(id)) update.seals.push_back(*seal);
  };
  std::visit(
      [&](const auto& a) {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, core::RegisterAsset>) {
          add_asset(a.asset.id);
        } else if constexpr (std::is_same_v<T, core::ApproveMoveOrder>) {
          if (const auto* order = book.move_order(a.order)) add_asset(order->asset);
        } else if constexpr (std::is_same_v<T, core::CheckSeal>) {
          add_seal(a.seal);
        } else if constexpr (std::is_same_v<T, core::FitSeal>) {
          add_seal(a.seal.id);
          if (!a.replaces.empty()) add_seal(a.replaces);
        } else {
          add_asset(a.asset);
        }
      },
      action);
}

namespace {

void collect_alarm_assets(const core::AssetBook& book, const std::vector<core::Alarm>& alarms,
                          LiveUpdate& update) {
  for (const auto& alarm : alarms) {
    if (const auto* a = book.asset(core::AssetId{alarm.subject})) update.assets.push_back(*a);
  }
}

// The answer to an applied (or refused, and recorded alike) asset action.
CommandResult asset_action_result(const core::AssetOutcome& outcome, const std::string& stored_outcome) {
  CommandResult result;
  if (outcome.decision && outcome.decision->verdict == core::Verdict::Deny) {
    result.status = 409;
    result.field = "action";
    result.message = std::string(core::to_string(outcome.decision->reason)) +
                     (outcome.detail.empty() ? "" : ": " + outcome.detail);
  } else {
    result.body_json = stored_outcome;
  }
  return result;
}

class AssetFamily final : public RecordFamily {
 public:
  [[nodiscard]] std::string_view name() const override { return "assets and RFID"; }
  [[nodiscard]] std::vector<std::string> record_types() const override {
    auto types = asset_action_record_types();
    types.insert(types.end(), {kAssetRegistryOpenedRecord, kAssetMovedRecord, kAssetDeadlinesRecord});
    return types;
  }
  [[nodiscard]] std::vector<std::string> type_prefixes() const override { return {"asset."}; }

  bool live(Work& work, WriteContext& ctx) override {
    if (auto* reads = std::get_if<RfidSubmission>(&work)) {
      observe(*reads, ctx);
      return true;
    }
    auto* command = std::get_if<OperatorCommand>(&work);
    if (command == nullptr) return false;
    if (command->kind == OperatorCommand::Kind::AssetQuery) {
      CommandResult result;
      result.body_json =
          command->asset_query ? command->asset_query(*ctx.assets, ctx.batch.at) : std::string{};
      if (result.body_json.empty()) result = CommandResult{404, "id", "unknown", "", ""};
      ctx.batch.commands.emplace_back(command, std::move(result));
      return true;
    }
    if (command->kind != OperatorCommand::Kind::AssetAction || !command->asset_action) return false;
    // Applied and refused alike are recorded, as for policy actions.
    const auto outcome = ctx.assets->apply(*command->asset_action, ctx.batch.at, command->actor);
    ledger::EventRecord record;
    record.source = ledger::Source::Operator;
    record.type = std::string("asset.") + core::type_name(*command->asset_action);
    record.payload = json::stored_asset_action_json(*command->asset_action, command->actor);
    record.outcome = json::asset_outcome_json(outcome);
    auto& update = ctx.seal(std::move(record));
    ctx.raise_alarms(outcome.alarms, ctx.batch.at, update.site_seq, update);
    collect_asset_changes(*ctx.assets, *command->asset_action, update);
    ctx.batch.commands.emplace_back(command, asset_action_result(outcome, ctx.last_record().outcome));
    return true;
  }

  void deadline(WriteContext& ctx) override {
    auto due = ctx.assets->tick(ctx.batch.at);
    if (due.alarms.empty()) return;
    ledger::EventRecord record;
    record.source = ledger::Source::Server;
    record.type = kAssetDeadlinesRecord;
    record.payload = "{}";
    record.outcome = json::asset_outcome_json(due);
    auto& update = ctx.seal(std::move(record));
    ctx.raise_alarms(due.alarms, ctx.batch.at, update.site_seq, update);
    collect_alarm_assets(*ctx.assets, due.alarms, update);
  }

  void replay(const ledger::EventRecord& record, WriteContext& ctx, LiveUpdate& update) override {
    if (record.type == kAssetRegistryOpenedRecord) {
      if (!ctx.assets)
        ctx.open_asset_book(json::registry_opened_from_json(record.payload).value_or(update.at));
      ctx.registry_recorded = true;
      return;
    }
    if (!ctx.assets) ctx.open_asset_book(update.at);
    if (record.type == kAssetMovedRecord) {
      if (auto movement = json::movement_from_json(record.payload)) {
        auto outcome = ctx.assets->apply_movement(*movement, update.at);
        ctx.raise_alarms(outcome.alarms, update.at, record.site_seq, update);
        if (const auto* a = ctx.assets->asset(movement->asset)) update.assets.push_back(*a);
      }
    } else if (record.type == kAssetDeadlinesRecord) {
      auto outcome = ctx.assets->tick(update.at);
      ctx.raise_alarms(outcome.alarms, update.at, record.site_seq, update);
      collect_alarm_assets(*ctx.assets, outcome.alarms, update);
    } else if (auto stored = json::asset_action_from_stored_json(record.payload)) {
      // Asset actions, from operators or EPCIS devices.
      auto outcome = ctx.assets->apply(stored->action, update.at, stored->actor);
      ctx.raise_alarms(outcome.alarms, update.at, record.site_seq, update);
      collect_asset_changes(*ctx.assets, stored->action, update);
    }
  }

 private:
  static void observe(RfidSubmission& reads, WriteContext& ctx) {
    RfidResult result;
    result.reads = reads.reads.size();
    for (const auto& read : reads.reads) {
      auto observation = ctx.assets->observe(read, ctx.batch.at);
      switch (observation.result) {
        case core::ReadResult::Duplicate: ++result.duplicates; break;
        case core::ReadResult::UnknownEpc:
        case core::ReadResult::UnknownReader: ++result.unknown; break;
        default: break;
      }
      if (observation.movement) {
        record_movement(ctx, observation, read.device, ctx.batch.at);
        ++result.movements;
      }
    }
    ctx.batch.rfid.emplace_back(&reads, std::move(result));
  }
};

}  // namespace

void record_movement(WriteContext& ctx, const core::Observation& observation, const core::DeviceId& device,
                     core::Timestamp at) {
  // Derived by the server from the device's reads (which carry no sequence numbers), so its source is the
  // server and device_id names the reader's device.
  ledger::EventRecord record;
  record.source = ledger::Source::Server;
  record.device_id = device.str();
  record.type = kAssetMovedRecord;
  record.payload = json::movement_json(*observation.movement);
  record.outcome = json::asset_outcome_json(observation.outcome);
  auto& update = ctx.seal(std::move(record));
  ctx.raise_alarms(observation.outcome.alarms, at, update.site_seq, update);
  if (const auto* a = ctx.assets->asset(observation.movement->asset)) update.assets.push_back(*a);
}

ledger::EventRecord registry_opened_record(const WriteContext& ctx) {
  ledger::EventRecord opened;
  opened.source = ledger::Source::Server;
  opened.type = kAssetRegistryOpenedRecord;
  opened.payload = json::registry_opened_json(ctx.assets_opened_at);
  opened.outcome = "{}";
  return opened;
}

std::unique_ptr<RecordFamily> make_asset_family() {
  return std::make_unique<AssetFamily>();
}

}  // namespace portcullis::ingest
