#pragma once
// The asset book: the asset registry, where each asset is according to RFID reads, tamper-evident
// seals, move orders and the disposal custody trail. A component next to the Engine with the same contract:
// (model, state, input, time) -> (new state, decision, alarms). One book per site, driven by that site's
// single sequencer thread; not thread-safe. Time is always passed in. Refusals are values (a Decision with
// Verdict::Deny and a Reason), never exceptions.
//
// What the server stores and replays (deterministic replay rebuilds the same state):
//  * the site load time (the constructor's and replace_model's `at`),
//  * every AssetMovement that observe() returns (Observation::movement), replayed with apply_movement(),
//  * every AssetAction with its Actor and time, replayed with apply(),
//  * every tick() whose outcome has alarms, replayed with tick() at the same time.
// Raw reads that change nothing are not stored: they are only counted (ReadCounters). The de-duplication
// window and the per-asset "last read" time are live-only state: nothing stored depends on them except
// through the movements observe() returns.
//
// Model and conventions (docs/assets.md has the full story):
//  * Location: a rack (and its zone), a zone, or unknown. A portal reader's side gives the zone the asset is
//    passing into (Entry: `to`, Exit: `from`). A zone read is consistent with being in a rack of that zone:
//    it does not move the asset out of its rack.
//  * AssetMovement with from == to is a presence confirmation: an asset read in its home rack is confirmed in
//    the log at most every missing_after/10, so asset_missing is decided from stored records only.
//  * Alarm kinds (Alarm::subject is the asset id, or the seal id for seals):
//      asset_unauthorized_movement  high (critical when holds_model_weights): read at a portal reader whose
//                                   direction leads out of the asset's allowed zones, without an approved,
//                                   unexpired move order whose route covers the destination;
//      asset_wrong_rack             medium (high when holds_model_weights): placed in a rack other than its
//                                   home rack without such a move order;
//      asset_missing                high (critical when holds_model_weights): in service with a home rack and
//                                   not confirmed there for its missing time; raised once until seen again;
//      seal_broken                  high (critical on an asset holding model weights or on a rack that is the
//                                   home of one): a check found it broken, replaced by an unknown seal, or
//                                   carrying another serial.
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "portcullis/core/assets/asset_text.hpp"
#include "portcullis/core/model/site_definition.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/core/policy/operator_action.hpp"
#include "portcullis/core/site_model.hpp"
#include "portcullis/core/strong_id.hpp"
#include "portcullis/core/time.hpp"

