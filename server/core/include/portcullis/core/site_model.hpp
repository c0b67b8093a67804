#pragma once
// The facility as the core decides on it. Immutable once built: a new site load builds a new model and
// swaps it in whole, so a decision never sees half of an update. Built only from a valid SiteDefinition;
// every cross-reference is resolved to an index once, so a decision does a handful of hash lookups and
// binary searches however large the campus.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "portcullis/core/model/problem.hpp"
#include "portcullis/core/model/site_definition.hpp"

namespace portcullis::core {

using Index = std::uint32_t;
inline constexpr Index kNoIndex = 0xFFFFFFFFU;

using FactorMask = std::uint8_t;
[[nodiscard]] constexpr FactorMask factor_bit(Factor f) noexcept {
  return static_cast<FactorMask>(1U << static_cast<unsigned>(f));
}

struct ZoneNode {
  ZoneDef def;
  Index parent = kNoIndex;
  int depth = 0;
};

struct ReaderNode {
  ReaderDef def;
  bool on_rack = false;
  Index target = kNoIndex;        // portal index, or rack index when on_rack
  std::vector<DeviceId> devices;  // the devices that list this reader
  // The same devices as sorted model indexes: the scope check of every badge asks "does the sending device
  // list this reader?", and a reader is listed by one or two devices, so a scan here beats a binary search
  // through a controller's (possibly thousands of) readers.
  std::vector<Index> device_indexes;
};

struct PortalNode {
  PortalDef def;
  Index from = kNoIndex;
  Index to = kNoIndex;
};

struct RackNode {
  RackDef def;
  Index zone = kNoIndex;
};

struct CredentialNode {
  CredentialId id;
  Index person = kNoIndex;
  bool revoked = false;
};

// One grant covering one zone or rack, in a subject's coverage list sorted by target: a decision finds the
// grants covering its destination with one binary search over contiguous memory instead of visiting every
// grant.
inline constexpr Index kRackTargetBit = 0x80000000U;
struct Coverage {
  Index target = 0;  // zone index, or kRackTargetBit | rack index
  Index grant = 0;
  friend bool operator<(const Coverage& a, const Coverage& b) {
    return a.target != b.target ? a.target < b.target : a.grant < b.grant;
  }
};

struct PersonNode {
  PersonId id;
  std::string name;
  bool revoked = false;
  ClearanceDef clearance;
  std::string pin_hash;
  std::string duress_pin_hash;
  std::vector<Index> groups;
  std::vector<Index> grants;       // direct grants
  std::vector<Coverage> coverage;  // of the direct grants
};

struct GroupNode {
  GroupId id;
  std::vector<Index> grants;
  std::vector<Coverage> coverage;
};

// A grant with its coverage expanded to sorted zone and rack indexes (subzones, racks of denied zones).
struct GrantNode {
  GrantId id;
  GrantEffect effect = GrantEffect::Allow;
  std::vector<Index> zones;
  std::vector<Index> racks;
  Index schedule = kNoIndex;  // kNoIndex: at any time
  std::optional<Timestamp> valid_from;
  std::optional<Timestamp> valid_until;
  bool revoked = false;
};

struct MantrapNode {
  MantrapDef def;
  Index vestibule = kNoIndex;
  std::vector<Index> portals;
};

// An RFID reader placed in a zone: area antennas and handheld audit stations.
struct AreaReaderNode {
  AreaReaderDef def;
  Index zone = kNoIndex;
  std::vector<DeviceId> devices;  // the devices that list this reader
};

// A device's scope resolved to sorted indexes (device_scope.hpp): what it may speak for.
struct DeviceNode {
  DeviceId id;
  DeviceKind kind = DeviceKind::DoorController;
  std::int64_t heartbeat_s = 0;  // 0: not supervised for silence
  std::vector<Index> readers;    // portal and rack readers (area readers are the asset book's)
  std::vector<Index> portals;
  std::vector<Index> racks;
  std::vector<Index> mantraps;
  std::vector<Index> zones;
};

struct TierNode {
  TierRequirementDef def;
  std::vector<FactorMask> any_of;  // each acceptable factor set as a mask, in file order
};

class SiteModel;

struct BuildResult {
  std::shared_ptr<const SiteModel> model;  // null when problems is not empty
  Problems problems;
};

class SiteModel {
 public:
  // Validates, then indexes. A definition with any problem yields no model.
  [[nodiscard]] static BuildResult build(const SiteDefinition& definition);
  // An empty site: every decision denies (unknown reader).
  SiteModel() = default;

