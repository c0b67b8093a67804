#include "portcullis/ingest/sequencer.hpp"

#include <chrono>

#include "families/record_family.hpp"
#include "families/write_context.hpp"
#include "portcullis/ingest/record_types.hpp"
#include "portcullis/ledger/event_record.hpp"
#include "portcullis/ledger/records/alarm_record.hpp"
#include "portcullis/ledger/records/tamper_record.hpp"
#include "portcullis/logging/log.hpp"
#include "portcullis/storage/sequencer_store.hpp"
#include "portcullis/storage/snapshot_store.hpp"
#include "snapshots/engine_snapshots.hpp"
#include "snapshots/snapshot_writer.hpp"

namespace portcullis::ingest {
namespace {

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
    logging::error("ingest", "answering a submission failed", {{"error", e.what()}});
  }
}

// The families' look-ups, on whichever connection the sequencer holds now (a rebuild opens a new one).
class StoreForFamilies final : public FamilyStore {
 public:
  explicit StoreForFamilies(const std::unique_ptr<storage::SequencerStore>& store) : store_(store) {}
  std::optional<ledger::EventRecord> find_device_event(const std::string& device_id,
                                                       std::int64_t seq) override {
    return store_->find_device_event(device_id, seq);
  }
  std::vector<std::string> find_epcis_captured(const std::vector<std::string>& event_ids) override {
    return store_->find_epcis_captured(event_ids);
  }
  storage::SiteVersionRead read_site_version(const std::string& content_hash_hex) override {
    return store_->read_site_version(content_hash_hex);
  }

 private:
  const std::unique_ptr<storage::SequencerStore>& store_;
};

}  // namespace

Sequencer::Sequencer(SequencerConfig config, std::shared_ptr<const core::SiteModel> model,
                     const core::Clock& clock, metrics::ServerMetrics& metrics,
                     std::shared_ptr<const core::PinVerifier> pins)
    : config_(std::move(config)),
      role_(config_.follower ? Role::Following : Role::Owning),
      clock_(clock),
      metrics_(metrics),
      family_store_(std::make_unique<StoreForFamilies>(store_)),
      context_(std::make_unique<WriteContext>(config_, std::move(model), std::move(pins))),
      families_(std::make_unique<RecordFamilies>()) {
  context_->store = family_store_.get();
}

Sequencer::~Sequencer() {
  stop();
}

void Sequencer::set_initial_site(std::shared_ptr<const core::SiteDefinition> definition,
                                 std::string content_hash, std::string text) {
  context_->initial_site = std::move(definition);
  context_->initial_site_hash = std::move(content_hash);
  context_->initial_site_text = std::move(text);
}

void Sequencer::start() {
  // A follower on stand-by gets its writer too: it writes only once it owns the site (maybe_snapshot).
  if ((!config_.follower || config_.take_over) && config_.snapshots.write) {
    snapshot_writer_ = std::make_unique<SnapshotWriter>(
        storage::SnapshotStore{config_.database, config_.site_id, config_.snapshots.key},
        config_.snapshots.keep, metrics_);
  }
  connect_and_rebuild();
  thread_ = std::thread([this] {
    if (role_.load() == Role::Following && !follow()) return;
    run();
  });
}

