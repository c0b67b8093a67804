// Device events (badges, PINs, door contacts, tamper, heartbeats, RFID reads...) decided by the engine, and
// the engine's deadline ticks that raised alarms.
#include <unordered_set>

#include "families/record_family.hpp"
#include "portcullis/ingest/record_types.hpp"
#include "portcullis/ledger/records/device_event_record.hpp"

namespace portcullis::ingest {
namespace {

std::string key_of(const std::string& device, std::int64_t seq) {
  return device + '\x1f' + std::to_string(seq);
}

enum class EventKind { New, DuplicateInBatch, DuplicateStored };

// The first pass over a submission: every event classified, so a bad one rejects the whole request and
// changes nothing.
struct Classified {
  std::vector<EventKind> kinds;
  std::vector<std::optional<ledger::EventRecord>> stored;
  SubmissionResult result;
};

Classified classify(const Submission& submission, WriteContext& ctx) {
  Classified c;
  std::unordered_map<std::string, std::int64_t> local_last;
  std::unordered_set<std::string> new_in_submission;
  for (std::size_t i = 0; i < submission.events.size() && c.result.error_field.empty(); ++i) {
    const auto& event = submission.events[i];
    const auto& device = event.device.str();
    auto it = local_last.find(device);
    const std::int64_t last = it != local_last.end() ? it->second : [&] {
      auto found = ctx.last_seq_by_device.find(device);
      return found == ctx.last_seq_by_device.end() ? std::int64_t{0} : found->second;
    }();
    c.stored.emplace_back();
    if (event.seq > last) {
      local_last[device] = event.seq;
      new_in_submission.insert(key_of(device, event.seq));
      c.kinds.push_back(EventKind::New);
    } else if (ctx.batch.in_batch.count(key_of(device, event.seq)) ||
               new_in_submission.count(key_of(device, event.seq))) {
      c.kinds.push_back(EventKind::DuplicateInBatch);
    } else if (auto record = ctx.store->find_device_event(device, event.seq)) {
      c.stored.back() = std::move(record);
      c.kinds.push_back(EventKind::DuplicateStored);
    } else {
      c.result.status = SubmissionResult::Status::Rejected;
      c.result.error_field = submission.batch ? "events[" + std::to_string(i) + "].seq" : "seq";
      c.result.error_message = "seq " + std::to_string(event.seq) +
                               " goes backwards: the last stored seq of " + device + " is " +
                               std::to_string(last) + " and this one was never stored";
    }
  }
  return c;
}

// Decides and chains one new event; its answer.
EventAnswer decide_new(core::DeviceEvent& event, WriteContext& ctx) {
  const auto& device = event.device.str();
  event.received_at = ctx.batch.at;
  const auto outcome = ctx.engine->apply(event, event.received_at);
  if (auto* pin = std::get_if<core::PinEntered>(&event.payload)) {
    // Never store a PIN: keep the verdict the engine reached, so a replay decides the same way.
    pin->pin.clear();
    pin->recorded_verdict = outcome.pin_verdict;
    pin->verified_for = outcome.pin_verified_for;
  }
  ledger::EventRecord record;
  record.source = ledger::Source::Device;
  record.device_id = device;
  record.device_seq = event.seq;
  record.type = core::type_name(event.payload);
  record.device_time_us = core::to_unix_micros(event.device_time);
  record.payload = json::stored_payload_json(event);
  record.outcome = json::outcome_json(outcome);
  auto& update = ctx.seal(std::move(record));
  const auto& sealed = ctx.last_record();
  ctx.raise_alarms(outcome.alarms, update.at, sealed.site_seq, update);
  update.event = event;
  update.outcome = outcome;
  EventAnswer answer{EventAnswer::Status::Stored, device, event.seq, sealed.site_seq, sealed.outcome};
  ctx.batch.in_batch[key_of(device, event.seq)] = ctx.batch.records.size() - 1;
  ctx.last_seq_by_device[device] = event.seq;
  if (const auto* read = std::get_if<core::RfidRead>(&event.payload)) {
    // Also a read for the asset book; a change of location is its own record, replayed as such.
    core::RfidObservation observation{
        event.device, read->reader, read->epc, std::max(read->count, 1U), {}, {}};
    auto observed = ctx.assets->observe(observation, event.received_at);
    if (observed.movement) record_movement(ctx, observed, event.device, event.received_at);
  }
  return answer;
}

class DeviceEventFamily final : public RecordFamily {
 public:
  [[nodiscard]] std::string_view name() const override { return "device events"; }
  [[nodiscard]] std::vector<std::string> record_types() const override {
    auto types = device_event_record_types();
    types.emplace_back(kEngineDeadlinesRecord);
    return types;
  }