namespace portcullis::core {

// ---- Inputs from RFID readers ---------------------------------------------------------------------------

// One report from an RFID reader (native device API or an EPCIS ObjectEvent OBSERVE), after the adapter has
// parsed it. `count` is the reader's own read count for this report (LLRP tag_seen_count), at least 1.
struct RfidObservation {
  DeviceId device;
  ReaderId reader;
  std::string epc;
  std::uint32_t count = 1;
  // Handheld audit stations (area readers) may say exactly where they read: a rack, or a zone inside their
  // own. Ignored for portal and rack readers.
  RackId at_rack;
  ZoneId at_zone;
};

// Where an asset is: in a rack (rack set, zone = the rack's zone), in a zone (rack empty), or unknown (both
// empty).
struct Location {
  ZoneId zone;
  RackId rack;
  [[nodiscard]] bool known() const noexcept { return !zone.empty(); }
  friend bool operator==(const Location&, const Location&) = default;
};

// A change of location (or, with from == to, a presence confirmation) to be stored and replayed.
struct AssetMovement {
  AssetId asset;
  std::string epc;
  Location from;
  Location to;
  ReaderId reader;
  DeviceId device;
  std::uint64_t reads = 0;  // raw reads of this asset counted since the previous stored movement
  Timestamp at{};
  friend bool operator==(const AssetMovement&, const AssetMovement&) = default;
};

// ---- Operator actions -----------------------------------------------------------------------------------

struct RegisterAsset {
  AssetDef asset;
  std::string reason;
};
// Only the fields that are set change. Lifecycle changes go through ChangeLifecycle and the Record* actions.
struct UpdateAsset {
  AssetId asset;
  std::optional<std::string> tag, serial, model, epc;
  std::optional<AssetKind> kind;
  std::optional<RackId> home_rack;
  std::optional<int> unit;
  std::optional<PersonId> custodian;
  std::optional<bool> holds_model_weights;
  std::optional<std::vector<ZoneId>> allowed_zones;
  std::optional<std::int64_t> missing_after_s;
  std::string reason;
};
// The plain lifecycle edges: received -> in_service, in_service <-> maintenance, in_service | maintenance ->
// decommissioning. wiped, destroyed and disposed need their Record* action (with evidence).
struct ChangeLifecycle {
  AssetId asset;
  AssetLifecycle to = AssetLifecycle::InService;
  std::string reason;
};
// decommissioning -> wiped. method: one of kWipeMethods; certificate_sha256: 64 lowercase hex digits.
struct RecordWipe {
  AssetId asset;
  std::string method;
  std::string certificate_sha256;
  std::string reason;
};
// wiped -> destroyed. Two distinct, non-revoked people of the site witnessed it.
struct RecordDestruction {
  AssetId asset;
  std::string method;  // "shred", "disintegrate", "incinerate", "degauss-and-crush"... (free text, required)
  PersonId witnesses[2];
  std::string certificate_sha256;  // optional; when given, 64 lowercase hex digits
  std::string reason;
};
// destroyed -> disposed: handed to a vendor with a manifest (the vendor's shipping/recycling document).
struct RecordDisposal {
  AssetId asset;
  std::string vendor;
  std::string manifest;
  std::string reason;
};
// A person asks to move an asset to a zone or rack (exactly one) until valid_until; another person with the
// approver role approves. While approved and valid, reads along the route (the zone-tree path from where the
// asset was to the destination) and placing it in the destination rack raise no alarm. Arriving at a
// destination rack completes the order and makes that rack the asset's home rack; arriving in a destination
// zone completes it.
struct RequestMoveOrder {
  MoveOrderId order;
  AssetId asset;
  ZoneId to_zone;
  RackId to_rack;
  std::string reason;
  Timestamp valid_until{};
};
struct ApproveMoveOrder {
  MoveOrderId order;
  std::string comment;
};
enum class SealStatus { Intact, Broken, Replaced };
// A seal inspection. observed_serial: the serial found on the rack/asset (empty: not read).
struct CheckSeal {
  SealId seal;
  SealStatus status = SealStatus::Intact;
  std::string observed_serial;
  std::string comment;
};
// Fitting a seal (optionally replacing one, which is retired): the actor's person and a distinct witness.
struct FitSeal {
  SealDef seal;
  SealId replaces;
  PersonId witness;
  std::string reason;
};

using AssetAction = std::variant<RegisterAsset, UpdateAsset, ChangeLifecycle, RecordWipe, RecordDestruction,
                                 RecordDisposal, RequestMoveOrder, ApproveMoveOrder, CheckSeal, FitSeal>;

// "register_asset", "update_asset", "change_lifecycle", "record_wipe", "record_destruction",
// "record_disposal", "request_move_order", "approve_move_order", "check_seal", "fit_seal".
[[nodiscard]] const char* type_name(const AssetAction& action) noexcept;
[[nodiscard]] std::string_view to_string(SealStatus s) noexcept;
[[nodiscard]] std::optional<SealStatus> seal_status_from(std::string_view s) noexcept;

// Accepted wipe methods (NIST SP 800-88 terms).
inline constexpr std::string_view kWipeMethods[] = {"nist-800-88-clear", "nist-800-88-purge", "crypto-erase",
                                                    "degauss"};

// ---- Outcomes -------------------------------------------------------------------------------------------

struct FieldChange {
  std::string field;  // "lifecycle", "home_rack", "custodian", "location", "seal.status", ...
  std::string before;
  std::string after;
  friend bool operator==(const FieldChange&, const FieldChange&) = default;
};

struct AssetOutcome {
  std::optional<Decision> decision;  // actions: Grant/Applied or Deny/<reason>; movements and ticks: none
  std::vector<Alarm> alarms;
  std::vector<FieldChange> changes;  // what changed, for the stored record (who/when/why are the caller's)
  std::string detail;                // a refusal's explanation ("certificate_sha256: expected 64 hex digits")
  friend bool operator==(const AssetOutcome&, const AssetOutcome&) = default;
};

enum class ReadResult {
  UnknownReader,  // not an RFID reader of this site (or not bound to the device)
  UnknownEpc,     // counted only
  Duplicate,      // within the de-duplication window of the same (epc, reader): counted only
  Unchanged,      // location unchanged: counted, nothing to store
  Moved,          // `movement` changes the location: store it
  Confirmed,      // `movement` (from == to) confirms presence in the home rack: store it
};

[[nodiscard]] std::string_view to_string(ReadResult r) noexcept;

struct Observation {
  ReadResult result = ReadResult::UnknownEpc;
  std::optional<AssetMovement> movement;  // Moved / Confirmed: store it (already applied)
  AssetOutcome outcome;                   // what apply_movement() said (alarms)
};

// ---- State and queries ----------------------------------------------------------------------------------

struct AssetState {
  AssetDef def;  // current values (lifecycle included)
  Location location;
  std::optional<Timestamp> located_at;            // time of the last stored movement
  std::optional<Timestamp> confirmed_in_home_at;  // last stored movement/confirmation in the home rack
  Timestamp missing_since_base{};                 // when the missing clock started (site load / in service)
  std::optional<Timestamp> last_read_at;          // live only: last accepted read (not replayed)
  bool missing = false;                           // asset_missing raised and not yet seen again
  std::uint64_t reads_since_movement = 0;         // live only
  friend bool operator==(const AssetState&, const AssetState&) = default;
};

struct SealState {
  SealDef def;
  SealStatus status = SealStatus::Intact;
  bool retired = false;  // replaced by a fitted seal
  std::optional<Timestamp> checked_at;
  std::string last_observed_serial;
  friend bool operator==(const SealState&, const SealState&) = default;
};

enum class MoveOrderStatus { Requested, Approved, Completed };
[[nodiscard]] std::string_view to_string(MoveOrderStatus s) noexcept;

struct MoveOrder {
  MoveOrderId id;
  AssetId asset;
  ZoneId to_zone;
  RackId to_rack;
  ZoneId origin;  // the asset's zone when requested (its home rack's zone when its location was unknown)
  std::string reason;
  Timestamp valid_until{};
  OperatorId requested_by;
  PersonId requester;
  Timestamp requested_at{};
  OperatorId approved_by;
  PersonId approver;
  std::string comment;
  std::optional<Timestamp> approved_at;
  MoveOrderStatus status = MoveOrderStatus::Requested;
  std::optional<Timestamp> completed_at;
  friend bool operator==(const MoveOrder&, const MoveOrder&) = default;
};

// One line of an asset's custody trail, in the order things happened.
struct CustodyEntry {
  Timestamp at{};
  std::string what;  // "registered", "updated", "lifecycle", "wipe", "destruction", "disposal", "movement",
                     // "move_order_requested", "move_order_approved", "move_order_completed", "seal_fitted",
                     // "seal_checked", "alarm"
  OperatorId by;     // empty for RFID movements
  PersonId person;   // the acting operator's person
  std::vector<PersonId> witnesses;
  std::string reason;
  std::vector<FieldChange> changes;  // before/after; movements: location, reader, device, reads
  friend bool operator==(const CustodyEntry&, const CustodyEntry&) = default;
};

struct ReadCounters {
  std::uint64_t raw = 0;  // sum of RfidObservation::count over all observations
  std::uint64_t observations = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t unknown_epc = 0;
  std::uint64_t unknown_reader = 0;
  std::uint64_t movements = 0;      // stored changes of location (live or replayed)
  std::uint64_t confirmations = 0;  // stored presence confirmations
  friend bool operator==(const ReadCounters&, const ReadCounters&) = default;
};

class AssetBook {
 public:
  // What the book holds that a replay rebuilds, for an engine snapshot (core/snapshot); the look-up indexes
  // are derived from it. Trails are parallel to assets.
  struct Contents {
    std::vector<AssetState> assets;
    std::vector<std::vector<CustodyEntry>> trails;
    std::vector<SealState> seals;
    std::vector<MoveOrder> orders;
    ReadCounters counters;
    friend bool operator==(const Contents&, const Contents&) = default;
  };

