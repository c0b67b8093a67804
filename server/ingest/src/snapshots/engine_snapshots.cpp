#include "snapshots/engine_snapshots.hpp"

#include <map>
#include <memory>
#include <utility>

#include "portcullis/site_file/site_file.hpp"

namespace portcullis::ingest {
namespace {

struct SiteOfHash {
  std::shared_ptr<const core::SiteDefinition> definition;
  std::string text;
};

// The start-up site when the hash is its own, else the stored version checked against its name.
std::optional<SiteOfHash> site_of_hash(WriteContext& ctx, const std::string& hash, std::string& why) {
  if (hash == ctx.initial_site_hash) return SiteOfHash{ctx.initial_site, ctx.initial_site_text};
  const auto read = ctx.store->read_site_version(hash);
  if (read.status != storage::SiteVersionRead::Status::Verified) {
    why = "the site version " + hash + " it names is " +
          (read.status == storage::SiteVersionRead::Status::Missing ? "not in site_versions"
                                                                    : "not what its name hashes to");
    return std::nullopt;
  }
  auto parsed = site_file::parse_site_json(read.content);
  if (!parsed.problems.empty()) {
    why = "the site version " + hash + " it names no longer validates";
    return std::nullopt;
  }
  return SiteOfHash{std::make_shared<const core::SiteDefinition>(std::move(parsed.definition)), read.content};
}

}  // namespace

core::StateSnapshot capture_snapshot(const WriteContext& ctx, std::int64_t site_seq,
                                     const std::array<std::uint8_t, 32>& chain_hash) {
  core::StateSnapshot s;
  s.site_seq = site_seq;
  s.chain_hash = chain_hash;
  s.definition_site_hash = ctx.definition_site_hash;
  s.text_site_hash = ctx.text_site_hash;
  s.loaded_site_hash = ctx.loaded_site_hash();
  s.engine_on_startup_model = ctx.engine->shared_model() == ctx.initial_model;
  s.engine = ctx.engine->state();
  s.alarms = ctx.alarms.contents();
  if (ctx.asset_book_in_history()) {
    auto book = ctx.assets->contents();
    for (auto& asset : book.assets) {
      asset.last_read_at.reset();
      asset.reads_since_movement = 0;
    }
    const auto stored = book.counters;
    book.counters = core::ReadCounters{};
    book.counters.movements = stored.movements;
    book.counters.confirmations = stored.confirmations;
    s.assets = std::move(book);
    s.assets_opened_at = ctx.assets_opened_at;
  }
  s.registry_recorded = ctx.registry_recorded;
  s.epcis_events.reserve(ctx.epcis.order.size());
  for (const auto& [at, id] : ctx.epcis.order) {
    const auto it = ctx.epcis.events.find(id);
    if (it == ctx.epcis.events.end()) continue;
    s.epcis_events.push_back(core::RememberedEpcisEvent{id, it->second.first, it->second.second, at});
  }
  s.epcis_forgot_any = ctx.epcis.forgot_any;
  s.last_seq_by_device.insert(ctx.last_seq_by_device.begin(), ctx.last_seq_by_device.end());
  s.recorded_findings.insert(ctx.recorded_findings.begin(), ctx.recorded_findings.end());
  for (const auto& [id, door] : ctx.doors_view->doors()) s.doors.push_back(door);
  return s;
}

std::optional<std::string> restore_snapshot(WriteContext& ctx, core::StateSnapshot snapshot) {
  std::string why;
  const auto definition = site_of_hash(ctx, snapshot.definition_site_hash, why);
  if (!definition) return why;
  auto text = snapshot.text_site_hash == snapshot.definition_site_hash
                  ? definition
                  : site_of_hash(ctx, snapshot.text_site_hash, why);
  if (!text) return why;

  auto engine = std::make_unique<core::Engine>(ctx.initial_model, ctx.pins);
  const bool startup_model =
      snapshot.engine_on_startup_model && snapshot.definition_site_hash == ctx.initial_site_hash;
  const auto problems = engine->restore(definition->definition, std::move(snapshot.engine),
                                        startup_model ? ctx.initial_model : nullptr);
  if (!problems.empty()) {
    return "its engine state with the site version " + snapshot.definition_site_hash +
           " does not validate: " + problems.front().json_path + ": " + problems.front().message;
  }

  // Everything checked: from here on the context takes the snapshot's state.
  ctx.engine = std::move(engine);
  ctx.alarms = core::AlarmBook{std::move(snapshot.alarms), core::AlarmRetention{}};
  ctx.assets.reset();
  ctx.assets_opened_at_startup = false;
  if (snapshot.assets) {
    ctx.assets = std::make_unique<core::AssetBook>(ctx.engine->shared_model(), std::move(*snapshot.assets));
    ctx.assets_opened_at = snapshot.assets_opened_at;
  }
  ctx.registry_recorded = snapshot.registry_recorded;
  ctx.epcis.events.clear();
  ctx.epcis.in_flight.clear();
  ctx.epcis.order.clear();
  for (auto& e : snapshot.epcis_events) {
    if (!ctx.epcis.events
             .emplace(e.event_id, std::pair{std::move(e.canonical_sha256), std::move(e.result_json)})
             .second)
      continue;
    ctx.epcis.order.emplace_back(e.at, e.event_id);
  }
  ctx.epcis.forgot_any = snapshot.epcis_forgot_any;
  ctx.epcis.size.store(ctx.epcis.events.size());
  ctx.last_seq_by_device.clear();
  ctx.last_seq_by_device.insert(snapshot.last_seq_by_device.begin(), snapshot.last_seq_by_device.end());
  ctx.recorded_findings.clear();
  ctx.recorded_findings.insert(snapshot.recorded_findings.begin(), snapshot.recorded_findings.end());
  ctx.definition_site_hash = std::move(snapshot.definition_site_hash);
  ctx.text_site_hash = std::move(snapshot.text_site_hash);
  {
    std::lock_guard lock{ctx.site.mutex};
    ctx.site.loaded_hash = std::move(snapshot.loaded_site_hash);
    ctx.site.text = std::move(text->text);
  }
  ctx.doors_view = std::make_unique<core::FacilityView>(ctx.engine->shared_model());
  for (const auto& door : snapshot.doors) ctx.doors_view->restore_passage(door);
  return std::nullopt;
}

}  // namespace portcullis::ingest
