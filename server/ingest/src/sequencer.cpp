#include "portcullis/ingest/sequencer.hpp"

#include <pqxx/pqxx>

#include <chrono>
#include <iostream>
#include <unordered_set>

#include "portcullis/core/policy/access_widening.hpp"
#include "portcullis/json/admin_change_json.hpp"
#include "portcullis/json/alarm_json.hpp"
#include "portcullis/json/asset_json.hpp"
#include "portcullis/json/device_event_json.hpp"
#include "portcullis/json/operator_action_json.hpp"
#include "portcullis/json/tamper_json.hpp"
#include "portcullis/ledger/event_record.hpp"
#include "portcullis/site_file/site_file.hpp"
#include "portcullis/storage/epcis_lookup.hpp"
#include "portcullis/storage/event_store.hpp"
#include "portcullis/storage/site_versions.hpp"

namespace portcullis::ingest {
namespace {

// A deadline tick of the engine that raised alarms (see Sequencer::DeadlineTick).
constexpr const char* kDeadlinesRecord = "engine.deadlines";

constexpr const char* kAssetDeadlinesRecord = "asset.deadlines";
constexpr const char* kAssetMovedRecord = "asset.moved";
constexpr const char* kAssetRegistryOpened = "asset.registry_opened";
constexpr const char* kEpcisCaptured = "epcis.captured";

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

std::string hex_of(const std::array<std::uint8_t, 32>& hash) {
  return ledger::to_hex(hash);
}

// The answer to a change that widens access to a sensitive place without a second approver: applied and
// recorded only once another operator approves it (the API holds it, see AdminApi).
CommandResult needs_second_approver(const core::Widening& widening) {
  CommandResult result;
  result.status = 428;
  result.field = "approval";
  result.message = "widens access to a sensitive place: " + widening.reasons.front();
  result.detail_json = json::reasons_json(widening.reasons);
  return result;
}

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

void collect_alarm_assets(const core::AssetBook& book, const std::vector<core::Alarm>& alarms,
                          LiveUpdate& update) {
  for (const auto& alarm : alarms) {
    if (const auto* a = book.asset(core::AssetId{alarm.subject})) update.assets.push_back(*a);
  }
}

std::string key_of(const std::string& device, std::int64_t seq) {
  return device + '\x1f' + std::to_string(seq);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

SubmissionResult unavailable(std::string why) {
  SubmissionResult r;
  r.status = SubmissionResult::Status::Unavailable;
  r.error_message = std::move(why);
  return r;
}

void deliver(Submission& submission, SubmissionResult result) {
  if (!submission.done) return;
  try {
    submission.done(std::move(result));
  } catch (const std::exception& e) {
    std::cerr << "portcullisd: answering a submission failed: " << e.what() << '\n';
  }
}

}  // namespace

struct Sequencer::Database {
  explicit Database(const std::string& conninfo) : connection(conninfo) {
    storage::require_durable_commits(connection);
  }
  pqxx::connection connection;
};

Sequencer::Sequencer(SequencerConfig config, std::shared_ptr<const core::SiteModel> model,
                     const core::Clock& clock, metrics::ServerMetrics& metrics,
                     std::shared_ptr<const core::PinVerifier> pins)
    : config_(std::move(config)),
      initial_model_(std::move(model)),
      pins_(std::move(pins)),
      clock_(clock),
      metrics_(metrics) {}

Sequencer::~Sequencer() {
  stop();
}

void Sequencer::start() {
  connect_and_rebuild();
  thread_ = std::thread([this] { config_.follower ? follow() : run(); });
}

void Sequencer::follow() {
  for (;;) {
    {
      std::unique_lock lock{mutex_};
      wake_.wait_for(lock, config_.follow_interval, [this] { return stopping_; });
      if (stopping_) return;
    }
    try {
      const auto model_before = engine_->shared_model();
      bool chain_reported = false;
      storage::EventStore store{db_->connection};
      store.for_each(config_.site_id, head_seq_,
                     [&](const ledger::EventRecord& record) { apply_stored(record, true, chain_reported); });
      if (engine_->shared_model() != model_before) publish_site();
      publish_heads();
      tampered_.store(alarms_.has_open(kChainTamperedAlarm));
    } catch (const std::exception& e) {
      std::cerr << "portcullisd: following site '" << config_.site_id << "' failed: " << e.what()
                << "; reconnecting\n";
      try {
        connect_and_rebuild();  // views are reset and rebuilt from history
      } catch (const std::exception& again) {
        std::cerr << "portcullisd: reconnecting failed: " << again.what() << '\n';
      }
    }
  }
}

void Sequencer::stop() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Sequencer::enqueue(Work work) {
  if (config_.follower) return false;  // only the owner writes the site's history
  {
    std::lock_guard lock{mutex_};
    if (stopping_ || queue_.size() >= config_.max_queued_submissions) return false;
    queue_.push_back(std::move(work));
    metrics_.queue_depth.set(static_cast<std::int64_t>(queue_.size()));
  }
  wake_.notify_one();
  return true;
}

bool Sequencer::submit(Submission submission) {
  if (config_.refuse_devices_when_tampered && tampered_.load()) {
    // The operator chose to stop online decisions while history is known to be tampered with: doors fall
    // back to their offline rules until the chain_tampered alarm is resolved.
    metrics_.requests_unavailable.add();
    deliver(submission, unavailable("history of this site was tampered with; an operator must resolve the "
                                    "chain_tampered alarm"));
    return true;
  }
  return enqueue(std::move(submission));
}

void Sequencer::report_tampering(std::string check, std::string detail, bool unattested) {
  std::cerr << "portcullisd: " << (unattested ? "UNATTESTED HISTORY" : "HISTORY TAMPERED") << " (site '"
            << config_.site_id << "', " << check << "): " << detail << '\n';
  if (config_.follower) return;  // the owner records it; a follower never writes the chain
  ServerFact fact;
  fact.type = unattested ? kChainUnattestedRecord : kChainTamperedRecord;
  fact.payload_json = json::tamper_finding_json({std::move(check), std::move(detail)});
  {
    std::lock_guard lock{mutex_};
    if (stopping_) return;
    queue_.emplace_back(std::move(fact));  // past the queue's bound on purpose: a finding is never dropped
  }
  wake_.notify_one();
}

ChainHead Sequencer::committed_head() const {
  std::lock_guard lock{heads_mutex_};
  return committed_head_;
}

ChainHead Sequencer::replayed_head() const {
  std::lock_guard lock{heads_mutex_};
  return replayed_head_;
}

void Sequencer::publish_heads() {
  std::lock_guard lock{heads_mutex_};
  committed_head_ = ChainHead{head_seq_, head_hash_};
  if (!started_) replayed_head_ = committed_head_;
}

void Sequencer::note_finding(std::string check, std::string detail) {
  pending_findings_.emplace_back(std::move(check), std::move(detail));
}

void Sequencer::remember_unconfirmed(const std::vector<ledger::EventRecord>& records) {
  for (const auto& record : records) unconfirmed_[record.site_seq] = record.hash;
}

void Sequencer::store_tamper_fact(const ledger::EventRecord& record, LiveUpdate& update) {
  const auto finding = json::tamper_finding_from_json(record.payload);
  if (!finding) return;
  recorded_findings_.insert(finding->detail);
  const auto alarm = tamper_alarm(record.type, config_.site_id, *finding);
  raise_alarms({alarm}, update.at, record.site_seq, update);
}

bool Sequencer::submit(OperatorCommand command) {
  return enqueue(std::move(command));
}

bool Sequencer::submit(EpcisSubmission capture) {
  EpcisInProgress progress;
  progress.capture = std::move(capture);
  return enqueue(std::move(progress));
}

bool Sequencer::submit(RfidSubmission reads) {
  return enqueue(std::move(reads));
}

void Sequencer::remember_epcis(const std::string& event_id, std::string canonical_sha256,
                               std::string result_json, core::Timestamp at) {
  if (!epcis_events_.emplace(event_id, std::pair{std::move(canonical_sha256), std::move(result_json)}).second)
    return;
  epcis_order_.emplace_back(at, event_id);
  // Forgotten at the time of a record, so a replay forgets at the same points as the live server.
  while (!epcis_order_.empty() && (epcis_order_.size() > config_.max_epcis_ids_in_memory ||
                                   at - epcis_order_.front().first >= config_.epcis_ids_in_memory_for)) {
    epcis_events_.erase(epcis_order_.front().second);
    epcis_order_.pop_front();
    epcis_forgot_any_ = true;
  }
  epcis_ids_in_memory_.store(epcis_events_.size());
}

void Sequencer::recall_epcis(const std::vector<CapturedEvent>& events, core::Timestamp at) {
  if (!epcis_forgot_any_) return;  // every eventID ever captured is still in memory
  std::vector<std::string> unknown;
  for (const auto& e : events) {
    if (!epcis_events_.contains(e.event_id) && !epcis_in_flight_.contains(e.event_id))
      unknown.push_back(e.event_id);
  }
  if (unknown.empty()) return;
  const std::unordered_set<std::string> wanted(unknown.begin(), unknown.end());
  for (const auto& payload : storage::find_epcis_captured(db_->connection, config_.site_id, unknown)) {
    if (auto captured = json::epcis_captured_from_json(payload);
        captured && wanted.contains(captured->event_id))
      remember_epcis(captured->event_id, captured->canonical_sha256, captured->result_json, at);
  }
}

void Sequencer::release(EpcisInProgress& capture) {
  for (const auto& id : capture.reserved) epcis_in_flight_.erase(id);
  capture.reserved.clear();
}

void Sequencer::raise_alarms(const std::vector<core::Alarm>& raised, core::Timestamp at,
                             std::int64_t site_seq, LiveUpdate& update) {
  for (std::size_t i = 0; i < raised.size(); ++i)
    update.alarms.push_back(alarms_.raise(raised[i], at, site_seq, i));
}

void Sequencer::open_asset_book(core::Timestamp at) {
  assets_ = std::make_unique<core::AssetBook>(engine_->shared_model(), at);
  assets_opened_at_ = at;
}

void Sequencer::sync_asset_model(core::Timestamp at) {
  // A site reload or an admin edit gave the engine a new model: the asset book follows before its next
  // input, at the same point of the log live and on replay (so new assets start their clocks alike).
  if (assets_ && &assets_->model() != engine_->shared_model().get()) {
    assets_->replace_model(engine_->shared_model(), at);
  }
}

void Sequencer::record(ServerFact fact) {
  {
    std::lock_guard lock{mutex_};
    if (!config_.follower && !stopping_ && queue_.size() < config_.max_queued_submissions) {
      queue_.emplace_back(std::move(fact));
      fact.done = nullptr;
    }
  }
  if (fact.done) return fact.done(false, 0);  // dropped: a caller that waits for it must hear so
  wake_.notify_one();
}

void Sequencer::connect_and_rebuild() {
  // After a failed commit, rows above the head committed before are this instance's own (if the commit did
  // succeed) or someone else's: apply_stored tells them apart with unconfirmed_.
  rebuild_confirmed_seq_ = started_ && !config_.follower ? head_seq_ : 0;
  recorded_findings_.clear();
  pending_findings_.clear();
  db_ = std::make_unique<Database>(config_.database);
  if (!config_.follower) {
    // One instance owns a site at a time; the lock lives as long as this connection. A follower only
    // reads, so it takes no lock.
    // Waits a little: a previous owner that just exited takes a moment to release the lock.
    pqxx::nontransaction tx{db_->connection};
    tx.exec("SET lock_timeout = " + std::to_string(config_.ownership_wait.count()));
    try {
      tx.exec_params("SELECT pg_advisory_lock(hashtext($1))", "portcullis-site:" + config_.site_id);
    } catch (const pqxx::sql_error&) {
      throw std::runtime_error("site '" + config_.site_id + "' is owned by another portcullisd instance");
    }
    tx.exec("SET lock_timeout = 0");
  }
  engine_ = std::make_unique<core::Engine>(initial_model_, pins_);
  if (initial_site_) (void)engine_->load_site(initial_site_, initial_model_);
  {
    std::lock_guard lock{site_mutex_};
    loaded_site_hash_.clear();
    current_site_text_ = initial_site_text_;
  }
  alarms_ = core::AlarmBook{};
  assets_.reset();
  registry_recorded_ = false;
  epcis_events_.clear();
  epcis_in_flight_.clear();
  epcis_order_.clear();
  epcis_forgot_any_ = false;
  if (observer_) observer_->on_reset();
  last_seq_by_device_.clear();
  head_seq_ = 0;
  head_hash_ = {};
  replayed_ = 0;
  bool chain_reported = false;

  storage::EventStore store{db_->connection};
  store.for_each(config_.site_id, 0,
                 [&](const ledger::EventRecord& record) { apply_stored(record, false, chain_reported); });
  // Nothing about assets stored yet: open the book now; the time is recorded with the first asset record.
  if (!assets_) open_asset_book(clock_.now());
  if (observer_) {
    // Live views start from the whole registry (assets never read yet, seals never checked yet).
    LiveUpdate registry;
    registry.type = "assets.registry";
    registry.assets = assets_->assets();
    registry.seals = assets_->seals();
    registry.facts = std::make_shared<const core::LiveFacts>(
        core::live_facts(engine_->model(), engine_->state(), clock_.now()));
    observer_->on_update(registry, false);
  }
  publish_site();
  unconfirmed_.clear();
  rebuild_confirmed_seq_ = 0;
  sealed_seq_.store(std::max(sealed_seq_.load(), head_seq_));
  publish_heads();
  started_ = true;
  store_reachable_.store(true);
  tampered_.store(alarms_.has_open(kChainTamperedAlarm));
  // Findings of the replay, unless the log already records them (a restart finds the same break again).
  auto findings = std::move(pending_findings_);
  pending_findings_.clear();
  for (auto& [check, detail] : findings) {
    if (!recorded_findings_.contains(detail)) report_tampering(std::move(check), std::move(detail));
  }
}

// Applies one stored record to the state, as at start-up (live = false: the views rebuild silently) or
// as a follower tailing the owner's history (live = true: the views publish deltas).
void Sequencer::apply_stored(const ledger::EventRecord& record, bool live, bool& chain_reported) {
  if (!chain_reported &&
      (record.prev_hash != head_hash_ || ledger::chain_hash(head_hash_, record) != record.hash)) {
    chain_reported = true;
    note_finding("chain",
                 "hash chain broken at site_seq " + std::to_string(record.site_seq) +
                     (record.prev_hash != head_hash_ ? ": its prev_hash is not the hash of the row before"
                                                     : ": its stored hash is not the hash of its content") +
                     "; run portcullis-audit verify-chain");
  }
  if (rebuild_confirmed_seq_ > 0 && record.site_seq > rebuild_confirmed_seq_) {
    const auto own = unconfirmed_.find(record.site_seq);
    if (own == unconfirmed_.end() || own->second != record.hash) {
      note_finding("foreign_rows", "site_seq " + std::to_string(record.site_seq) + " (hash " +
                                       hex_of(record.hash) +
                                       ") was written by someone else while this server held the site");
      rebuild_confirmed_seq_ = 0;  // one finding per rebuild: the rows after it follow from it
    }
  }
  LiveUpdate update;
  update.site_seq = record.site_seq;
  update.at = core::from_unix_micros(record.received_us);
  update.type = record.type;
  update.device_id = record.device_id.value_or("");
  if (record.source == ledger::Source::Device && record.device_id && record.device_seq) {
    auto payload = json::payload_from_stored_json(record.payload);
    if (auto* p = std::get_if<core::DevicePayload>(&payload)) {
      core::DeviceEvent event;
      event.device = core::DeviceId{*record.device_id};
      event.seq = *record.device_seq;
      event.device_time = core::from_unix_micros(record.device_time_us.value_or(record.received_us));
      event.received_at = core::from_unix_micros(record.received_us);
      event.payload = std::move(*p);
      auto outcome = engine_->apply(event, event.received_at);
      raise_alarms(outcome.alarms, update.at, record.site_seq, update);
      update.event = std::move(event);
      update.outcome = std::move(outcome);
    }
    auto& last = last_seq_by_device_[*record.device_id];
    last = std::max(last, *record.device_seq);
  } else if (record.source == ledger::Source::Operator && record.type.rfind("policy.", 0) == 0) {
    if (auto stored = json::action_from_stored_json(record.payload)) {
      const auto model_before = engine_->shared_model();
      auto outcome = engine_->apply(stored->action, update.at, stored->actor);
      sync_asset_model(update.at);
      if (engine_->shared_model() != model_before) update.model = engine_->shared_model();
      raise_alarms(outcome.alarms, update.at, record.site_seq, update);
    }
  } else if (record.type == "alarm.acknowledged" || record.type == "alarm.resolved") {
    if (auto change = json::parse_alarm_change_payload(record.payload)) {
      if (record.type == "alarm.acknowledged") {
        alarms_.acknowledge(change->alarm, change->operator_id, change->comment, update.at);
      } else {
        alarms_.resolve(change->alarm, change->operator_id, change->comment, update.at);
      }
      if (const auto* a = alarms_.find(change->alarm)) update.alarms.push_back(*a);
    }
  } else if (record.type == kAssetRegistryOpened) {
    if (!assets_) open_asset_book(json::registry_opened_from_json(record.payload).value_or(update.at));
    registry_recorded_ = true;
  } else if (record.type == kEpcisCaptured) {
    if (auto captured = json::epcis_captured_from_json(record.payload)) {
      remember_epcis(captured->event_id, captured->canonical_sha256, captured->result_json, update.at);
    }
  } else if (record.type == kAssetMovedRecord) {
    if (!assets_) open_asset_book(update.at);
    if (auto movement = json::movement_from_json(record.payload)) {
      auto outcome = assets_->apply_movement(*movement, update.at);
      raise_alarms(outcome.alarms, update.at, record.site_seq, update);
      if (const auto* a = assets_->asset(movement->asset)) update.assets.push_back(*a);
    }
  } else if (record.type == kAssetDeadlinesRecord) {
    if (!assets_) open_asset_book(update.at);
    auto outcome = assets_->tick(update.at);
    raise_alarms(outcome.alarms, update.at, record.site_seq, update);
    collect_alarm_assets(*assets_, outcome.alarms, update);
  } else if (record.type.rfind("asset.", 0) == 0) {  // asset actions, from operators or EPCIS devices
    if (!assets_) open_asset_book(update.at);
    if (auto stored = json::asset_action_from_stored_json(record.payload)) {
      auto outcome = assets_->apply(stored->action, update.at, stored->actor);
      raise_alarms(outcome.alarms, update.at, record.site_seq, update);
      collect_asset_changes(*assets_, stored->action, update);
    }
  } else if (record.type == kDeadlinesRecord) {
    auto outcome = engine_->tick(update.at);
    raise_alarms(outcome.alarms, update.at, record.site_seq, update);
    update.outcome = std::move(outcome);
  } else if (record.type == "alarm.escalated") {
    if (auto change = json::parse_alarm_change_payload(record.payload)) {
      alarms_.mark_escalated(change->alarm);
      if (const auto* a = alarms_.find(change->alarm)) update.alarms.push_back(*a);
    }
  }
  if (record.type == "site.loaded") {
    replay_site_load(record.payload, update);
    sync_asset_model(update.at);
  }
  if (is_tamper_record(record.type)) store_tamper_fact(record, update);
  if (observer_ && live) {  // a follower: its views follow the owner's engine record by record
    update.facts = std::make_shared<const core::LiveFacts>(
        core::live_facts(engine_->model(), engine_->state(), update.at));
  }
  if (observer_) observer_->on_update(update, live);
  head_seq_ = record.site_seq;
  head_hash_ = record.hash;
  ++replayed_;
}

void Sequencer::replay_site_load(const std::string& payload, LiveUpdate& update) {
  const auto hash = json::site_loaded_hash(payload);
  if (!hash) return;
  {
    std::lock_guard lock{site_mutex_};
    loaded_site_hash_ = *hash;
  }
  std::shared_ptr<const core::SiteDefinition> site;
  std::string text;
  if (*hash == initial_site_hash_ && initial_site_) {
    site = initial_site_;
    text = initial_site_text_;
  } else {
    // A separate connection: the replay's own one is busy streaming the log.
    pqxx::connection lookup{config_.database};
    const auto read = storage::read_site_version(lookup, config_.site_id, *hash);
    if (read.status == storage::SiteVersionRead::Status::Missing) {
      note_finding("site_version", "site version " + *hash +
                                       " named by the log is not in site_versions; replayed with the "
                                       "previous model");
      return;
    }
    if (read.status == storage::SiteVersionRead::Status::ContentMismatch) {
      // Not what the server stored: a row planted (the application role may INSERT) or edited. Never run it.
      note_finding("site_version", "the site_versions row named " + *hash + " holds content hashing to " +
                                       read.content_hash_hex + ": refused, replayed with the previous model");
      return;
    }
    const auto* content = &read.content;
    auto parsed = site_file::parse_site_json(*content);
    if (!parsed.problems.empty()) {
      std::cerr << "portcullisd: WARNING: stored site version " << *hash << " no longer validates ("
                << parsed.problems.front().json_path << ": " << parsed.problems.front().message
                << "); replaying with the previous model\n";
      return;
    }
    site = std::make_shared<const core::SiteDefinition>(std::move(parsed.definition));
    text = *content;
  }
  {
    std::lock_guard lock{site_mutex_};
    current_site_text_ = std::move(text);
  }
  if (site == initial_site_ && engine_->effective_definition() != nullptr &&
      engine_->shared_model() == initial_model_ && engine_->state().admin.empty())
    return;  // already in force (the first load of a fresh engine)
  const auto problems = engine_->load_site(site);
  if (!problems.empty()) {
    std::cerr << "portcullisd: WARNING: replaying site.loaded " << *hash
              << " failed: " << problems.front().json_path << ": " << problems.front().message << '\n';
    return;
  }
  update.model = engine_->shared_model();
}

std::string Sequencer::current_site_text() const {
  std::lock_guard lock{site_mutex_};
  return current_site_text_;
}

std::string Sequencer::loaded_site_hash() const {
  std::lock_guard lock{site_mutex_};
  return loaded_site_hash_;
}

std::shared_ptr<const core::SiteModel> Sequencer::current_model() const {
  std::lock_guard lock{site_mutex_};
  return current_model_ ? current_model_ : initial_model_;
}

std::shared_ptr<const core::SiteDefinition> Sequencer::current_site() const {
  std::lock_guard lock{site_mutex_};
  return current_site_ ? current_site_ : initial_site_;
}

void Sequencer::publish_site() {
  std::lock_guard lock{site_mutex_};
  current_model_ = engine_->shared_model();
  current_site_ = engine_->effective_definition();
}

void Sequencer::run() {
  std::deque<Work> batch;
  for (;;) {
    {
      std::unique_lock lock{mutex_};
      wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      if (queue_.empty()) {
        lock.unlock();
        run_periodic_duties();
        continue;
      }
      // Take everything waiting, up to the commit size: this is the group commit.
      std::size_t events = 0;
      while (!queue_.empty() && events < config_.max_events_per_commit) {
        if (auto* s = std::get_if<Submission>(&queue_.front()))
          events += s->events.size();
        else if (auto* r = std::get_if<RfidSubmission>(&queue_.front()))
          events += 1 + r->reads.size() / 16;  // most reads store nothing
        else if (auto* c = std::get_if<EpcisInProgress>(&queue_.front()))
          events += std::min(c->capture.events.size() - c->next, config_.max_epcis_events_per_commit);
        else
          ++events;
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      metrics_.queue_depth.set(static_cast<std::int64_t>(queue_.size()));
    }
    process(batch);
    batch.clear();
    // Under sustained load the queue is never empty: deadlines still run once a second.
    run_periodic_duties();
  }
}

void Sequencer::run_periodic_duties() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_periodic_ < std::chrono::seconds(1)) return;
  last_periodic_ = now;
  std::deque<Work> tick;
  tick.emplace_back(DeadlineTick{});
  process(tick);
  escalate_overdue_alarms();
}

// Answers every piece of work whose records were not stored: 503 (devices retry; a retry of an event that did
// commit is answered from history).
void Sequencer::refuse_unstored(std::deque<Work>& works) {
  for (auto& work : works) {
    if (auto* s = std::get_if<Submission>(&work)) {
      metrics_.requests_unavailable.add();
      deliver(*s, unavailable("the event store is unavailable; retry"));
    } else if (auto* c = std::get_if<OperatorCommand>(&work)) {
      if (c->done) c->done(CommandResult{503, "server", "the event store is unavailable; retry", "", ""});
    } else if (auto* f = std::get_if<ServerFact>(&work)) {
      if (f->done) f->done(false, 0);
    } else if (auto* progress = std::get_if<EpcisInProgress>(&work)) {
      // Slices committed before stay stored: a retry finds them as duplicates and applies the rest.
      EpcisResult failed;
      failed.status = EpcisResult::Status::Unavailable;
      failed.error_message = "the event store is unavailable; retry";
      if (progress->capture.done) progress->capture.done(std::move(failed));
    } else if (auto* r = std::get_if<RfidSubmission>(&work)) {
      RfidResult failed;
      failed.stored = false;
      failed.error_message = "the event store is unavailable; retry";
      if (r->done) r->done(std::move(failed));
    }
  }
}

void Sequencer::process(std::deque<Work>& batch) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<ledger::EventRecord> records;
  std::vector<storage::SiteVersion> site_versions;  // stored with their site.loaded records
  bool site_changed = false;
  std::vector<LiveUpdate> updates;  // parallel to records
  std::vector<std::pair<Submission*, SubmissionResult>> answered;
  std::vector<std::pair<OperatorCommand*, CommandResult>> commands_answered;
  std::vector<std::pair<ServerFact*, std::int64_t>> facts_stored;  // those that wait to hear
  std::vector<std::pair<RfidSubmission*, RfidResult>> rfid_answered;
  std::vector<std::pair<EpcisInProgress*, EpcisResult>> epcis_answered;
  std::unordered_map<std::string, std::size_t> in_batch;  // device/seq -> index in records
  auto head_hash = head_hash_;
  auto head_seq = head_seq_;
  std::int64_t received_us = std::max(core::to_unix_micros(clock_.now()), 0L);

