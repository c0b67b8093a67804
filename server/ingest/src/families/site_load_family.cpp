// Site reloads: an operator's new site file takes effect at its point of the log (with the admin edits laid
// over it) and is stored whole in site_versions; a replay switches models at each site.loaded record.
#include <iostream>

#include "families/command_result.hpp"
#include "families/record_family.hpp"
#include "portcullis/ingest/record_types.hpp"
#include "portcullis/ledger/records/operator_action_record.hpp"
#include "portcullis/ledger/records/site_record.hpp"
#include "portcullis/logging/log.hpp"
#include "portcullis/site_file/site_file.hpp"

namespace portcullis::ingest {
namespace {

CommandResult refused(const core::Problems& problems) {
  CommandResult result;
  result.status = 422;
  result.field = problems.front().json_path;
  result.message = problems.front().message;
  result.detail_json = json::problems_json(problems);
  return result;
}

void load_site(OperatorCommand& command, WriteContext& ctx) {
  // A site reload at this point of the log: the admin edits are laid over the new file; a file that does
  // not validate with them changes nothing (and is not recorded).
  const auto before = ctx.engine->effective_definition();
  const auto previous_hash = ctx.loaded_site_hash();
  if (!command.second_approver && command.site) {
    if (auto held = core::widening_of_site_load(*ctx.engine, *command.site); held.widens()) {
      ctx.batch.commands.emplace_back(&command, needs_second_approver(held));
      return;
    }
  }
  auto problems =
      command.site ? ctx.engine->load_site(command.site) : core::Problems{{"$", "no site definition"}};
  if (!problems.empty()) {
    ctx.batch.commands.emplace_back(&command, refused(problems));
    return;
  }
  ctx.sync_asset_model(ctx.batch.at);
  ledger::EventRecord record;
  record.source = ledger::Source::Operator;
  record.type = kSiteLoadedRecord;
  record.payload = json::site_loaded_payload(
      command.operator_id, command.site->version, command.site_hash, previous_hash,
      json::site_change_summary_json(before.get(), *ctx.engine->effective_definition()));
  record.outcome = "{}";
  ctx.seal(std::move(record)).model = ctx.engine->shared_model();
  ctx.batch.site_versions.push_back(storage::SiteVersion{ctx.config.site_id, command.site_hash,
                                                         command.site->version, command.site_text,
                                                         ctx.batch.received_us, command.operator_id});
  {
    std::lock_guard lock{ctx.site.mutex};
    ctx.site.loaded_hash = command.site_hash;
    ctx.site.text = command.site_text;
  }
  ctx.definition_site_hash = command.site_hash;
  ctx.text_site_hash = command.site_hash;
  ctx.batch.site_changed = true;
  CommandResult result;
  result.body_json = ctx.last_record().payload;
  ctx.batch.commands.emplace_back(&command, std::move(result));
}

// The definition and text a replayed site.loaded names: the initial site when the hash matches, else the
// stored version, checked against its name. Nothing when it cannot be used (a finding, or a warning).
std::optional<std::pair<std::shared_ptr<const core::SiteDefinition>, std::string>> stored_site(
    const std::string& hash, WriteContext& ctx) {
  if (hash == ctx.initial_site_hash && ctx.initial_site)
    return std::pair{ctx.initial_site, ctx.initial_site_text};
  const auto read = ctx.store->read_site_version(hash);
  if (read.status == storage::SiteVersionRead::Status::Missing) {
    ctx.note_finding("site_version", "site version " + hash +
                                         " named by the log is not in site_versions; replayed with the "
                                         "previous model");
    return std::nullopt;
  }
  if (read.status == storage::SiteVersionRead::Status::ContentMismatch) {
    // Not what the server stored: a row planted (the application role may INSERT) or edited. Never run it.
    ctx.note_finding("site_version", "the site_versions row named " + hash + " holds content hashing to " +
                                         read.content_hash_hex +
                                         ": refused, replayed with the previous model");
    return std::nullopt;
  }
  auto parsed = site_file::parse_site_json(read.content);
  if (!parsed.problems.empty()) {
    logging::warn("ingest", "stored site version no longer validates; replaying with the previous model",
                  {{"site_hash", hash},
                   {"path", parsed.problems.front().json_path},
                   {"problem", parsed.problems.front().message}});
    return std::nullopt;
  }
  return std::pair{std::make_shared<const core::SiteDefinition>(std::move(parsed.definition)), read.content};
}

class SiteLoadFamily final : public RecordFamily {
 public:
  [[nodiscard]] std::string_view name() const override { return "site loads"; }
  [[nodiscard]] std::vector<std::string> record_types() const override { return {kSiteLoadedRecord}; }

  bool live(Work& work, WriteContext& ctx) override {
    auto* command = std::get_if<OperatorCommand>(&work);
    if (command == nullptr || command->kind != OperatorCommand::Kind::LoadSite) return false;
    load_site(*command, ctx);
    return true;
  }

  void replay(const ledger::EventRecord& record, WriteContext& ctx, LiveUpdate& update) override {
    apply(record.payload, ctx, update);
    ctx.sync_asset_model(update.at);
  }

 private:
  static void apply(const std::string& payload, WriteContext& ctx, LiveUpdate& update) {
    const auto hash = json::site_loaded_hash(payload);
    if (!hash) return;
    {
      std::lock_guard lock{ctx.site.mutex};
      ctx.site.loaded_hash = *hash;
    }
    auto site = stored_site(*hash, ctx);
    if (!site) return;
    {
      std::lock_guard lock{ctx.site.mutex};
      ctx.site.text = std::move(site->second);
    }
    ctx.text_site_hash = *hash;
    auto& engine = *ctx.engine;
    if (site->first == ctx.initial_site && engine.effective_definition() != nullptr &&
        engine.shared_model() == ctx.initial_model && engine.state().admin.empty()) {
      ctx.definition_site_hash = *hash;
      return;  // already in force (the first load of a fresh engine)
    }
    const auto problems = engine.load_site(site->first);
    if (!problems.empty()) {
      logging::warn("ingest", "replaying site.loaded failed",
                    {{"site_hash", *hash},
                     {"path", problems.front().json_path},
                     {"problem", problems.front().message}});
      return;
    }
    ctx.definition_site_hash = *hash;
    update.model = engine.shared_model();
  }
};

}  // namespace

std::unique_ptr<RecordFamily> make_site_load_family() {
  return std::make_unique<SiteLoadFamily>();
}

}  // namespace portcullis::ingest