  bool live(Work& work, WriteContext& ctx) override {
    auto* submission = std::get_if<Submission>(&work);
    if (submission == nullptr) return false;
    auto classified = classify(*submission, ctx);
    if (classified.result.status == SubmissionResult::Status::Rejected) {
      ctx.batch.submissions.emplace_back(submission, std::move(classified.result));
      return true;
    }
    // Second pass: decide and chain the new events, in order.
    auto& result = classified.result;
    for (std::size_t i = 0; i < submission->events.size(); ++i) {
      auto& event = submission->events[i];
      if (classified.kinds[i] == EventKind::New) {
        result.answers.push_back(decide_new(event, ctx));
        continue;
      }
      const auto& original =
          classified.kinds[i] == EventKind::DuplicateInBatch
              ? ctx.batch.records[ctx.batch.in_batch.at(key_of(event.device.str(), event.seq))]
              : *classified.stored[i];
      result.answers.push_back(EventAnswer{EventAnswer::Status::Duplicate, event.device.str(), event.seq,
                                           original.site_seq, original.outcome});
    }
    ctx.batch.submissions.emplace_back(submission, std::move(result));
    return true;
  }

  void deadline(WriteContext& ctx) override {
    auto outcome = ctx.engine->tick(ctx.batch.at);
    if (outcome.alarms.empty()) return;  // nothing to replay: the next input re-derives the same state
    ledger::EventRecord record;
    record.source = ledger::Source::Server;
    record.type = kEngineDeadlinesRecord;
    record.payload = "{}";
    record.outcome = json::outcome_json(outcome);
    auto& update = ctx.seal(std::move(record));
    ctx.raise_alarms(outcome.alarms, ctx.batch.at, update.site_seq, update);
    update.outcome = std::move(outcome);
  }

  void replay(const ledger::EventRecord& record, WriteContext& ctx, LiveUpdate& update) override {
    if (record.type == kEngineDeadlinesRecord && record.source != ledger::Source::Device) {
      auto outcome = ctx.engine->tick(update.at);
      ctx.raise_alarms(outcome.alarms, update.at, record.site_seq, update);
      update.outcome = std::move(outcome);
      return;
    }
    if (record.source != ledger::Source::Device || !record.device_id || !record.device_seq) return;
    auto payload = json::payload_from_stored_json(record.payload);
    if (auto* p = std::get_if<core::DevicePayload>(&payload)) {
      core::DeviceEvent event;
      event.device = core::DeviceId{*record.device_id};
      event.seq = *record.device_seq;
      event.device_time = core::from_unix_micros(record.device_time_us.value_or(record.received_us));
      event.received_at = core::from_unix_micros(record.received_us);
      event.payload = std::move(*p);
      auto outcome = ctx.engine->apply(event, event.received_at);
      ctx.raise_alarms(outcome.alarms, update.at, record.site_seq, update);
      update.event = std::move(event);
      update.outcome = std::move(outcome);
    }
    auto& last = ctx.last_seq_by_device[*record.device_id];
    last = std::max(last, *record.device_seq);
  }
};

}  // namespace

std::unique_ptr<RecordFamily> make_device_event_family() {
  return std::make_unique<DeviceEventFamily>();
}

}  // namespace portcullis::ingest
