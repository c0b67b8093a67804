#pragma once
// The single writer of one site's history. Requests from every connection meet in one bounded queue;
// the sequencer thread takes everything waiting, decides each piece of work in order (each kind of work
// and its record types belong to one record family, src/families/, which also replays them), chains the
// records, writes them with one COPY and one commit (group commit), and only then answers.
// A storage failure answers 503 to everything in flight and rebuilds all state from history.
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "portcullis/core/assets/asset_book.hpp"
#include "portcullis/core/engine.hpp"
#include "portcullis/core/snapshot/state_snapshot.hpp"
#include "portcullis/core/time.hpp"
#include "portcullis/ingest/ingest_types.hpp"
#include "portcullis/ingest/work.hpp"
#include "portcullis/ledger/event_record.hpp"
#include "portcullis/metrics/metrics.hpp"

namespace portcullis::storage {
class SequencerStore;
}

namespace portcullis::ingest {

class FamilyStore;
class WriteContext;
class RecordFamilies;
class SnapshotWriter;

// Engine snapshots (docs/event-store.md, "Snapshots"; settings in docs/operations.md): the owner saves the
// state a replay rebuilds every `every_events` records or `every` (whichever comes first, when anything
// was committed since), off the commit path; start-up loads the newest one that matches the stored chain
// and replays only the records after it.
struct SnapshotConfig {
  bool write = true;
  bool load = true;  // false: start-up replays the whole history (PORTCULLIS_SNAPSHOT_REPLAY_FROM_ZERO)
  std::int64_t every_events = 100'000;
  std::chrono::seconds every{600};
  std::size_t keep = 3;  // the newest snapshots kept per site (and tried at start-up, newest first)
  std::string key;       // HMAC-SHA-256 key of the snapshots' digests; empty: plain SHA-256
};

struct SequencerConfig {
  std::string site_id = "default";
  std::string database;  // libpq connection string for the application role
  std::size_t max_queued_submissions = 4096;
  std::size_t max_events_per_commit = 2000;
  // A large EPCIS capture (up to 40,000 events) is applied and committed this many events at a time, with
  // other work (door decisions) between its slices, so a door never waits behind a whole document.
  std::size_t max_epcis_events_per_commit = 1000;
  // How long start-up waits for the previous owner of the site to let go (milliseconds).
  std::chrono::milliseconds ownership_wait{10'000};
  // An alarm nobody acknowledged for this long is escalated to supervisors (recorded, and streamed).
  std::chrono::seconds escalate_after{120};
  // A follower serves another instance's site read-only (live views, operator reads): it takes no
  // ownership lock at start (only to take the site over: `take_over`), refuses every submission, and
  // applies what the owner commits, read from the database every `follow_interval`. Several followers
  // spread consoles over machines sharing one PostgreSQL.
  bool follower = false;
  std::chrono::milliseconds follow_interval{200};
  // A follower that stands by to become the owner (docs/operations.md, "Two machines"): once
  // Sequencer::allow_takeover() was called, it tries the site's lock every `takeover_check` on the very
  // connection it reads with; when it gets it (the owner's session ended), it applies the tail it has not
  // read and becomes the owner without a restart. False: a pure read replica, or one that lacks what an
  // owner needs (`takeover_refused` says what, for readiness).
  bool take_over = false;
  std::chrono::milliseconds takeover_check{500};
  std::string takeover_refused;
  // While a chain_tampered alarm is open: false (the default) keeps deciding doors, so nobody is locked in
  // or out, and health reports the history as tampered; true answers device posts 503 instead, so doors
  // fall back to their offline rules until an operator resolves the alarm (docs/event-store.md).
  bool refuse_devices_when_tampered = false;
  // EPCIS eventIDs answered from memory (docs/epcis.md, "Idempotency"): those captured (or asked about) in
  // the last `epcis_ids_in_memory_for`, at most `max_epcis_ids_in_memory`. An older one is looked up in the
  // database, so a retry gets its first answer however late it comes, and memory stays bounded.
  std::chrono::hours epcis_ids_in_memory_for{24};
  std::size_t max_epcis_ids_in_memory = 100'000;
  SnapshotConfig snapshots;
};

// A point of the chain: a row's site_seq and hash (0 and zeroes: the empty chain).
struct ChainHead {
  std::int64_t site_seq = 0;
  std::array<std::uint8_t, 32> hash{};
};

// Record types and alarm kinds of tampering found by the server (docs/event-store.md, "Tampering").
inline constexpr const char* kChainTamperedRecord = "security.chain_tampered";
inline constexpr const char* kChainUnattestedRecord = "security.chain_unattested";
inline constexpr const char* kChainTamperedAlarm = "chain_tampered";
inline constexpr const char* kChainUnattestedAlarm = "chain_unattested";

class Sequencer {
 public:
  Sequencer(SequencerConfig config, std::shared_ptr<const core::SiteModel> model, const core::Clock& clock,
            metrics::ServerMetrics& metrics, std::shared_ptr<const core::PinVerifier> pins = nullptr);
  ~Sequencer();
  Sequencer(const Sequencer&) = delete;
  Sequencer& operator=(const Sequencer&) = delete;