  // The site's assets and seals are the initial registry; `at` is the stored time of the site load (the
  // missing clock of every asset starts there).
  AssetBook(std::shared_ptr<const SiteModel> model, Timestamp at);
  // The book a snapshot describes, over the model in force when it was taken (live-only de-duplication
  // starts empty, as after a replay).
  AssetBook(std::shared_ptr<const SiteModel> model, Contents contents);
  [[nodiscard]] Contents contents() const { return {assets_, trails_, seals_, orders_, counters_}; }

  // One RFID report. Hot path: no allocation for unknown tags and duplicates; an accepted read costs at most
  // one small de-duplication node (about 0.8 M accepted reads/s on one core, docs/assets.md).
  [[nodiscard]] Observation observe(const RfidObservation& read, Timestamp now);
  // Applies a movement (observe() does it; the replay calls it for stored ones). Alarms come from here.
  AssetOutcome apply_movement(const AssetMovement& movement, Timestamp now);
  // An operator action. `who.person` is the acting person (two-person checks, self-approval).
  [[nodiscard]] AssetOutcome apply(const AssetAction& action, Timestamp now, const Actor& who);
  // asset_missing deadlines.
  [[nodiscard]] AssetOutcome tick(Timestamp now);
  // Swap in a newly loaded site: assets and seals the book does not know yet are added (their missing clock
  // starts at `at`); known ones keep the book's state (operator actions own them after the first load).
  void replace_model(std::shared_ptr<const SiteModel> model, Timestamp at);

