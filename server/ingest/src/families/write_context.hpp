#pragma once
// What the record families of the write path share: the state a replay rebuilds (engine, alarms, asset
// book, EPCIS eventIDs, devices' last seqs, the site in force) and, while the sequencer decides a group of
// work, the batch being sealed (records, live updates, answers). The sequencer owns one; families are
// stateless and act on it, live (writing records) and on replay (applying stored ones) alike.
#include <array>
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "portcullis/core/alarms/alarm_book.hpp"
#include "portcullis/core/assets/asset_book.hpp"
#include "portcullis/core/engine.hpp"
#include "portcullis/core/live/facility_view.hpp"
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/ingest/work.hpp"
#include "portcullis/ledger/event_record.hpp"
#include "portcullis/storage/site_version_types.hpp"

namespace portcullis::ingest {

// The little storage the families need besides the group commit, so they can be tested without a database.
class FamilyStore {
 public:
  virtual ~FamilyStore() = default;
  // The stored record of a device event, for a retry of an event memory no longer knows.
  [[nodiscard]] virtual std::optional<ledger::EventRecord> find_device_event(const std::string& device_id,
                                                                             std::int64_t device_seq) = 0;
  // Payloads of epcis.captured records that may name one of `event_ids` (compared exactly by the caller).
  [[nodiscard]] virtual std::vector<std::string> find_epcis_captured(
      const std::vector<std::string>& event_ids) = 0;
  // A stored site version, checked against its name.
  [[nodiscard]] virtual storage::SiteVersionRead read_site_version(const std::string& content_hash_hex) = 0;
};

// The group of work being decided: sealed records in chain order, their live updates, and the answers
// given once the commit succeeds.
struct Batch {
  std::int64_t received_us = 0;
  core::Timestamp at{};  // received_us as a time: when everything of the batch happened
  std::int64_t head_seq = 0;
  std::array<std::uint8_t, 32> head_hash{};
  std::vector<ledger::EventRecord> records;
  std::vector<LiveUpdate> updates;                  // parallel to records
  std::vector<storage::SiteVersion> site_versions;  // stored with their site.loaded records
  bool site_changed = false;
  std::unordered_map<std::string, std::size_t> in_batch;  // device/seq -> index in records
  std::vector<std::pair<Submission*, SubmissionResult>> submissions;
  std::vector<std::pair<OperatorCommand*, CommandResult>> commands;
  std::vector<std::pair<ServerFact*, std::int64_t>> facts_stored;  // those that wait to hear
  std::vector<std::pair<RfidSubmission*, RfidResult>> rfid;
  std::vector<std::pair<EpcisInProgress*, EpcisResult>> epcis;
};

// EPCIS eventIDs already captured -> (canonical hash, the answer given), rebuilt from `epcis.captured`.
struct EpcisMemory {
  std::unordered_map<std::string, std::pair<std::string, std::string>> events;
  std::unordered_set<std::string> in_flight;  // eventIDs of captures still being applied
  // When each eventID of `events` entered it, oldest first: what leaves memory first.
  std::deque<std::pair<core::Timestamp, std::string>> order;
  bool forgot_any = false;  // some eventIDs are only in the database now
  std::atomic<std::size_t> size{0};
};

// The site in force, read by other threads (GET /api/v1/site, admin edits).
struct PublishedSite {
  mutable std::mutex mutex;
  std::string loaded_hash;  // named by the last site.loaded record
  std::string text;         // of the site file in force, without the admin edits
  std::shared_ptr<const core::SiteModel> model;
  std::shared_ptr<const core::SiteDefinition> definition;
};

class WriteContext {
 public:
  WriteContext(const SequencerConfig& config, std::shared_ptr<const core::SiteModel> initial_model,
               std::shared_ptr<const core::PinVerifier> pins);

  // Back to the state before any history: the initial site in force, nothing replayed.
  void reset();

  // Seals `record` as the next of the batch (after the `asset.registry_opened` record when it is the first
  // asset record of the log), appends it and its live update, and returns that update.
  LiveUpdate& seal(ledger::EventRecord record);
  [[nodiscard]] ledger::EventRecord& last_record() { return batch.records.back(); }
  // Raises (or folds) a record's alarms in the alarm book and lists them in the record's live update.
  void raise_alarms(const std::vector<core::Alarm>& raised, core::Timestamp at, std::int64_t site_seq,
                    LiveUpdate& update);
  void open_asset_book(core::Timestamp at);
  // After a model change (site reload, admin edit): the asset book follows before its next input.
  void sync_asset_model(core::Timestamp at);
  // Keeps the doors' live view as the stream's builds it from the same updates (an engine snapshot saves
  // it: what a door's last contact report and grant showed is not in the engine's state).
  void follow_view(const LiveUpdate& update);
  // The asset book came from history (opened by a stored record), not from this start-up's clock.
  [[nodiscard]] bool asset_book_in_history() const noexcept {
    return assets && (registry_recorded || !assets_opened_at_startup);
  }
  // A finding about the integrity of history, reported once the rebuild is done.
  void note_finding(std::string check, std::string detail);
  [[nodiscard]] std::string loaded_site_hash() const;

  const SequencerConfig& config;
  FamilyStore* store = nullptr;  // set while connected

  // The initial site (set_initial_site), and what is in force.
  std::shared_ptr<const core::SiteModel> initial_model;
  std::shared_ptr<const core::PinVerifier> pins;
  std::shared_ptr<const core::SiteDefinition> initial_site;
  std::string initial_site_hash;
  std::string initial_site_text;
  PublishedSite site;
  // Site versions (content hash) whose definition the engine's model is built from and whose text is in
  // force: what an engine snapshot names instead of holding the site.
  std::string definition_site_hash;
  std::string text_site_hash;

  // What a replay rebuilds.
  std::unique_ptr<core::Engine> engine;
  core::AlarmBook alarms;
  std::unordered_map<std::string, std::int64_t> last_seq_by_device;
  // Assets, seals and move orders: opened at start-up, or at the stored time of the `asset.registry_opened`
  // record that precedes the first asset record, so a replay starts the missing-asset clocks at the same
  // instant.
  std::unique_ptr<core::AssetBook> assets;
  core::Timestamp assets_opened_at{};
  bool registry_recorded = false;  // the log holds the `asset.registry_opened` record
  bool assets_opened_at_startup = false;
  std::unique_ptr<core::FacilityView> doors_view;  // follow_view()
  EpcisMemory epcis;
  // Integrity of history: findings recorded in the log (by detail), so a restart does not record again.
  std::unordered_set<std::string> recorded_findings;
  std::vector<std::pair<std::string, std::string>> pending_findings;  // found while rebuilding

  Batch batch;  // live only: the group being decided
};

}  // namespace portcullis::ingest