  [[nodiscard]] const std::string& site_id() const noexcept { return site_id_; }
  [[nodiscard]] const std::string& version() const noexcept { return version_; }
  [[nodiscard]] const SiteSettings& settings() const noexcept { return settings_; }

  [[nodiscard]] Index zone_index(const ZoneId& id) const;
  [[nodiscard]] Index portal_index(const PortalId& id) const;
  [[nodiscard]] Index rack_index(const RackId& id) const;
  [[nodiscard]] Index reader_index(const ReaderId& id) const;
  [[nodiscard]] Index person_index(const PersonId& id) const;
  [[nodiscard]] Index group_index(const GroupId& id) const;
  [[nodiscard]] Index grant_index(const GrantId& id) const;
  [[nodiscard]] Index credential_index(const CredentialId& id) const;
  [[nodiscard]] Index card_credential(std::uint32_t facility, std::uint64_t number) const;
  [[nodiscard]] Index biometric_credential(const std::string& template_id) const;
  [[nodiscard]] const TierNode* tier(int tier) const;
  // The tier `steps` places above `tier` in the site's list of tiers, capped at the highest (threat levels).
  [[nodiscard]] int raised_tier(int tier, int steps) const;
  [[nodiscard]] Index mantrap_index(const MantrapId& id) const;
  [[nodiscard]] Index mantrap_of_portal(Index portal) const {
    return portal < portal_mantrap_.size() ? portal_mantrap_[portal] : kNoIndex;
  }
  [[nodiscard]] const MantrapNode& mantrap(Index i) const { return mantraps_[i]; }
  [[nodiscard]] std::size_t mantrap_count() const noexcept { return mantraps_.size(); }
  // The two-person rule of a zone (entries into it) or a rack; the default rule when the site has none.
  [[nodiscard]] const TwoPersonRuleDef& zone_two_person_rule(Index zone) const;
  [[nodiscard]] const TwoPersonRuleDef& rack_two_person_rule(Index rack) const;
  // Zones with min_occupancy >= 2, in file order.
  [[nodiscard]] const std::vector<Index>& two_person_zones() const noexcept { return two_person_zones_; }
  [[nodiscard]] Index device_index(const DeviceId& id) const;
  [[nodiscard]] const DeviceNode& device(Index i) const { return devices_[i]; }
  [[nodiscard]] std::size_t device_count() const noexcept { return devices_.size(); }
  // The devices that list the portal (its door contact and request-to-exit), sorted by id.
  [[nodiscard]] const std::vector<DeviceId>& portal_devices(Index portal) const {
    return portal_devices_[portal];
  }
  // The device's heartbeat interval in seconds (0: not supervised or unknown device).
  [[nodiscard]] std::int64_t heartbeat_s(const DeviceId& id) const;

  [[nodiscard]] const ZoneNode& zone(Index i) const { return zones_[i]; }
  [[nodiscard]] const PortalNode& portal(Index i) const { return portals_[i]; }
  [[nodiscard]] const RackNode& rack(Index i) const { return racks_[i]; }
  [[nodiscard]] std::size_t rack_count() const noexcept { return racks_.size(); }
  [[nodiscard]] const ReaderNode& reader(Index i) const { return readers_[i]; }
  [[nodiscard]] const PersonNode& person(Index i) const { return people_[i]; }
  [[nodiscard]] const GroupNode& group(Index i) const { return groups_[i]; }
  [[nodiscard]] const GrantNode& grant(Index i) const { return grants_[i]; }
  [[nodiscard]] const CredentialNode& credential(Index i) const { return credentials_[i]; }
  [[nodiscard]] const ScheduleDef& schedule(Index i) const { return schedules_[i]; }
  [[nodiscard]] Index schedule_index(const ScheduleId& id) const;