  auto seal_one = [&](ledger::EventRecord& record) {
    record.site_id = config_.site_id;
    record.site_seq = ++head_seq;
    record.received_us = received_us;
    head_hash = ledger::seal(record, head_hash);
    LiveUpdate update;
    update.site_seq = record.site_seq;
    update.at = core::from_unix_micros(received_us);
    update.type = record.type;
    update.device_id = record.device_id.value_or("");
    updates.push_back(std::move(update));
  };
  auto seal_next = [&](ledger::EventRecord& record) {
    // The first asset record of this site's log is preceded by the time its asset book was opened, so a
    // replay starts the missing-asset clocks at the same instant.
    if (!registry_recorded_ && (record.type.rfind("asset.", 0) == 0 || record.type == kEpcisCaptured)) {
      registry_recorded_ = true;
      ledger::EventRecord opened;
      opened.source = ledger::Source::Server;
      opened.type = kAssetRegistryOpened;
      opened.payload = json::registry_opened_json(assets_opened_at_);
      opened.outcome = "{}";
      seal_one(opened);
      records.push_back(std::move(opened));
    }
    seal_one(record);
  };
  // A change of location the asset book reported: its own record, replayed with apply_movement(). Derived by
  // the server from the device's reads (which carry no sequence numbers), so its source is the server and
  // device_id names the reader's device.
  auto store_movement = [&](const core::Observation& observation, const core::DeviceId& device,
                            core::Timestamp at) {
    ledger::EventRecord record;
    record.source = ledger::Source::Server;
    record.device_id = device.str();
    record.type = kAssetMovedRecord;
    record.payload = json::movement_json(*observation.movement);
    record.outcome = json::asset_outcome_json(observation.outcome);
    seal_next(record);
    raise_alarms(observation.outcome.alarms, at, record.site_seq, updates.back());
    if (const auto* a = assets_->asset(observation.movement->asset)) updates.back().assets.push_back(*a);
    records.push_back(std::move(record));
  };

