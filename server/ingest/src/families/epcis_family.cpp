// EPCIS captures: each event's RFID observations and asset actions applied in the capturing device's name,
// and its `epcis.captured` record (the answer a retry of the same eventID gets again). Large captures are
// applied in slices; eventIDs are remembered, within bounds, for idempotency.
#include <unordered_map>

#include "families/record_family.hpp"
#include "portcullis/ingest/record_types.hpp"
#include "portcullis/ledger/records/asset_record.hpp"

namespace portcullis::ingest {
namespace {

void remember(WriteContext& ctx, const std::string& event_id, std::string canonical_sha256,
              std::string result_json, core::Timestamp at) {
  auto& memory = ctx.epcis;
  if (!memory.events.emplace(event_id, std::pair{std::move(canonical_sha256), std::move(result_json)}).second)
    return;
  memory.order.emplace_back(at, event_id);
  // Forgotten at the time of a record, so a replay forgets at the same points as the live server.
  while (!memory.order.empty() && (memory.order.size() > ctx.config.max_epcis_ids_in_memory ||
                                   at - memory.order.front().first >= ctx.config.epcis_ids_in_memory_for)) {
    memory.events.erase(memory.order.front().second);
    memory.order.pop_front();
    memory.forgot_any = true;
  }
  memory.size.store(memory.events.size());
}

// EventIDs captured long ago are in the database only: brought back into memory before the check.
void recall(WriteContext& ctx, const std::vector<CapturedEvent>& events, core::Timestamp at) {
  if (!ctx.epcis.forgot_any) return;  // every eventID ever captured is still in memory
  std::vector<std::string> unknown;
  for (const auto& e : events) {
    if (!ctx.epcis.events.contains(e.event_id) && !ctx.epcis.in_flight.contains(e.event_id))
      unknown.push_back(e.event_id);
  }
  if (unknown.empty()) return;
  const std::unordered_set<std::string> wanted(unknown.begin(), unknown.end());
  for (const auto& payload : ctx.store->find_epcis_captured(unknown)) {
    if (auto captured = json::epcis_captured_from_json(payload);
        captured && wanted.contains(captured->event_id))
      remember(ctx, captured->event_id, captured->canonical_sha256, captured->result_json, at);
  }
}

// All or nothing: an eventID seen before (or earlier in this capture) with other content refuses the
// capture; one another capture is storing is told to retry. Reserves the new eventIDs.
EpcisResult check(EpcisInProgress& progress, WriteContext& ctx) {
  const auto& capture = progress.capture;
  recall(ctx, capture.events, ctx.batch.at);
  EpcisResult result;
  std::unordered_map<std::string, std::string> in_capture;
  for (const auto& e : capture.events) {
    auto known = ctx.epcis.events.find(e.event_id);
    auto [it, fresh] = in_capture.emplace(e.event_id, e.canonical_sha256);
    if ((known != ctx.epcis.events.end() && known->second.first != e.canonical_sha256) ||
        (!fresh && it->second != e.canonical_sha256)) {
      result.status = EpcisResult::Status::Conflict;
      result.error_field = e.path + ".eventID";
      result.error_message = "eventID " + e.event_id + " was captured before with different content";
      return result;
    }
    if (ctx.epcis.in_flight.contains(e.event_id)) {
      result.status = EpcisResult::Status::Unavailable;
      result.error_field = e.path + ".eventID";
      result.error_message = "eventID " + e.event_id + " is being stored by another capture; retry";
      return result;
    }
  }
  progress.checked = true;
  for (const auto& e : capture.events) {
    if (!ctx.epcis.events.contains(e.event_id) && ctx.epcis.in_flight.insert(e.event_id).second)
      progress.reserved.push_back(e.event_id);
  }
  return result;
}

// One asset action of an event, applied in the device's name and recorded (refused ones too).
void apply_action(core::AssetAction action, const std::string* epc, const core::DeviceId& device,
                  json::EpcisEventResult& r, WriteContext& ctx) {
  const core::Actor device_actor{core::OperatorId{"device:" + device.str()}, {}, false};
  if (auto* destroy = std::get_if<core::RecordDestruction>(&action);
      destroy != nullptr && destroy->asset.empty() && epc != nullptr) {
    const auto* known = ctx.assets->asset_by_epc(*epc);
    if (known == nullptr) {
      r.status = "refused";
      r.reason = "unknown_epc: " + *epc;
      return;
    }
    destroy->asset = known->def.id;
  }
  const auto outcome = ctx.assets->apply(action, ctx.batch.at, device_actor);
  ledger::EventRecord record;
  record.source = ledger::Source::Server;
  record.device_id = device.str();
  record.type = std::string("asset.") + core::type_name(action);
  record.payload = json::stored_asset_action_json(action, device_actor);
  record.outcome = json::asset_outcome_json(outcome);
  auto& update = ctx.seal(std::move(record));
  ctx.raise_alarms(outcome.alarms, ctx.batch.at, update.site_seq, update);
  collect_asset_changes(*ctx.assets, action, update);
  if (outcome.decision && outcome.decision->verdict == core::Verdict::Deny && r.status != "refused") {
    r.status = "refused";
    r.reason = std::string(core::to_string(outcome.decision->reason)) +
               (outcome.detail.empty() ? "" : ": " + outcome.detail);
  }
}

// One event of a capture: its effects, then its `epcis.captured` record; or its first answer again.
CapturedAnswer apply_event(const CapturedEvent& e, const core::DeviceId& device, WriteContext& ctx) {
  CapturedAnswer answer{e.event_id, e.path, {}, false};
  if (auto known = ctx.epcis.events.find(e.event_id); known != ctx.epcis.events.end()) {
    answer.result_json = known->second.second;
    answer.duplicate = true;
    return answer;
  }
  json::EpcisEventResult r;
  r.event_id = e.event_id;
  r.effect = e.effect;
  r.status = e.effect == "not_applied" ? "not_applied" : "applied";
  r.reason = e.not_applied_reason;
  for (const auto& read : e.observations) {
    auto observation = ctx.assets->observe(read, ctx.batch.at);
    ++r.observations;
    if (observation.movement) {
      record_movement(ctx, observation, device, ctx.batch.at);
      ++r.movements;
    }
  }
  for (std::size_t k = 0; k < e.actions.size(); ++k)
    apply_action(e.actions[k], k < e.action_epcs.size() ? &e.action_epcs[k] : nullptr, device, r, ctx);
  answer.result_json = json::epcis_result_json(r);
  ledger::EventRecord record;
  record.source = ledger::Source::Server;
  record.device_id = device.str();
  record.type = kEpcisCapturedRecord;
  record.payload = json::epcis_captured_json({e.event_id, e.canonical_sha256, e.path, answer.result_json});
  record.outcome = "{}";
  ctx.seal(std::move(record));
  remember(ctx, e.event_id, e.canonical_sha256, answer.result_json, ctx.batch.at);
  return answer;
}

class EpcisFamily final : public RecordFamily {
 public:
  [[nodiscard]] std::string_view name() const override { return "EPCIS"; }
  [[nodiscard]] std::vector<std::string> record_types() const override { return {kEpcisCapturedRecord}; }

