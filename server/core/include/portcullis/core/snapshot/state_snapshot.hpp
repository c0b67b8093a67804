#pragma once
// An engine snapshot: everything a replay of a site's history rebuilds, as it stood after the record
// `site_seq` (whose chain hash is `chain_hash`), so a restart loads it and replays only the records after
// it (docs/event-store.md, "Snapshots"). Not part of the hash chain and never evidence: the loader trusts
// one only when its point matches the stored chain, its format version is known and the digest the storage
// adapter keeps beside it checks (the core has no hash functions).
//
// The site model is not in it: the snapshot names the site versions (by content hash) whose definition and
// text were in force, and the loader reads them from the verified site_versions table; the model is rebuilt
// from that definition with the admin edits of the engine state laid over it.
//
// Encoding (binary, little-endian, length-prefixed, fast to load): "PCSNAP" magic, the format version
// (u32), the body. A body of another format version is refused as a value, so an upgrade that changes the
// state simply replays from zero.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "portcullis/core/alarms/alarm_book.hpp"
#include "portcullis/core/assets/asset_book.hpp"
#include "portcullis/core/live/facility_view.hpp"
#include "portcullis/core/policy/engine_state.hpp"
#include "portcullis/core/time.hpp"

namespace portcullis::core {

// Bump on any change to what StateSnapshot holds or how it is encoded.
inline constexpr std::uint32_t kStateSnapshotFormat = 1;

// An EPCIS eventID remembered for idempotency: its canonical hash and first answer, and when it was
// remembered (what leaves memory first).
struct RememberedEpcisEvent {
  std::string event_id;
  std::string canonical_sha256;
  std::string result_json;
  Timestamp at{};
  friend bool operator==(const RememberedEpcisEvent&, const RememberedEpcisEvent&) = default;
};

struct StateSnapshot {
  std::int64_t site_seq = 0;
  std::array<std::uint8_t, 32> chain_hash{};
  // Site versions by content hash (hex): the one whose definition the engine's model is built from, the one
  // whose text is in force (they differ only after a stored version that no longer validates), and the one
  // named by the last site.loaded record. Empty: the site the server was started with.
  std::string definition_site_hash;
  std::string text_site_hash;
  std::string loaded_site_hash;
  // The engine still runs the very model it was started with (not one built again from the same site):
  // a site.loaded of the start-up site is then a no-op, as on a replay.
  bool engine_on_startup_model = false;
  EngineState engine;
  AlarmBook::Contents alarms;
  // The asset book, once the log holds it (opened by a stored record); absent: opened at start-up.
  std::optional<AssetBook::Contents> assets;
  Timestamp assets_opened_at{};
  bool registry_recorded = false;
  std::vector<RememberedEpcisEvent> epcis_events;  // oldest first
  bool epcis_forgot_any = false;
  std::map<std::string, std::int64_t> last_seq_by_device;
  std::set<std::string> recorded_findings;  // integrity findings the log already records (by detail)
  // The live view's doors as the records left them (open, locked, unlocked_at; the rest is the engine's).
  std::vector<DoorView> doors;
  friend bool operator==(const StateSnapshot&, const StateSnapshot&) = default;
};

[[nodiscard]] std::string encode_snapshot(const StateSnapshot& snapshot);

struct SnapshotRefusal {
  enum class Why { NotASnapshot, UnknownFormat, Malformed };
  Why why = Why::Malformed;
  std::string detail;
};
[[nodiscard]] std::string_view to_string(SnapshotRefusal::Why why) noexcept;

// Never throws: a refusal says why (an unknown format version names it).
[[nodiscard]] std::variant<StateSnapshot, SnapshotRefusal> decode_snapshot(std::string_view bytes);

// The format version of an encoded snapshot, or nothing when it is not one.
[[nodiscard]] std::optional<std::uint32_t> snapshot_format(std::string_view bytes) noexcept;

}  // namespace portcullis::core