  try {
    for (auto& work : batch) {
      if (auto* command = std::get_if<OperatorCommand>(&work);
          command != nullptr && command->kind == OperatorCommand::Kind::PolicyAction && command->action) {
        // Applied and refused actions alike are recorded: a refused self-approval is audit evidence too.
        const auto at = core::from_unix_micros(received_us);
        if (!command->second_approver) {
          // Decided here, at the change's point of the log, so nothing can slip in between check and apply.
          if (auto held = core::widening_of(*engine_, *command->action, at, command->actor); held.widens()) {
            commands_answered.emplace_back(command, needs_second_approver(held));
            continue;
          }
        }
        const auto model_before = engine_->shared_model();
        const auto outcome = engine_->apply(*command->action, at, command->actor);
        sync_asset_model(at);
        const bool admin_edit = std::holds_alternative<core::AdminChange>(*command->action);
        ledger::EventRecord record;
        record.source = ledger::Source::Operator;
        record.type = std::string("policy.") + core::type_name(*command->action);
        record.payload = admin_edit ? json::stored_admin_action_json(*command->action, command->actor,
                                                                     engine_->last_admin_report())
                                    : json::stored_action_json(*command->action, command->actor);
        record.outcome = json::outcome_json(outcome);
        seal_next(record);
        if (engine_->shared_model() != model_before) {
          updates.back().model = engine_->shared_model();
          site_changed = true;
        }
        raise_alarms(outcome.alarms, at, record.site_seq, updates.back());
        CommandResult result;
        if (admin_edit) {
          // Admin edits answer with the engine's report: what was refused and why (by field), or
          // before/after.
          const auto& report = engine_->last_admin_report();
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
        } else if (outcome.decision && outcome.decision->verdict == core::Verdict::Deny) {
          result.status = 409;
          result.field = "action";
          result.message = std::string(core::to_string(outcome.decision->reason));
        } else {
          result.body_json = record.outcome;
        }
        records.push_back(std::move(record));
        commands_answered.emplace_back(command, std::move(result));
        continue;
      }
      if (auto* command = std::get_if<OperatorCommand>(&work);
          command != nullptr && command->kind == OperatorCommand::Kind::LoadSite) {
        // A site reload at this point of the log: the admin edits are laid over the new file; a file that
        // does not validate with them changes nothing (and is not recorded).
        const auto before = engine_->effective_definition();
        const auto previous_hash = loaded_site_hash();
        if (!command->second_approver && command->site) {
          if (auto held = core::widening_of_site_load(*engine_, *command->site); held.widens()) {
            commands_answered.emplace_back(command, needs_second_approver(held));
            continue;
          }
        }
        CommandResult result;
        auto problems =
            command->site ? engine_->load_site(command->site) : core::Problems{{"$", "no site definition"}};
        if (!problems.empty()) {
          result.status = 422;
          result.field = problems.front().json_path;
          result.message = problems.front().message;
          result.detail_json = json::problems_json(problems);
          commands_answered.emplace_back(command, std::move(result));
          continue;
        }
        sync_asset_model(core::from_unix_micros(received_us));
        ledger::EventRecord record;
        record.source = ledger::Source::Operator;
        record.type = "site.loaded";
        record.payload = json::site_loaded_payload(
            command->operator_id, command->site->version, command->site_hash, previous_hash,
            json::site_change_summary_json(before.get(), *engine_->effective_definition()));
        record.outcome = "{}";
        seal_next(record);
        updates.back().model = engine_->shared_model();
        storage::SiteVersion version;
        version.site_id = config_.site_id;
        version.content_hash_hex = command->site_hash;
        version.version = command->site->version;
        version.content = command->site_text;
        version.loaded_us = received_us;
        version.loaded_by = command->operator_id;
        site_versions.push_back(std::move(version));
        {
          std::lock_guard lock{site_mutex_};
          loaded_site_hash_ = command->site_hash;
          current_site_text_ = command->site_text;
        }
        site_changed = true;
        result.body_json = record.payload;
        records.push_back(std::move(record));
        commands_answered.emplace_back(command, std::move(result));
        continue;
      }
      if (auto* command = std::get_if<OperatorCommand>(&work);
          command != nullptr && command->kind == OperatorCommand::Kind::AssetQuery) {
        CommandResult result;
        result.body_json = command->asset_query
                               ? command->asset_query(*assets_, core::from_unix_micros(received_us))
                               : std::string{};
        if (result.body_json.empty()) result = CommandResult{404, "id", "unknown", "", ""};
        commands_answered.emplace_back(command, std::move(result));
        continue;
      }
      if (auto* command = std::get_if<OperatorCommand>(&work);
          command != nullptr && command->kind == OperatorCommand::Kind::AssetAction &&
          command->asset_action) {
        // Applied and refused alike are recorded, as for policy actions.
        const auto at = core::from_unix_micros(received_us);
        const auto outcome = assets_->apply(*command->asset_action, at, command->actor);
        ledger::EventRecord record;
        record.source = ledger::Source::Operator;
        record.type = std::string("asset.") + core::type_name(*command->asset_action);
        record.payload = json::stored_asset_action_json(*command->asset_action, command->actor);
        record.outcome = json::asset_outcome_json(outcome);
        seal_next(record);
        raise_alarms(outcome.alarms, at, record.site_seq, updates.back());
        collect_asset_changes(*assets_, *command->asset_action, updates.back());
        CommandResult result;
        if (outcome.decision && outcome.decision->verdict == core::Verdict::Deny) {
          result.status = 409;
          result.field = "action";
          result.message = std::string(core::to_string(outcome.decision->reason)) +
                           (outcome.detail.empty() ? "" : ": " + outcome.detail);
        } else {
          result.body_json = record.outcome;
        }
        records.push_back(std::move(record));
        commands_answered.emplace_back(command, std::move(result));
        continue;
      }
      if (auto* reads = std::get_if<RfidSubmission>(&work)) {
        const auto at = core::from_unix_micros(received_us);
        RfidResult result;
        result.reads = reads->reads.size();
        for (const auto& read : reads->reads) {
          auto observation = assets_->observe(read, at);
          switch (observation.result) {
            case core::ReadResult::Duplicate: ++result.duplicates; break;
            case core::ReadResult::UnknownEpc:
            case core::ReadResult::UnknownReader: ++result.unknown; break;
            default: break;
          }
          if (observation.movement) {
            store_movement(observation, read.device, at);
            ++result.movements;
          }
        }
        rfid_answered.emplace_back(reads, std::move(result));
        continue;
      }
      if (auto* progress = std::get_if<EpcisInProgress>(&work)) {
        const auto* capture = &progress->capture;
        const auto at = core::from_unix_micros(received_us);
        EpcisResult result;
        if (!progress->checked) {
          recall_epcis(capture->events, at);  // eventIDs captured long ago are in the database only
          // All or nothing: an eventID seen before (or earlier in this capture) with other content refuses
          // it.
          std::unordered_map<std::string, std::string> in_capture;
          for (const auto& e : capture->events) {
            auto known = epcis_events_.find(e.event_id);
            auto [it, fresh] = in_capture.emplace(e.event_id, e.canonical_sha256);
            if ((known != epcis_events_.end() && known->second.first != e.canonical_sha256) ||
                (!fresh && it->second != e.canonical_sha256)) {
              result.status = EpcisResult::Status::Conflict;
              result.error_field = e.path + ".eventID";
              result.error_message = "eventID " + e.event_id + " was captured before with different content";
              break;
            }
            if (epcis_in_flight_.contains(e.event_id)) {
              result.status = EpcisResult::Status::Unavailable;
              result.error_field = e.path + ".eventID";
              result.error_message = "eventID " + e.event_id + " is being stored by another capture; retry";
              break;
            }
          }
          if (result.status != EpcisResult::Status::Stored) {
            epcis_answered.emplace_back(progress, std::move(result));
            continue;
          }
          progress->checked = true;
          for (const auto& e : capture->events) {
            if (!epcis_events_.contains(e.event_id) && epcis_in_flight_.insert(e.event_id).second)
              progress->reserved.push_back(e.event_id);
          }
        }
        const core::Actor device_actor{core::OperatorId{"device:" + capture->device.str()}, {}, false};
        const auto slice_end =
            std::min(capture->events.size(), progress->next + config_.max_epcis_events_per_commit);
        for (std::size_t i = progress->next; i < slice_end; ++i) {
          const auto& e = capture->events[i];
          CapturedAnswer answer{e.event_id, e.path, {}, false};
          if (auto known = epcis_events_.find(e.event_id); known != epcis_events_.end()) {
            answer.result_json = known->second.second;
            answer.duplicate = true;
            progress->answers.push_back(std::move(answer));
            continue;
          }
          json::EpcisEventResult r;
          r.event_id = e.event_id;
          r.effect = e.effect;
          r.status = e.effect == "not_applied" ? "not_applied" : "applied";
          r.reason = e.not_applied_reason;
          for (const auto& read : e.observations) {
            auto observation = assets_->observe(read, at);
            ++r.observations;
            if (observation.movement) {
              store_movement(observation, capture->device, at);
              ++r.movements;
            }
          }
          for (std::size_t k = 0; k < e.actions.size(); ++k) {
            auto action = e.actions[k];
            if (auto* destroy = std::get_if<core::RecordDestruction>(&action);
                destroy != nullptr && destroy->asset.empty() && k < e.action_epcs.size()) {
              const auto* known = assets_->asset_by_epc(e.action_epcs[k]);
              if (known == nullptr) {
                r.status = "refused";
                r.reason = "unknown_epc: " + e.action_epcs[k];
                continue;
              }
              destroy->asset = known->def.id;
            }
            const auto outcome = assets_->apply(action, at, device_actor);
            ledger::EventRecord record;
            record.source = ledger::Source::Server;
            record.device_id = capture->device.str();
            record.type = std::string("asset.") + core::type_name(action);
            record.payload = json::stored_asset_action_json(action, device_actor);
            record.outcome = json::asset_outcome_json(outcome);
            seal_next(record);
            raise_alarms(outcome.alarms, at, record.site_seq, updates.back());
            collect_asset_changes(*assets_, action, updates.back());
            records.push_back(std::move(record));
            if (outcome.decision && outcome.decision->verdict == core::Verdict::Deny &&
                r.status != "refused") {
              r.status = "refused";
              r.reason = std::string(core::to_string(outcome.decision->reason)) +
                         (outcome.detail.empty() ? "" : ": " + outcome.detail);
            }
          }
          answer.result_json = json::epcis_result_json(r);
          ledger::EventRecord record;
          record.source = ledger::Source::Server;
          record.device_id = capture->device.str();
          record.type = kEpcisCaptured;
          record.payload =
              json::epcis_captured_json({e.event_id, e.canonical_sha256, e.path, answer.result_json});
          record.outcome = "{}";
          seal_next(record);
          records.push_back(std::move(record));
          remember_epcis(e.event_id, e.canonical_sha256, answer.result_json, at);
          progress->answers.push_back(std::move(answer));
        }
        progress->next = slice_end;
        epcis_answered.emplace_back(progress, std::move(result));  // answers gathered after the last slice
        continue;
      }
      if (auto* command = std::get_if<OperatorCommand>(&work)) {
        const bool acknowledge = command->kind == OperatorCommand::Kind::AcknowledgeAlarm;
        const auto check = acknowledge ? alarms_.can_acknowledge(command->target, command->comment)
                                       : alarms_.can_resolve(command->target, command->comment);
        CommandResult result;
        if (check != core::AlarmChange::Done) {
          result.status = check == core::AlarmChange::UnknownAlarm      ? 404
                          : check == core::AlarmChange::CommentRequired ? 400
                                                                        : 409;
          result.field = check == core::AlarmChange::CommentRequired ? "comment" : "alarm";
          result.message = std::string(core::to_string(check));
          commands_answered.emplace_back(command, std::move(result));
          continue;
        }
        ledger::EventRecord record;
        record.source = ledger::Source::Operator;
        record.type = acknowledge ? "alarm.acknowledged" : "alarm.resolved";
        record.payload =
            json::alarm_change_payload({command->target, command->operator_id, command->comment});
        record.outcome = "{}";
        seal_next(record);
        const auto at = core::from_unix_micros(received_us);
        if (acknowledge)
          alarms_.acknowledge(command->target, command->operator_id, command->comment, at);
        else
          alarms_.resolve(command->target, command->operator_id, command->comment, at);
        const auto* alarm = alarms_.find(command->target);
        updates.back().alarms.push_back(*alarm);
        result.body_json = json::alarm_json(*alarm);
        records.push_back(std::move(record));
        commands_answered.emplace_back(command, std::move(result));
        continue;
      }
      if (std::holds_alternative<DeadlineTick>(work)) {
        const auto at = core::from_unix_micros(received_us);
        if (auto due = assets_->tick(at); !due.alarms.empty()) {
          ledger::EventRecord record;
          record.source = ledger::Source::Server;
          record.type = kAssetDeadlinesRecord;
          record.payload = "{}";
          record.outcome = json::asset_outcome_json(due);
          seal_next(record);
          raise_alarms(due.alarms, at, record.site_seq, updates.back());
          collect_alarm_assets(*assets_, due.alarms, updates.back());
          records.push_back(std::move(record));
        }
        auto outcome = engine_->tick(at);
        if (outcome.alarms.empty()) continue;  // nothing to replay: the next input re-derives the same state
        ledger::EventRecord record;
        record.source = ledger::Source::Server;
        record.type = kDeadlinesRecord;
        record.payload = "{}";
        record.outcome = json::outcome_json(outcome);
        seal_next(record);
        raise_alarms(outcome.alarms, at, record.site_seq, updates.back());
        updates.back().outcome = std::move(outcome);
        records.push_back(std::move(record));
        continue;
      }
      if (auto* fact = std::get_if<ServerFact>(&work)) {
        if (is_tamper_record(fact->type)) {
          const auto finding = json::tamper_finding_from_json(fact->payload_json);
          if (!finding || recorded_findings_.contains(finding->detail)) continue;  // recorded once
        }
        if (fact->decide)
          fact->decide(engine_->model(), engine_->state(), core::from_unix_micros(received_us), *fact);
        ledger::EventRecord record;
        record.source = fact->by_operator ? ledger::Source::Operator : ledger::Source::Server;
        if (!fact->device_id.empty()) record.device_id = fact->device_id;
        record.type = fact->type;
        record.payload = fact->payload_json;
        record.outcome = "{}";
        seal_next(record);
        if (fact->done) facts_stored.emplace_back(fact, record.site_seq);
        if (is_tamper_record(record.type)) {
          const auto finding = json::tamper_finding_from_json(record.payload);
          core::Outcome outcome;
          outcome.alarms.push_back(tamper_alarm(record.type, config_.site_id, *finding));
          record.outcome = json::outcome_json(outcome);  // auditors' alarm reports list it
          store_tamper_fact(record, updates.back());
        }
        if (record.type == "alarm.escalated") {
          if (auto change = json::parse_alarm_change_payload(record.payload)) {
            if (const auto* a = alarms_.find(change->alarm)) updates.back().alarms.push_back(*a);
          }
        }
        records.push_back(std::move(record));
        continue;
      }
      auto& submission = std::get<Submission>(work);
      SubmissionResult result;

      // First pass: classify every event, so a bad one rejects the whole request and changes nothing.
      enum class Kind { New, DuplicateInBatch, DuplicateStored };
      std::vector<Kind> kinds;
      std::vector<std::optional<ledger::EventRecord>> stored;
      std::unordered_map<std::string, std::int64_t> local_last;
      std::unordered_set<std::string> new_in_submission;
      for (std::size_t i = 0; i < submission.events.size() && result.error_field.empty(); ++i) {
        const auto& event = submission.events[i];
        const auto& device = event.device.str();
        auto it = local_last.find(device);
        const std::int64_t last = it != local_last.end() ? it->second : [&] {
          auto found = last_seq_by_device_.find(device);
          return found == last_seq_by_device_.end() ? std::int64_t{0} : found->second;
        }();
        stored.emplace_back();
        if (event.seq > last) {
          local_last[device] = event.seq;
          new_in_submission.insert(key_of(device, event.seq));
          kinds.push_back(Kind::New);
        } else if (in_batch.count(key_of(device, event.seq)) ||
                   new_in_submission.count(key_of(device, event.seq))) {
          kinds.push_back(Kind::DuplicateInBatch);
        } else if (auto record = storage::EventStore{db_->connection}.find_device_event(device, event.seq)) {
          stored.back() = std::move(record);
          kinds.push_back(Kind::DuplicateStored);
        } else {
          result.status = SubmissionResult::Status::Rejected;
          result.error_field = submission.batch ? "events[" + std::to_string(i) + "].seq" : "seq";
          result.error_message = "seq " + std::to_string(event.seq) +
                                 " goes backwards: the last stored seq of " + device + " is " +
                                 std::to_string(last) + " and this one was never stored";
        }
      }
      if (result.status == SubmissionResult::Status::Rejected) {
        metrics_.events_rejected.add(submission.events.size());
        answered.emplace_back(&submission, std::move(result));
        continue;
      }

      // Second pass: decide and chain the new events, in order.
      for (std::size_t i = 0; i < submission.events.size(); ++i) {
        auto& event = submission.events[i];
        const auto& device = event.device.str();
        EventAnswer answer;
        answer.device_id = device;
        answer.device_seq = event.seq;
        if (kinds[i] == Kind::New) {
          event.received_at = core::from_unix_micros(received_us);
          const auto outcome = engine_->apply(event, event.received_at);
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
          seal_next(record);
          raise_alarms(outcome.alarms, updates.back().at, record.site_seq, updates.back());
          updates.back().event = event;
          updates.back().outcome = outcome;
          answer.status = EventAnswer::Status::Stored;
          answer.site_seq = record.site_seq;
          answer.outcome_json = record.outcome;
          in_batch[key_of(device, event.seq)] = records.size();
          last_seq_by_device_[device] = event.seq;
          records.push_back(std::move(record));
          if (const auto* read = std::get_if<core::RfidRead>(&event.payload)) {
            // Also a read for the asset book; a change of location is its own record, replayed as such.
            core::RfidObservation observation{
                event.device, read->reader, read->epc, std::max(read->count, 1U), {}, {}};
            auto observed = assets_->observe(observation, event.received_at);
            if (observed.movement) store_movement(observed, event.device, event.received_at);
          }
        } else if (kinds[i] == Kind::DuplicateInBatch) {
          const auto& original = records[in_batch.at(key_of(device, event.seq))];
          answer.status = EventAnswer::Status::Duplicate;
          answer.site_seq = original.site_seq;
          answer.outcome_json = original.outcome;
        } else {
          answer.status = EventAnswer::Status::Duplicate;
          answer.site_seq = stored[i]->site_seq;
          answer.outcome_json = stored[i]->outcome;
        }
        result.answers.push_back(std::move(answer));
      }
      answered.emplace_back(&submission, std::move(result));
    }

    if (!records.empty()) {
      sealed_seq_.store(head_seq);  // before the rows can be seen: a row above it is someone else's
      const auto commit_started = std::chrono::steady_clock::now();
      if (site_versions.empty()) {
        // The usual group: one COPY in autocommit is one transaction, durable when PostgreSQL reports it
        // complete; two round trips fewer than BEGIN ... COMMIT on the sequencer's critical path.
        pqxx::nontransaction tx{db_->connection};
        storage::EventStore::append(tx, records);
        tx.commit();
      } else {
        pqxx::work tx{db_->connection};
        for (const auto& version : site_versions) storage::store_site_version(tx, version);
        storage::EventStore::append(tx, records);
        tx.commit();
      }
      metrics_.commits.add();
      metrics_.batch_size.observe(static_cast<double>(records.size()));
      metrics_.commit_seconds.observe(seconds_since(commit_started));
    }
  } catch (const std::exception& e) {
    // Nothing of this batch is known to be stored: answer 503 (devices retry; a retry of an event that
    // did commit is answered from history) and rebuild state from what the database really holds.
    metrics_.commit_failures.add();
    store_reachable_.store(false);  // until connect_and_rebuild below succeeds
    std::cerr << "portcullisd: storing a batch failed: " << e.what() << '\n';
    remember_unconfirmed(records);
    // One record PostgreSQL refuses (a value it cannot store) must not fail everyone else's commit: when the
    // database answered with an SQL error and more than one request shared the commit, each is decided and
    // committed again on its own once state is rebuilt, so only the one that fails again is refused. A lost
    // connection fails them all at once instead (a quick 503: devices keep their events and retry). An
    // EPCIS capture in progress is answered 503 as before: the client's retry resumes its slices.
    const bool isolate = batch.size() > 1 && dynamic_cast<const pqxx::sql_error*>(&e) != nullptr;
    std::deque<Work> alone;
    std::deque<Work> refused;
    for (auto& work : batch) {
      (isolate && !std::holds_alternative<EpcisInProgress>(work) ? alone : refused)
          .push_back(std::move(work));
    }
    refuse_unstored(refused);
    for (int attempt = 0;; ++attempt) {
      try {
        connect_and_rebuild();
        break;
      } catch (const std::exception& again) {
        std::cerr << "portcullisd: reconnecting to the event store failed: " << again.what() << '\n';
        {
          std::lock_guard lock{mutex_};
          if (stopping_) {
            refuse_unstored(alone);
            return;
          }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(100 * (attempt + 1), 2000)));
      }
    }
    for (auto& work : alone) {
      std::deque<Work> one;
      one.push_back(std::move(work));
      process(one);  // a single request: if it fails again, it alone is refused
    }
    return;
  }

  head_seq_ = head_seq;
  head_hash_ = head_hash;
  if (!records.empty()) {
    publish_heads();
    tampered_.store(alarms_.has_open(kChainTamperedAlarm));
  }
  if (site_changed) publish_site();
  if (observer_) {
    if (!updates.empty()) {
      updates.back().facts = std::make_shared<const core::LiveFacts>(
          core::live_facts(engine_->model(), engine_->state(), core::from_unix_micros(received_us)));
    }
    for (const auto& update : updates) observer_->on_update(update, true);
  }
  for (auto& [command, result] : commands_answered) {
    if (command->done) command->done(std::move(result));
  }
  for (auto& [fact, seq] : facts_stored) fact->done(true, seq);
  for (auto& [reads, result] : rfid_answered) {
    if (reads->done) reads->done(std::move(result));
  }
  std::deque<Work> next_slices;
  for (auto& [progress, result] : epcis_answered) {
    if (result.status == EpcisResult::Status::Stored && progress->next < progress->capture.events.size()) {
      next_slices.emplace_back(std::move(*progress));  // behind whatever else waits: doors go first
      continue;
    }
    release(*progress);
    if (result.status == EpcisResult::Status::Stored) result.answers = std::move(progress->answers);
    if (progress->capture.done) progress->capture.done(std::move(result));
  }
  if (!next_slices.empty()) {
    std::lock_guard lock{mutex_};  // past the queue's bound on purpose: an accepted capture is never dropped
    for (auto& slice : next_slices) queue_.push_back(std::move(slice));
  }

  const double elapsed = seconds_since(started);
  for (auto& [submission, result] : answered) {
    for (const auto& a : result.answers) {
      if (a.status == EventAnswer::Status::Stored)
        metrics_.events_accepted.add();
      else
        metrics_.events_duplicate.add();
    }
    metrics_.ingest_seconds.observe(elapsed);
    deliver(*submission, std::move(result));
  }
}

void Sequencer::escalate_overdue_alarms() {
  const auto now = clock_.now();
  const auto due = alarms_.due_for_escalation(now, config_.escalate_after);
  if (due.empty()) return;
  std::deque<Work> batch;
  for (const auto& id : due) {
    alarms_.mark_escalated(id);
    ServerFact fact;
    fact.type = "alarm.escalated";
    fact.payload_json =
        json::alarm_change_payload({id, "portcullisd", "not acknowledged in time: escalated to supervisors"});
    batch.emplace_back(std::move(fact));
  }
  process(batch);
}

}  // namespace portcullis::ingest