bool Sequencer::follow() {
  for (;;) {
    {
      std::unique_lock lock{mutex_};
      wake_.wait_for(lock, config_.follow_interval, [this] { return stopping_; });
      if (stopping_) return false;
    }
    try {
      const auto model_before = context_->engine->shared_model();
      bool chain_reported = false;
      store_->for_each(
          head_seq_, [&](const ledger::EventRecord& record) { apply_stored(record, true, chain_reported); });
      if (context_->engine->shared_model() != model_before) publish_site();
      publish_heads();
      tampered_.store(context_->alarms.has_open(kChainTamperedAlarm));
      if (try_take_over()) return true;  // the owner's session ended: this instance owns the site now
    } catch (const std::exception& e) {
      role_.store(Role::Following);  // a takeover cut short: the lock goes with the connection replaced below
      logging::error("ingest", "following the site failed; reconnecting",
                     {{"site_id", config_.site_id}, {"error", e.what()}});
      try {
        connect_and_rebuild();  // views are reset and rebuilt from history
      } catch (const std::exception& again) {
        logging::error("ingest", "reconnecting failed", {{"error", again.what()}});
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
  if (snapshot_writer_) snapshot_writer_->stop();
}

core::StateSnapshot Sequencer::state_snapshot() const {
  return capture_snapshot(*context_, head_seq_, head_hash_);
}

bool Sequencer::enqueue(Work work) {
  if (role_.load() != Role::Owning) return false;  // only the owner writes the site's history
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

void Sequencer::record(ServerFact fact) {
  {
    std::lock_guard lock{mutex_};
    if (role_.load() == Role::Owning && !stopping_ && queue_.size() < config_.max_queued_submissions) {
      queue_.emplace_back(std::move(fact));
      fact.done = nullptr;
    }
  }
  if (fact.done) return fact.done(false, 0);  // dropped: a caller that waits for it must hear so
  wake_.notify_one();
}

void Sequencer::report_tampering(std::string check, std::string detail, bool unattested) {
  logging::error("ingest", unattested ? "UNATTESTED HISTORY" : "HISTORY TAMPERED",
                 {{"site_id", config_.site_id}, {"check", check}, {"detail", detail}});
  if (role_.load() == Role::Following) return;  // the owner records it; a follower never writes the chain
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

std::size_t Sequencer::epcis_ids_in_memory() const noexcept {
  return context_->epcis.size.load();
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

std::string Sequencer::current_site_text() const {
  std::lock_guard lock{context_->site.mutex};
  return context_->site.text;
}

std::string Sequencer::loaded_site_hash() const {
  return context_->loaded_site_hash();
}

std::shared_ptr<const core::SiteModel> Sequencer::current_model() const {
  std::lock_guard lock{context_->site.mutex};
  return context_->site.model ? context_->site.model : context_->initial_model;
}

std::shared_ptr<const core::SiteDefinition> Sequencer::current_site() const {
  std::lock_guard lock{context_->site.mutex};
  return context_->site.definition ? context_->site.definition : context_->initial_site;
}

void Sequencer::publish_site() {
  std::lock_guard lock{context_->site.mutex};
  context_->site.model = context_->engine->shared_model();
  context_->site.definition = context_->engine->effective_definition();
}

void Sequencer::connect_and_rebuild() {
  // After a failed commit, rows above the head committed before are this instance's own (if the commit did
  // succeed) or someone else's: apply_stored tells them apart with unconfirmed_.
  rebuild_confirmed_seq_ = started_ && role_.load() == Role::Owning ? head_seq_ : 0;
  context_->recorded_findings.clear();
  context_->pending_findings.clear();
  store_ = std::make_unique<storage::SequencerStore>(config_.database, config_.site_id);
  // One instance owns a site at a time; the lock lives as long as this connection. A follower only reads,
  // so it takes no lock here (it may take it later to become the owner: sequencer_takeover.cpp).
  if (role_.load() != Role::Following) store_->take_ownership(config_.ownership_wait);
  context_->reset();
  if (observer_) observer_->on_reset();
  head_seq_ = 0;
  head_hash_ = {};
  replayed_ = 0;
  const auto snapshot_seq = load_snapshot();
  snapshot_seq_.store(snapshot_seq);
  if (observer_ && snapshot_seq > 0) {
    // Live views start from the snapshot's: its model, doors and open alarms; the tail follows as usual.
    LiveUpdate restored;
    restored.site_seq = snapshot_seq;
    restored.type = "snapshot.restored";
    restored.model = context_->engine->shared_model();
    restored.view = std::make_shared<const core::FacilityView>(*context_->doors_view);
    restored.alarms = context_->alarms.open();
    observer_->on_update(restored, false);
  }
  bool chain_reported = false;
  store_->for_each(snapshot_seq,
                   [&](const ledger::EventRecord& record) { apply_stored(record, false, chain_reported); });
  metrics_.startup_replayed_records.set(replayed_);
  // Nothing about assets stored yet: open the book now; the time is recorded with the first asset record.
  if (!context_->assets) {
    context_->open_asset_book(clock_.now());
    context_->assets_opened_at_startup = true;
  }
  reset_views();
  publish_site();
  unconfirmed_.clear();
  rebuild_confirmed_seq_ = 0;
  sealed_seq_.store(std::max(sealed_seq_.load(), head_seq_));
  publish_heads();
  started_ = true;
  store_reachable_.store(true);
  tampered_.store(context_->alarms.has_open(kChainTamperedAlarm));
  report_replay_findings();
  last_snapshot_seq_ = snapshot_seq;
  last_snapshot_at_ = std::chrono::steady_clock::now();
  maybe_snapshot();  // a long replay is not done again at the next start
}

// The newest snapshot that is what it says: known format, its point on the stored chain, its digest, the
// site versions it names. Each refused one is logged and counted; one that contradicts the chain or its
// digest is also reported as tampering (someone wrote it who is not this server).
std::int64_t Sequencer::load_snapshot() {
  if (!config_.snapshots.load) return 0;
  try {
    storage::SnapshotStore snapshots{config_.database, config_.site_id, config_.snapshots.key};
    for (const auto& header : snapshots.newest(std::max<std::size_t>(config_.snapshots.keep, 1))) {
      const auto refuse = [&](const std::string& why, bool tampering) {
        metrics_.snapshots_refused.add();
        const auto detail = "the engine snapshot at site_seq " + std::to_string(header.site_seq) + " " + why;
        logging::warn("ingest", "engine snapshot not used", {{"detail", detail}});
        if (tampering) context_->note_finding("snapshot", detail);
      };
      // After a failed commit: only a snapshot of what was confirmed stored before it.
      if (rebuild_confirmed_seq_ > 0 && header.site_seq > rebuild_confirmed_seq_) continue;
      if (header.format_version != core::kStateSnapshotFormat) {
        refuse("has format version " + std::to_string(header.format_version) + " (this server reads " +
                   std::to_string(core::kStateSnapshotFormat) + ")",
               false);
        continue;
      }
      if (header.chain_row_hash != header.chain_hash) {
        refuse(header.chain_row_hash ? "does not match the stored chain (another hash at that site_seq)"
                                     : "names a site_seq the stored chain does not hold",
               true);
        continue;
      }
      auto body = snapshots.read_body(header);
      if (!body) continue;  // deleted since it was listed
      if (!body->digest_matches) {
        refuse("has a digest that does not match its content (changed, or written with another key)", true);
        continue;
      }
      auto decoded = core::decode_snapshot(body->body);
      if (const auto* refusal = std::get_if<core::SnapshotRefusal>(&decoded)) {
        refuse("cannot be read: " + refusal->detail, false);
        continue;
      }
      auto& snapshot = std::get<core::StateSnapshot>(decoded);
      if (snapshot.site_seq != header.site_seq || snapshot.chain_hash != header.chain_hash) {
        refuse("holds another point of the chain than its row names", true);
        continue;
      }
      if (auto why = restore_snapshot(*context_, std::move(snapshot))) {
        refuse("cannot be restored: " + *why, false);
        continue;
      }
      head_seq_ = header.site_seq;
      head_hash_ = header.chain_hash;
      return header.site_seq;
    }
  } catch (const std::exception& e) {
    logging::error("ingest", "reading engine snapshots failed; replaying from zero", {{"error", e.what()}});
    context_->reset();
    head_seq_ = 0;
    head_hash_ = {};
  }
  return 0;
}

// Owner only, after a commit or a start-up: hands a copy of the committed state to the writer thread every
// `every_events` records, or every `every` when anything was committed since the last one.
void Sequencer::maybe_snapshot() {
  if (!snapshot_writer_ || role_.load() != Role::Owning || head_seq_ <= last_snapshot_seq_) return;
  const auto now = std::chrono::steady_clock::now();
  if (head_seq_ - last_snapshot_seq_ < config_.snapshots.every_events &&
      now - last_snapshot_at_ < config_.snapshots.every)
    return;
  snapshot_writer_->offer(capture_snapshot(*context_, head_seq_, head_hash_));
  last_snapshot_seq_ = head_seq_;
  last_snapshot_at_ = now;
}

// Live views start from the whole registry (assets never read yet, seals never checked yet).
void Sequencer::reset_views() {
  if (!observer_) return;
  LiveUpdate registry;
  registry.type = "assets.registry";
  registry.assets = context_->assets->assets();
  registry.seals = context_->assets->seals();
  registry.facts = std::make_shared<const core::LiveFacts>(
      core::live_facts(context_->engine->model(), context_->engine->state(), clock_.now()));
  observer_->on_update(registry, false);
}

// Findings of the replay, unless the log already records them (a restart finds the same break again).
void Sequencer::report_replay_findings() {
  auto findings = std::move(context_->pending_findings);
  context_->pending_findings.clear();
  for (auto& [check, detail] : findings) {
    if (!context_->recorded_findings.contains(detail)) report_tampering(std::move(check), std::move(detail));
  }
}

void Sequencer::check_stored_chain(const ledger::EventRecord& record, bool& chain_reported) {
  if (!chain_reported &&
      (record.prev_hash != head_hash_ || ledger::chain_hash(head_hash_, record) != record.hash)) {
    chain_reported = true;
    context_->note_finding(
        "chain", "hash chain broken at site_seq " + std::to_string(record.site_seq) +
                     (record.prev_hash != head_hash_ ? ": its prev_hash is not the hash of the row before"
                                                     : ": its stored hash is not the hash of its content") +
                     "; run portcullis-audit verify-chain");
  }
  if (rebuild_confirmed_seq_ > 0 && record.site_seq > rebuild_confirmed_seq_) {
    const auto own = unconfirmed_.find(record.site_seq);
    if (own == unconfirmed_.end() || own->second != record.hash) {
      context_->note_finding("foreign_rows",
                             "site_seq " + std::to_string(record.site_seq) + " (hash " +
                                 ledger::to_hex(record.hash) +
                                 ") was written by someone else while this server held the site");
      rebuild_confirmed_seq_ = 0;  // one finding per rebuild: the rows after it follow from it
    }
  }
}

// Applies one stored record to the state, as at start-up (live = false: the views rebuild silently) or
// as a follower tailing the owner's history (live = true: the views publish deltas). The record's family
// applies it; a type no family claims changes nothing.
void Sequencer::apply_stored(const ledger::EventRecord& record, bool live, bool& chain_reported) {
  check_stored_chain(record, chain_reported);
  LiveUpdate update;
  update.site_seq = record.site_seq;
  update.at = core::from_unix_micros(record.received_us);
  update.type = record.type;
  update.device_id = record.device_id.value_or("");
  if (auto* family = families_->for_type(record.type)) family->replay(record, *context_, update);
  if (observer_ && live) {  // a follower: its views follow the owner's engine record by record
    update.facts = std::make_shared<const core::LiveFacts>(
        core::live_facts(context_->engine->model(), context_->engine->state(), update.at));
  }
  context_->follow_view(update);
  if (observer_) observer_->on_update(update, live);
  head_seq_ = record.site_seq;
  head_hash_ = record.hash;
  ++replayed_;
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
  if (!check_ownership()) return;  // stopping without the site's lock: nothing more is written
  std::deque<Work> tick;
  tick.emplace_back(DeadlineTick{});
  process(tick);
  escalate_overdue_alarms();
  maybe_snapshot();
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

// Decides a group of work in order (each piece by its record family), commits its records at once and
// answers; a failed commit answers 503 or retries each request alone (recover).
void Sequencer::process(std::deque<Work>& batch) {
  const auto started = std::chrono::steady_clock::now();
  auto& sealed = context_->batch;
  sealed = Batch{};
  sealed.head_seq = head_seq_;
  sealed.head_hash = head_hash_;
  sealed.received_us = std::max(core::to_unix_micros(clock_.now()), 0L);
  sealed.at = core::from_unix_micros(sealed.received_us);
  try {
    for (auto& work : batch) families_->live(work, *context_);
    commit();
  } catch (const std::exception& e) {
    recover(batch, e);
    return;
  }
  head_seq_ = sealed.head_seq;
  head_hash_ = sealed.head_hash;
  answer();
  const double elapsed = seconds_since(started);
  for (auto& [submission, result] : sealed.submissions) {
    for (const auto& a : result.answers) {
      if (a.status == EventAnswer::Status::Stored)
        metrics_.events_accepted.add();
      else
        metrics_.events_duplicate.add();
    }
    metrics_.ingest_seconds.observe(elapsed);
    deliver(*submission, std::move(result));
  }
  maybe_snapshot();
}

void Sequencer::commit() {
  const auto& sealed = context_->batch;
  if (sealed.records.empty()) return;
  sealed_seq_.store(sealed.head_seq);  // before the rows can be seen: a row above it is someone else's
  const auto commit_started = std::chrono::steady_clock::now();
  store_->append(sealed.records, sealed.site_versions);
  metrics_.commits.add();
  metrics_.batch_size.observe(static_cast<double>(sealed.records.size()));
  metrics_.commit_seconds.observe(seconds_since(commit_started));
}

// Nothing of this batch is known to be stored: answer 503 (devices retry; a retry of an event that did commit
// is answered from history) and rebuild state from what the database really holds.
void Sequencer::recover(std::deque<Work>& batch, const std::exception& failure) {
  metrics_.commit_failures.add();
  store_reachable_.store(false);  // until connect_and_rebuild below succeeds
  logging::error("ingest", "storing a batch failed", {{"error", failure.what()}});
  for (const auto& record : context_->batch.records) unconfirmed_[record.site_seq] = record.hash;
  // One record PostgreSQL refuses (a value it cannot store) must not fail everyone else's commit: when the
  // database refused a statement and more than one request shared the commit, each is decided and committed
  // again on its own once state is rebuilt, so only the one that fails again is refused. A lost connection
  // fails them all at once instead (a quick 503: devices keep their events and retry). An EPCIS capture in
  // progress is answered 503 as before: the client's retry resumes its slices.
  const bool isolate =
      batch.size() > 1 && dynamic_cast<const storage::StatementRefused*>(&failure) != nullptr;
  std::deque<Work> alone;
  std::deque<Work> refused;
  for (auto& work : batch)
    (isolate && !std::holds_alternative<EpcisInProgress>(work) ? alone : refused).push_back(std::move(work));
  refuse_unstored(refused);
  for (int attempt = 0;; ++attempt) {
    try {
      connect_and_rebuild();
      break;
    } catch (const std::exception& again) {
      logging::error("ingest", "reconnecting to the event store failed", {{"error", again.what()}});
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
}

// After the commit: heads and site published, live views updated, then every request answered.
void Sequencer::answer() {
  auto& sealed = context_->batch;
  if (!sealed.records.empty()) {
    publish_heads();
    tampered_.store(context_->alarms.has_open(kChainTamperedAlarm));
  }
  if (sealed.site_changed) publish_site();
  for (const auto& update : sealed.updates) context_->follow_view(update);
  if (observer_) {
    if (!sealed.updates.empty()) {
      sealed.updates.back().facts = std::make_shared<const core::LiveFacts>(
          core::live_facts(context_->engine->model(), context_->engine->state(), sealed.at));
    }
    for (const auto& update : sealed.updates) observer_->on_update(update, true);
  }
  for (auto& [command, result] : sealed.commands) {
    if (command->done) command->done(std::move(result));
  }
  for (auto& [fact, seq] : sealed.facts_stored) fact->done(true, seq);
  for (auto& [reads, result] : sealed.rfid) {
    if (reads->done) reads->done(std::move(result));
  }
  std::deque<Work> next_slices;
  for (auto& [progress, result] : sealed.epcis) {
    if (result.status == EpcisResult::Status::Stored && progress->next < progress->capture.events.size()) {
      next_slices.emplace_back(std::move(*progress));  // behind whatever else waits: doors go first
      continue;
    }
    release_epcis(*context_, *progress);
    if (result.status == EpcisResult::Status::Stored) result.answers = std::move(progress->answers);
    if (progress->capture.done) progress->capture.done(std::move(result));
  }
  if (!next_slices.empty()) {
    std::lock_guard lock{mutex_};  // past the queue's bound on purpose: an accepted capture is never dropped
    for (auto& slice : next_slices) queue_.push_back(std::move(slice));
  }
}

void Sequencer::escalate_overdue_alarms() {
  const auto now = clock_.now();
  const auto due = context_->alarms.due_for_escalation(now, config_.escalate_after);
  if (due.empty()) return;
  std::deque<Work> batch;
  for (const auto& id : due) {
    context_->alarms.mark_escalated(id);
    ServerFact fact;
    fact.type = kAlarmEscalatedRecord;
    fact.payload_json =
        json::alarm_change_payload({id, "portcullisd", "not acknowledged in time: escalated to supervisors"});
    batch.emplace_back(std::move(fact));
  }
  process(batch);
}

}  // namespace portcullis::ingest