  [[nodiscard]] std::size_t zone_count() const noexcept { return zones_.size(); }
  [[nodiscard]] std::size_t person_count() const noexcept { return people_.size(); }
  [[nodiscard]] std::size_t grant_count() const noexcept { return grants_.size(); }
  [[nodiscard]] std::size_t portal_count() const noexcept { return portals_.size(); }

  // The site file's assets and seals (the AssetBook's initial registry) and zone-placed RFID
  // readers.
  [[nodiscard]] const std::vector<AssetDef>& assets() const noexcept { return assets_; }
  [[nodiscard]] const std::vector<SealDef>& seals() const noexcept { return seals_; }
  [[nodiscard]] Index area_reader_index(const ReaderId& id) const;
  [[nodiscard]] const AreaReaderNode& area_reader(Index i) const { return area_readers_[i]; }
  [[nodiscard]] std::size_t area_reader_count() const noexcept { return area_readers_.size(); }
  [[nodiscard]] std::size_t reader_count() const noexcept { return readers_.size(); }

  // True when `ancestor` is `zone` or one of its parents.
  [[nodiscard]] bool is_within(Index zone, Index ancestor) const;
  [[nodiscard]] const std::vector<std::chrono::sys_days>& holidays() const noexcept { return holidays_; }

 private:
  std::string site_id_;
  std::string version_;
  SiteSettings settings_;
  std::vector<std::chrono::sys_days> holidays_;
  std::vector<ZoneNode> zones_;
  std::vector<PortalNode> portals_;
  std::vector<RackNode> racks_;
  std::vector<ReaderNode> readers_;
  std::vector<PersonNode> people_;
  std::vector<GroupNode> groups_;
  std::vector<GrantNode> grants_;
  std::vector<CredentialNode> credentials_;
  std::vector<ScheduleDef> schedules_;
  std::vector<TierNode> tiers_;
  std::vector<int> tier_numbers_;  // sorted
  std::vector<MantrapNode> mantraps_;
  std::vector<Index> portal_mantrap_;
  std::vector<Index> two_person_zones_;
  std::vector<TwoPersonRuleDef> two_person_rules_;
  std::vector<Index> zone_rule_, rack_rule_;  // index into two_person_rules_, or kNoIndex
  std::unordered_map<MantrapId, Index> mantrap_ids_;
  std::vector<DeviceNode> devices_;
  std::unordered_map<DeviceId, Index> device_ids_;
  std::vector<std::vector<DeviceId>> portal_devices_;
  std::unordered_map<DeviceId, std::int64_t> heartbeats_;
  std::unordered_map<ZoneId, Index> zone_ids_;
  std::unordered_map<PortalId, Index> portal_ids_;
  std::unordered_map<RackId, Index> rack_ids_;
  std::unordered_map<ReaderId, Index> reader_ids_;
  std::unordered_map<PersonId, Index> person_ids_;
  std::unordered_map<GroupId, Index> group_ids_;
  std::unordered_map<GrantId, Index> grant_ids_;
  std::unordered_map<CredentialId, Index> credential_ids_;
  std::unordered_map<ScheduleId, Index> schedule_ids_;
  std::unordered_map<std::uint64_t, Index> cards_;  // key: facility << 40 | number
  std::unordered_map<std::string, Index> biometrics_;
  std::unordered_map<int, Index> tier_ids_;
  std::vector<AssetDef> assets_;
  std::vector<SealDef> seals_;
  std::vector<AreaReaderNode> area_readers_;
  std::unordered_map<ReaderId, Index> area_reader_ids_;
};

}  // namespace portcullis::core