  // Connects, takes ownership of the site, replays history into the engine, starts the thread.
  // Throws on failure (at start-up only).
  void start();
  void stop();

  // Thread-safe. False when the queue is full: answer 503 and let the device retry.
  bool submit(Submission submission);
  // Best effort: dropped (and counted) when the queue is full.
  void record(ServerFact fact);
  // False when the queue is full.
  bool submit(OperatorCommand command);
  // False when the queue is full.
  bool submit(RfidSubmission reads);
  // False when the queue is full.
  bool submit(EpcisSubmission capture);
  // Set before start(). Called on the sequencer thread.
  void set_observer(LiveObserver* observer) { observer_ = observer; }

  // Records the last (re)build replayed: after its snapshot, or the whole history.
  [[nodiscard]] std::int64_t replayed_events() const noexcept { return replayed_; }
  // The site_seq of the snapshot the last (re)build started from (0: it replayed from zero).
  [[nodiscard]] std::int64_t snapshot_seq() const noexcept { return snapshot_seq_.load(); }
  // What the engine snapshot of the current state holds. Only once stop() has returned (the state belongs
  // to the sequencer thread while it runs): tests compare a start from a snapshot with a replay from zero.
  [[nodiscard]] core::StateSnapshot state_snapshot() const;
  // EPCIS eventIDs held in memory (bounded by SequencerConfig::max_epcis_ids_in_memory). Thread-safe.
  [[nodiscard]] std::size_t epcis_ids_in_memory() const noexcept;

  // Tampering found with the site's history (a broken chain, a site version that does not hash to its
  // name, rows nobody signed, a checkpoint the database contradicts). Thread-safe. The owner records it as
  // a `security.chain_tampered` server fact raising a critical `chain_tampered` alarm (`unattested`: a
  // `security.chain_unattested` fact and a high `chain_unattested` alarm), once per distinct finding: one
  // the log already holds is not recorded again. A follower only logs it (the owner records).
  void report_tampering(std::string check, std::string detail, bool unattested = false);
  // True while a chain_tampered alarm is open (not resolved): health answers "degraded".
  [[nodiscard]] bool history_tampered() const noexcept { return tampered_.load(); }
  // The last row this instance committed (owner) or applied (follower).
  [[nodiscard]] ChainHead committed_head() const;
  // The highest site_seq this instance has sealed for a commit, committed or not. A row above it in the
  // database was not written by this instance, which holds the site's lock: someone else wrote it.
  [[nodiscard]] std::int64_t sealed_seq() const noexcept { return sealed_seq_.load(); }
  // The head the start-up replay reached, before this instance appended anything.
  [[nodiscard]] ChainHead replayed_head() const;
  // Ready to take device events: this instance owns the site, its start-up replay is done, and its last
  // contact with the event store succeeded (false from a failed commit until the reconnect and rebuild
  // succeed). Thread-safe. GET /health/ready answers from it.
  [[nodiscard]] bool ready() const noexcept {
    return role_.load() == Role::Owning && store_reachable_.load();
  }
  // True while this instance follows the site's owner (SequencerConfig::follower, until it takes over):
  // submissions are refused.
  [[nodiscard]] bool follower() const noexcept { return role_.load() != Role::Owning; }
  // A follower's stand-by: "standby" (it takes the site when the owner's lock is free), "off" (a read
  // replica) or "not_configured" (it may not: SequencerConfig::takeover_refused says why). Thread-safe.
  [[nodiscard]] const char* takeover_state() const noexcept;
  [[nodiscard]] const std::string& takeover_refused() const noexcept { return config_.takeover_refused; }
  // A follower with SequencerConfig::take_over starts trying the site's lock: call it once everything that
  // serves as the owner exists. `on_taking_over` runs on the sequencer thread when the lock is held and the
  // whole history applied, before the first submission is accepted (what an owner does at start-up beside
  // the sequencer: signing checkpoints, held commands and changes rebuilt). It may throw: the instance then
  // lets the lock go and follows again.
  void allow_takeover(std::function<void()> on_taking_over);