  bool live(Work& work, WriteContext& ctx) override {
    auto* progress = std::get_if<EpcisInProgress>(&work);
    if (progress == nullptr) return false;
    if (!progress->checked) {
      auto result = check(*progress, ctx);
      if (result.status != EpcisResult::Status::Stored) {
        ctx.batch.epcis.emplace_back(progress, std::move(result));
        return true;
      }
    }
    const auto& capture = progress->capture;
    const auto slice_end =
        std::min(capture.events.size(), progress->next + ctx.config.max_epcis_events_per_commit);
    for (std::size_t i = progress->next; i < slice_end; ++i)
      progress->answers.push_back(apply_event(capture.events[i], capture.device, ctx));
    progress->next = slice_end;
    ctx.batch.epcis.emplace_back(progress, EpcisResult{});  // answers gathered after the last slice
    return true;
  }

  void replay(const ledger::EventRecord& record, WriteContext& ctx, LiveUpdate& update) override {
    if (auto captured = json::epcis_captured_from_json(record.payload))
      remember(ctx, captured->event_id, captured->canonical_sha256, captured->result_json, update.at);
  }
};

}  // namespace

std::unique_ptr<RecordFamily> make_epcis_family() {
  return std::make_unique<EpcisFamily>();
}

void release_epcis(WriteContext& ctx, EpcisInProgress& capture) {
  for (const auto& id : capture.reserved) ctx.epcis.in_flight.erase(id);
  capture.reserved.clear();
}

}  // namespace portcullis::ingest
