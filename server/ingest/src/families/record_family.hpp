#pragma once
// A record family: the record types one kind of work writes, with its live step (decide work, seal its
// records into the batch) and its replay step (apply one stored record) side by side, so a new record type
// cannot be written in one place and forgotten in the other. The sequencer dispatches work and stored
// records to the families; record_types.hpp lists every stored type and a unit test checks each is claimed
// by exactly one family.
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "families/write_context.hpp"

namespace portcullis::ingest {

class RecordFamily {
 public:
  virtual ~RecordFamily() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  // The stored types this family writes live and applies on replay.
  [[nodiscard]] virtual std::vector<std::string> record_types() const = 0;
  // Prefixes of types applied by this family when no exact type claims them (an unknown "asset.x" is
  // replayed as an asset action, as it always was).
  [[nodiscard]] virtual std::vector<std::string> type_prefixes() const { return {}; }
  // Live: decides `work` into ctx.batch when it is this family's work; false when it is not.
  virtual bool live(Work& work, WriteContext& ctx) = 0;
  // Live: the once-a-second deadline tick (records only what raised alarms).
  virtual void deadline(WriteContext& /*ctx*/) {}
  // Replay: applies one stored record of this family's types, filling its live update.
  virtual void replay(const ledger::EventRecord& record, WriteContext& ctx, LiveUpdate& update) = 0;
};

std::unique_ptr<RecordFamily> make_device_event_family();
std::unique_ptr<RecordFamily> make_operator_command_family();
std::unique_ptr<RecordFamily> make_site_load_family();
std::unique_ptr<RecordFamily> make_asset_family();
std::unique_ptr<RecordFamily> make_epcis_family();
std::unique_ptr<RecordFamily> make_server_fact_family();

// Every family, in the order the deadline tick visits them (assets before the engine), and the replay's
// index from record type to family.
class RecordFamilies {
 public:
  RecordFamilies();
  [[nodiscard]] const std::vector<std::unique_ptr<RecordFamily>>& all() const { return families_; }
  // Decides one piece of work (the deadline tick: every family's deadlines).
  void live(Work& work, WriteContext& ctx) const;
  // The family that replays `type`, or nullptr: a type nobody claims changes no state.
  [[nodiscard]] RecordFamily* for_type(const std::string& type) const;

 private:
  std::vector<std::unique_ptr<RecordFamily>> families_;
  std::unordered_map<std::string, RecordFamily*> by_type_;
  std::vector<std::pair<std::string, RecordFamily*>> by_prefix_;
};

// Shared by the families that observe RFID reads (device events, RFID batches, EPCIS): stores a change of
// location the asset book reported as its own `asset.moved` record, replayed with apply_movement().
void record_movement(WriteContext& ctx, const core::Observation& observation, const core::DeviceId& device,
                     core::Timestamp at);
// The assets and seals an asset action changed, for the live view (their state after the action).
void collect_asset_changes(const core::AssetBook& book, const core::AssetAction& action, LiveUpdate& update);
// The `asset.registry_opened` record that precedes the first asset record of a log.
ledger::EventRecord registry_opened_record(const WriteContext& ctx);

// Lets go of the eventIDs a capture reserved (its last slice is answered, or it failed).
void release_epcis(WriteContext& ctx, EpcisInProgress& capture);

}  // namespace portcullis::ingest