  [[nodiscard]] const SiteModel& model() const noexcept { return *model_; }

  // Queries.
  [[nodiscard]] const AssetState* asset(const AssetId& id) const;
  [[nodiscard]] const AssetState* asset_by_epc(std::string_view epc) const;
  [[nodiscard]] const std::vector<AssetState>& assets() const noexcept {
    return assets_;
  }  // registration order
  // Assets whose current location is this rack, in registration order.
  [[nodiscard]] std::vector<AssetId> assets_in_rack(const RackId& rack) const;
  [[nodiscard]] const SealState* seal(const SealId& id) const;
  [[nodiscard]] const std::vector<SealState>& seals() const noexcept { return seals_; }
  [[nodiscard]] std::vector<SealState> seals_of_rack(const RackId& rack) const;
  [[nodiscard]] std::vector<SealState> seals_of_asset(const AssetId& asset) const;
  [[nodiscard]] const MoveOrder* move_order(const MoveOrderId& id) const;
  // Requested or approved and not expired at `now`.
  [[nodiscard]] std::vector<MoveOrder> open_move_orders(Timestamp now) const;
  [[nodiscard]] const std::vector<CustodyEntry>& custody_trail(const AssetId& asset) const;
  [[nodiscard]] const ReadCounters& counters() const noexcept { return counters_; }
  // Live de-duplication entries (bounded by the reads of one window).
  [[nodiscard]] std::size_t dedup_entries() const noexcept { return dedup_.size(); }

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  struct DedupEntry {
    std::uint64_t key;
    Timestamp at;
  };

  AssetOutcome apply_action(const AssetAction& action, Timestamp now, const Actor& who);
  void add_asset(const AssetDef& def, Timestamp at);
  void add_seal(const SealDef& def);
  void reindex();
  [[nodiscard]] std::uint32_t index_of(const AssetId& id) const;
  [[nodiscard]] bool zone_allowed(const AssetState& a, Index zone) const;
  [[nodiscard]] const MoveOrder* covering_order(const AssetState& a, const Location& to, Timestamp now) const;
  [[nodiscard]] bool seal_is_critical(const SealState& s) const;
  [[nodiscard]] std::int64_t missing_after_s(const AssetState& a) const;
  void expire_dedup(Timestamp now);

  std::shared_ptr<const SiteModel> model_;
  std::vector<AssetState> assets_;
  std::vector<std::vector<CustodyEntry>> trails_;  // parallel to assets_
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> by_epc_;
  std::unordered_map<AssetId, std::uint32_t> by_id_;
  std::vector<SealState> seals_;
  std::unordered_map<SealId, std::uint32_t> seal_ids_;
  std::vector<MoveOrder> orders_;
  std::unordered_map<MoveOrderId, std::uint32_t> order_ids_;
  // (asset index << 32 | reader key) -> last accepted read; expired incrementally through dedup_queue_.
  std::unordered_map<std::uint64_t, Timestamp> dedup_;
  std::deque<DedupEntry> dedup_queue_;
  ReadCounters counters_;
};

}  // namespace portcullis::core