  // Site versions. Set before start(): the definition behind the initial model and its content
  // hash. The replay switches models at each site.loaded record (content from site_versions; this one when
  // the hash matches); admin edits need the definition.
  void set_initial_site(std::shared_ptr<const core::SiteDefinition> definition, std::string content_hash,
                        std::string text = {});
  // Thread-safe. The content hash named by the last site.loaded record (empty if none), the model and the
  // effective definition (site file + admin edits) in force.
  [[nodiscard]] std::string loaded_site_hash() const;
  [[nodiscard]] std::shared_ptr<const core::SiteModel> current_model() const;
  [[nodiscard]] std::shared_ptr<const core::SiteDefinition> current_site() const;
  // The text of the site file in force (without the admin edits), for GET /api/v1/site.
  [[nodiscard]] std::string current_site_text() const;

 private:
  // Queues work for the sequencer thread: false when this instance is a follower, stopping, or full.
  bool enqueue(Work work);
  void run();
  bool follow();  // the follower's loop instead of run(); true when it took the site over
  bool try_take_over();
  void become_owner();
  // The owner's connection, and with it the site's lock, is still there (else it is taken back first);
  // false when stopping without it.
  bool check_ownership();
  void regain_ownership(const std::exception& lost);
  void refuse_queued();
  void connect_and_rebuild();
  // Restores the newest usable snapshot into the context (reporting each one refused) and returns its
  // site_seq; 0 when none is usable or loading is off: the caller replays from zero.
  std::int64_t load_snapshot();
  void maybe_snapshot();
  void reset_views();
  void report_replay_findings();
  void apply_stored(const ledger::EventRecord& record, bool live, bool& chain_reported);
  void check_stored_chain(const ledger::EventRecord& record, bool& chain_reported);
  void publish_heads();
  void publish_site();  // after a model change: what current_model()/current_site() return
  void process(std::deque<Work>& batch);
  void decide(std::deque<Work>& batch);
  void commit();
  void recover(std::deque<Work>& batch, const std::exception& failure);
  void answer();
  void refuse_unstored(std::deque<Work>& works);
  void escalate_overdue_alarms();
  void run_periodic_duties();

  SequencerConfig config_;
  // Following -> TakingOver (lock held, becoming the owner: findings are queued, submissions still refused)
  // -> Owning. An owner that loses the lock on a failed connection stays Owning and takes it back first.
  enum class Role { Following, TakingOver, Owning };
  std::atomic<Role> role_;
  const core::Clock& clock_;
  metrics::ServerMetrics& metrics_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Work> queue_;
  bool stopping_ = false;
  std::thread thread_;

  // Owned by the sequencer thread (and by start() before the thread exists).
  std::unique_ptr<storage::SequencerStore> store_;
  std::unique_ptr<FamilyStore> family_store_;  // store_, as the families see it
  std::unique_ptr<WriteContext> context_;      // state the replay rebuilds, and the batch being decided
  std::unique_ptr<RecordFamilies> families_;
  std::int64_t head_seq_ = 0;
  std::array<std::uint8_t, 32> head_hash_{};
  std::int64_t replayed_ = 0;
  LiveObserver* observer_ = nullptr;
  std::chrono::steady_clock::time_point last_periodic_{};
  std::chrono::steady_clock::time_point last_takeover_attempt_{};
  std::function<void()> on_taking_over_;  // guarded by mutex_
  bool takeover_allowed_ = false;         // guarded by mutex_

  // A failed commit's records (site_seq -> hash): after the rebuild, a row above the committed head must be
  // one of them (the commit may have succeeded), or someone else wrote it.
  std::map<std::int64_t, std::array<std::uint8_t, 32>> unconfirmed_;
  std::int64_t rebuild_confirmed_seq_ = 0;  // the committed head before a rebuild (0 at start-up)
  std::atomic<bool> tampered_{false};
  std::atomic<bool> store_reachable_{false};
  std::atomic<std::int64_t> sealed_seq_{0};
  mutable std::mutex heads_mutex_;
  ChainHead committed_head_;  // guarded by heads_mutex_
  ChainHead replayed_head_;   // guarded by heads_mutex_
  bool started_ = false;      // the start-up replay is done

  std::unique_ptr<SnapshotWriter> snapshot_writer_;  // the owner's; null when snapshots are not written
  std::int64_t last_snapshot_seq_ = 0;
  std::chrono::steady_clock::time_point last_snapshot_at_{};
  std::atomic<std::int64_t> snapshot_seq_{0};
};

}  // namespace portcullis::ingest
