#include "families/write_context.hpp"

#include "families/record_family.hpp"
#include "portcullis/ingest/record_types.hpp"

namespace portcullis::ingest {

WriteContext::WriteContext(const SequencerConfig& sequencer_config,
                           std::shared_ptr<const core::SiteModel> model,
                           std::shared_ptr<const core::PinVerifier> pin_verifier)
    : config(sequencer_config), initial_model(std::move(model)), pins(std::move(pin_verifier)) {}

void WriteContext::reset() {
  engine = std::make_unique<core::Engine>(initial_model, pins);
  if (initial_site) (void)engine->load_site(initial_site, initial_model);
  {
    std::lock_guard lock{site.mutex};
    site.loaded_hash.clear();
    site.text = initial_site_text;
  }
  definition_site_hash = initial_site_hash;
  text_site_hash = initial_site_hash;
  alarms = core::AlarmBook{};
  assets.reset();
  registry_recorded = false;
  assets_opened_at_startup = false;
  doors_view = std::make_unique<core::FacilityView>(engine->shared_model());
  epcis.events.clear();
  epcis.in_flight.clear();
  epcis.order.clear();
  epcis.forgot_any = false;
  last_seq_by_device.clear();
}

LiveUpdate& WriteContext::seal(ledger::EventRecord record) {
  // The first asset record of this site's log is preceded by the time its asset book was opened, so a
  // replay starts the missing-asset clocks at the same instant.
  if (!registry_recorded && (record.type.rfind("asset.", 0) == 0 || record.type == kEpcisCapturedRecord)) {
    registry_recorded = true;
    seal(registry_opened_record(*this));
  }
  record.site_id = config.site_id;
  record.site_seq = ++batch.head_seq;
  record.received_us = batch.received_us;
  batch.head_hash = ledger::seal(record, batch.head_hash);
  LiveUpdate update;
  update.site_seq = record.site_seq;
  update.at = batch.at;
  update.type = record.type;
  update.device_id = record.device_id.value_or("");
  if (record.source != ledger::Source::Device) update.payload_json = record.payload;
  batch.records.push_back(std::move(record));
  batch.updates.push_back(std::move(update));
  return batch.updates.back();
}

void WriteContext::raise_alarms(const std::vector<core::Alarm>& raised, core::Timestamp at,
                                std::int64_t site_seq, LiveUpdate& update) {
  for (std::size_t i = 0; i < raised.size(); ++i)
    update.alarms.push_back(alarms.raise(raised[i], at, site_seq, i));
}

void WriteContext::open_asset_book(core::Timestamp at) {
  assets = std::make_unique<core::AssetBook>(engine->shared_model(), at);
  assets_opened_at = at;
}

void WriteContext::follow_view(const LiveUpdate& update) {
  if (update.model) doors_view->replace_model(update.model);
  if (update.event && update.outcome)
    (void)doors_view->apply(*update.event, *update.outcome, update.site_seq, update.at);
}

void WriteContext::sync_asset_model(core::Timestamp at) {
  // A site reload or an admin edit gave the engine a new model: the asset book follows before its next
  // input, at the same point of the log live and on replay (so new assets start their clocks alike).
  if (assets && &assets->model() != engine->shared_model().get())
    assets->replace_model(engine->shared_model(), at);
}

void WriteContext::note_finding(std::string check, std::string detail) {
  pending_findings.emplace_back(std::move(check), std::move(detail));
}

std::string WriteContext::loaded_site_hash() const {
  std::lock_guard lock{site.mutex};
  return site.loaded_hash;
}

}  // namespace portcullis::ingest
