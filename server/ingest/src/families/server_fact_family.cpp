// Facts the server and its operators record (refused devices, sign-ins, door commands, approvals, audit
// requests), alarm escalations, and tampering found with the history, which raises its own alarm.
#include "families/record_family.hpp"
#include "portcullis/ingest/record_types.hpp"
#include "portcullis/ledger/records/alarm_record.hpp"
#include "portcullis/ledger/records/device_event_record.hpp"
#include "portcullis/ledger/records/tamper_record.hpp"

namespace portcullis::ingest {
namespace {

bool is_tamper_record(const std::string& type) {
  return type == kChainTamperedRecord || type == kChainUnattestedRecord;
}

// The alarm a tamper record raises: critical (history was changed) or high (rows nobody signed).
core::Alarm tamper_alarm(const std::string& type, const std::string& site_id,
                         const json::TamperFinding& finding) {
  const bool unattested = type == kChainUnattestedRecord;
  return core::Alarm{unattested ? kChainUnattestedAlarm : kChainTamperedAlarm,
                     unattested ? core::Severity::High : core::Severity::Critical, site_id,
                     finding.check + ": " + finding.detail, false};
}

// A tamper record's finding is remembered (never recorded twice) and its alarm raised.
void apply_tamper_fact(const ledger::EventRecord& record, WriteContext& ctx, LiveUpdate& update) {
  const auto finding = json::tamper_finding_from_json(record.payload);
  if (!finding) return;
  ctx.recorded_findings.insert(finding->detail);
  ctx.raise_alarms({tamper_alarm(record.type, ctx.config.site_id, *finding)}, update.at, record.site_seq,
                   update);
}

void list_escalated(const ledger::EventRecord& record, WriteContext& ctx, LiveUpdate& update, bool mark) {
  if (auto change = json::parse_alarm_change_payload(record.payload)) {
    if (mark) ctx.alarms.mark_escalated(change->alarm);
    if (const auto* a = ctx.alarms.find(change->alarm)) update.alarms.push_back(*a);
  }
}

class ServerFactFamily final : public RecordFamily {
 public:
  [[nodiscard]] std::string_view name() const override { return "server facts"; }
  [[nodiscard]] std::vector<std::string> record_types() const override {
    auto types = stateless_fact_record_types();
    types.insert(types.end(), {kChainTamperedRecord, kChainUnattestedRecord, kAlarmEscalatedRecord});
    return types;
  }

  bool live(Work& work, WriteContext& ctx) override {
    auto* fact = std::get_if<ServerFact>(&work);
    if (fact == nullptr) return false;
    if (is_tamper_record(fact->type)) {
      const auto finding = json::tamper_finding_from_json(fact->payload_json);
      if (!finding || ctx.recorded_findings.contains(finding->detail)) return true;  // recorded once
    }
    if (fact->decide) fact->decide(ctx.engine->model(), ctx.engine->state(), ctx.batch.at, *fact);
    ledger::EventRecord record;
    record.source = fact->by_operator ? ledger::Source::Operator : ledger::Source::Server;
    if (!fact->device_id.empty()) record.device_id = fact->device_id;
    record.type = fact->type;
    record.payload = fact->payload_json;
    record.outcome = "{}";
    if (is_tamper_record(record.type)) {
      // Its alarm is part of the stored row (the auditors' alarm report lists it), so it is set before the
      // row is sealed: the stored hash covers the row as stored.
      const auto finding = json::tamper_finding_from_json(record.payload);
      core::Outcome outcome;
      outcome.alarms.push_back(tamper_alarm(record.type, ctx.config.site_id, *finding));
      record.outcome = json::outcome_json(outcome);
    }
    auto& update = ctx.seal(std::move(record));
    const auto& sealed = ctx.last_record();
    if (fact->done) ctx.batch.facts_stored.emplace_back(fact, sealed.site_seq);
    if (is_tamper_record(sealed.type)) apply_tamper_fact(sealed, ctx, update);
    if (sealed.type == kAlarmEscalatedRecord) list_escalated(sealed, ctx, update, false);
    return true;
  }

  void replay(const ledger::EventRecord& record, WriteContext& ctx, LiveUpdate& update) override {
    if (is_tamper_record(record.type)) {
      apply_tamper_fact(record, ctx, update);
    } else if (record.type == kAlarmEscalatedRecord) {
      list_escalated(record, ctx, update, true);
    }
  }
};

}  // namespace

std::unique_ptr<RecordFamily> make_server_fact_family() {
  return std::make_unique<ServerFactFamily>();
}

}  // namespace portcullis::ingest
