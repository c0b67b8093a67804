#pragma once
// What a site file says, as plain values: no indexes, no validation yet. The site_file adapter fills it
// from JSON; validate() checks it; SiteModel::build() turns a valid one into the immutable indexed model.
// Vectors keep the order of the file so a problem can name its JSON path ($.zones[3]...).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "portcullis/core/calendar/time_zone.hpp"
#include "portcullis/core/device_event.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/core/strong_id.hpp"
#include "portcullis/core/time.hpp"

namespace portcullis::core {

// Anti-passback behaviour of a zone: what happens when a person is not where the reader expects.
enum class ApbMode { None, Soft, Hard, Timed };

enum class ReaderSide { Entry, Exit };

// Two-person entry: who may authenticate first and how long the second person has.
enum class TwoPersonMode { AnyOrder, Ordered };
// In the site file it is written on its zone or rack ("two_person_rule"); here it is a list naming the zone
// or rack (exactly one), so the zone and rack structs keep their shape.
struct TwoPersonRuleDef {
  ZoneId zone;
  RackId rack;
  TwoPersonMode mode = TwoPersonMode::AnyOrder;
  GroupId first_group;         // Ordered: the first person must be a member (e.g. supervisors)
  std::int64_t window_s = 30;  // the second authentication must arrive at the same portal side within this
  friend bool operator==(const TwoPersonRuleDef&, const TwoPersonRuleDef&) = default;
};

// What happens when the second-to-last person leaves a zone with min_occupancy 2.
enum class LonePersonPolicy { Alarm, DenyExit };

// What a reader can read. A combined badge + PIN pad reader has two bits.
// kReadsRfid: an RFID antenna. On a portal its side gives the direction an asset read there is
// taken to be passing (Entry: from `from` into `to`); on a rack it places the asset in the rack. RFID reads
// never decide access.
enum ReaderCapability : std::uint8_t {
  kReadsBadge = 1U,
  kReadsPin = 2U,
  kReadsBiometric = 4U,
  kReadsRfid = 8U
};

struct ZoneDef {
  ZoneId id;
  std::string name;
  ZoneId parent;  // empty for the root (exactly one root per site)
  int tier = 0;
  ApbMode apb = ApbMode::None;
  std::int64_t apb_timeout_s = 0;  // Timed only: presence in this zone is forgotten after this
  int min_occupancy = 0;           // two-person integrity: 2 = nobody may be alone inside
  std::string label{};  // optional short name for screens (the guard console's map); empty: use the name
  friend bool operator==(const ZoneDef&, const ZoneDef&) = default;
};

struct ReaderDef {
  ReaderId id;
  ReaderSide side = ReaderSide::Entry;
  std::uint8_t reads = kReadsBadge;  // ReaderCapability bits
  friend bool operator==(const ReaderDef&, const ReaderDef&) = default;
};

struct PortalDef {
  PortalId id;
  std::string name;
  ZoneId from;  // an Entry-side reader leads from `from` into `to`; an Exit-side reader the other way
  ZoneId to;
  std::vector<ReaderDef> readers;
  std::int64_t held_open_s = 30;  // door held open alarm after this long open
  std::int64_t unlock_s = 5;      // a grant or request-to-exit releases (and shunts) the door for this long
  bool fail_safe = false;         // released by a fire alarm of its zones
  std::string label{};  // optional short name for screens (the guard console's map); empty: use the name
  friend bool operator==(const PortalDef&, const PortalDef&) = default;
};

// A rack is opened like a portal into the rack: its readers decide with the rack's own tier and grants.
struct RackDef {
  RackId id;
  std::string name;
  ZoneId zone;
  int tier = 0;
  std::vector<ReaderDef> readers;  // always Entry side
  DeviceId lock_device;
  DeviceId contact_device;
  bool two_person = false;         // opening needs two persons
  std::int64_t held_open_s = 120;  // rack_door_held alarm after this long open (racks are worked on open)
  std::int64_t unlock_s = 10;      // a grant releases (and shunts) the rack door for this long
  std::string label{};  // optional short name for screens (the guard console's map); empty: use the name
  friend bool operator==(const RackDef&, const RackDef&) = default;
};

struct CardDef {
  CredentialId id;
  CardFormat format = CardFormat::FacilityAndNumber;
  std::uint32_t facility = 0;
  std::uint64_t number = 0;
  std::string raw_bits;  // optional; when present it must decode to facility/number
  bool revoked = false;
  friend bool operator==(const CardDef&, const CardDef&) = default;
};

struct BiometricDef {
  CredentialId id;
  std::string template_id;  // the reader's reference; the template itself never leaves the reader
  bool revoked = false;
  friend bool operator==(const BiometricDef&, const BiometricDef&) = default;
};

enum class ClearanceStatus { None, Pending, Cleared, Denied };

struct ClearanceDef {
  ClearanceStatus status = ClearanceStatus::None;
  std::optional<Timestamp> expires;  // background checks expire; none = never
  friend bool operator==(const ClearanceDef&, const ClearanceDef&) = default;
};

struct PersonDef {
  PersonId id;
  std::string name;
  std::string role;  // free text for operators ("engineer", "guard"...); no policy meaning
  bool revoked = false;
  ClearanceDef clearance;
  std::vector<CardDef> cards;
  std::vector<BiometricDef> biometrics;
  std::string pin_hash;         // slow salted hash, verified through PinVerifier; empty = no PIN
  std::string duress_pin_hash;  // a second PIN that grants and raises a silent duress alarm
  friend bool operator==(const PersonDef&, const PersonDef&) = default;
};

struct GroupDef {
  GroupId id;
  std::string name;
  std::vector<PersonId> members;
  friend bool operator==(const GroupDef&, const GroupDef&) = default;
};

// Days bit 0 = Monday ... bit 6 = Sunday; minutes of the local day, start inclusive, end exclusive.
struct WeeklyWindow {
  std::uint8_t days = 0;
  int start_minute = 0;
  int end_minute = 0;
  friend bool operator==(const WeeklyWindow&, const WeeklyWindow&) = default;
};

struct ScheduleDef {
  ScheduleId id;
  std::string name;
  std::vector<WeeklyWindow> windows;
  bool closed_on_holidays = true;  // holidays are the site's list (SiteSettings::holidays)
  friend bool operator==(const ScheduleDef&, const ScheduleDef&) = default;
};

enum class GrantEffect { Allow, Deny };

struct GrantDef {
  GrantId id;
  PersonId person;  // exactly one of person / group
  GroupId group;
  GrantEffect effect = GrantEffect::Allow;
  std::vector<ZoneId> zones;
  std::vector<RackId> racks;
  bool include_subzones = false;  // Allow only; a Deny always covers the subtree and its racks
  ScheduleId schedule;            // empty: at any time
  std::optional<Timestamp> valid_from;
  std::optional<Timestamp> valid_until;  // exclusive
  bool revoked = false;
  friend bool operator==(const GrantDef&, const GrantDef&) = default;
};

// What a device is decides which event types it may send (device_scope.hpp has the table); its lists decide
// which readers, portals, racks, mantraps and zones it may speak for. Anything else is refused.
enum class DeviceKind { DoorController, RackController, RfidReader, Reader, FirePanel, OccupancySensor };

struct DeviceDef {
  DeviceId id;
  DeviceKind kind = DeviceKind::DoorController;
  std::vector<ReaderId> readers;
  std::vector<PortalId> portals;  // door contacts and requests to exit
  std::vector<RackId> racks;      // rack door contacts
  std::string token_sha256;  // hex SHA-256 of the device's bearer token; the token is provisioned separately
  std::int64_t heartbeat_s = 0;  // device_silent alarm when nothing is heard for longer; 0 = not supervised
  std::vector<MantrapId> mantraps;  // vestibule occupancy reports
  std::vector<ZoneId> zones;        // fire alarms: these zones and every zone inside them
  friend bool operator==(const DeviceDef&, const DeviceDef&) = default;
};

// Which factor combinations a tier accepts: any one of the sets, each set all of its factors.
// Example: compute hall = {{badge, pin}, {badge, biometric}}.
struct TierRequirementDef {
  int tier = 0;
  std::vector<std::vector<Factor>> any_of;
  bool clearance_required = false;
  bool two_person = false;  // entry needs two distinct persons (see TwoPersonRuleDef)
  friend bool operator==(const TierRequirementDef&, const TierRequirementDef&) = default;
};

// Portals around a vestibule: at most one of them open or released at a time.
struct MantrapDef {
  MantrapId id;
  ZoneId vestibule;
  std::vector<PortalId> portals;
  std::int64_t max_dwell_s = 60;
  std::string label{};  // optional short name for screens (the guard console's map); empty: use the name
  friend bool operator==(const MantrapDef&, const MantrapDef&) = default;
};

// Assets, seals and RFID readers that are not on a portal or rack. See docs/assets.md.
enum class AssetKind { GpuServer, StorageDrive, Hsm, NetworkDevice, Other };
// received -> in_service <-> maintenance; in_service | maintenance -> decommissioning -> wiped -> destroyed
// -> disposed. Stable strings (to_string) are part of the API.
enum class AssetLifecycle { Received, InService, Maintenance, Decommissioning, Wiped, Destroyed, Disposed };

struct AssetDef {
  AssetId id;
  std::string tag;     // the organisation's asset tag (label on the chassis)
  std::string serial;  // manufacturer serial
  std::string model;
  AssetKind kind = AssetKind::Other;
  std::string
      epc;  // RFID pure-identity URN: urn:epc:id:giai:<company>.<asset> or urn:epc:id:sgtin:<c>.<i>.<s>
  RackId home_rack;    // empty: not racked (spares, handheld tools)
  int unit = 0;        // rack unit position of the lowest U it occupies; 0 = not recorded
  PersonId custodian;  // optional
  AssetLifecycle lifecycle = AssetLifecycle::InService;
  bool holds_model_weights = false;
  // Zones the asset may be in, each with its subzones. Empty: the home rack's zone and its subzones; an asset
  // with neither is not restricted.
  std::vector<ZoneId> allowed_zones;
  std::int64_t missing_after_s = 0;  // 0: SiteSettings::asset_missing_after_s
  friend bool operator==(const AssetDef&, const AssetDef&) = default;
};

// A tamper-evident seal on exactly one rack or asset.
struct SealDef {
  SealId id;
  std::string serial;  // printed on the seal; a check reports the serial it found
  RackId rack;
  AssetId asset;
  friend bool operator==(const SealDef&, const SealDef&) = default;
};

// An RFID reader placed in a zone rather than on a portal or rack: a ceiling/area antenna or a handheld audit
// station (whose reads may carry an explicit rack or zone). Its id shares the namespace of the other readers.
struct AreaReaderDef {
  ReaderId id;
  ZoneId zone;
  friend bool operator==(const AreaReaderDef&, const AreaReaderDef&) = default;
};

struct SiteSettings {
  TimeZoneRule time_zone;
  std::vector<std::chrono::year_month_day> holidays;  // local dates
  std::int64_t factor_window_s = 30;  // factors at one portal side within this combine into one attempt
  int pin_max_failures = 5;           // consecutive wrong PINs that lock the credential
  std::int64_t jit_request_ttl_s = 24 * 3600;
  std::int64_t jit_max_duration_s = 12 * 3600;
  // Device time (docs/access-policy.md): a device event is decided at its own clock, clamped to the receive
  // time and kept in order per device; one whose clock is further behind the receive time than this is
  // late (never grants, never combines with other factors; supervision judges it at its own time).
  std::int64_t device_time_skew_s = 120;
  LonePersonPolicy lone_person_policy = LonePersonPolicy::Alarm;
  std::int64_t lone_person_grace_s = 60;   // Alarm policy: lone_person alarm after this long alone
  std::int64_t contact_debounce_ms = 250;  // a door contact change counts once stable for this long
  // RFID reads of one tag at one reader within this window count once (duplicates are only counted).
  std::int64_t rfid_dedup_window_ms = 2000;
  // An in-service asset not seen in its home rack for this long raises asset_missing (per-asset override).
  std::int64_t asset_missing_after_s = 900;
  friend bool operator==(const SiteSettings&, const SiteSettings&) = default;
};

// What the guards should do when an alarm of one kind is raised, shown with the alarm (docs/site-file.md).
struct AlarmResponseDef {
  std::string kind;      // an alarm kind, e.g. "door_forced"
  std::string response;  // plain text for the guard
  friend bool operator==(const AlarmResponseDef&, const AlarmResponseDef&) = default;
};

struct SiteDefinition {
  std::string site_id;
  std::string name;
  std::string version;  // the admin's version string; the content hash is computed by the loader's caller
  SiteSettings settings;
  std::vector<ZoneDef> zones;
  std::vector<PortalDef> portals;
  std::vector<RackDef> racks;
  std::vector<PersonDef> people;
  std::vector<GroupDef> groups;
  std::vector<ScheduleDef> schedules;
  std::vector<GrantDef> grants;
  std::vector<DeviceDef> devices;
  std::vector<TierRequirementDef> tiers;
  std::vector<MantrapDef> mantraps;
  std::vector<TwoPersonRuleDef> two_person_rules;  // places without one: any order, 30 s
  // The initial asset registry (the AssetBook owns it afterwards), seals, zone-placed RFID readers.
  std::vector<AssetDef> assets;
  std::vector<SealDef> seals;
  std::vector<AreaReaderDef> area_readers;
  std::vector<AlarmResponseDef> alarm_responses;  // per alarm kind, at most one each
  friend bool operator==(const SiteDefinition&, const SiteDefinition&) = default;
};

}  // namespace portcullis::core
