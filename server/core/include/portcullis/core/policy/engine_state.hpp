#pragma once
// Everything the engine remembers between events. Derived only from the ordered (events, actions, times),
// so replaying the log into a fresh engine rebuilds it exactly; operator== lets a test prove that.
// Keyed by ids, not model indexes, so it survives a site reload (pending attempts excepted: a reload
// abandons them, see Engine::replace_model).
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "portcullis/core/model/site_definition.hpp"
#include "portcullis/core/outcome.hpp"
#include "portcullis/core/policy/admin_change.hpp"
#include "portcullis/core/site_model.hpp"
#include "portcullis/core/strong_id.hpp"
#include "portcullis/core/time.hpp"

namespace portcullis::core {

struct Presence {
  ZoneId zone;
  Timestamp since{};
  friend bool operator==(const Presence&, const Presence&) = default;
};

// Factors presented at one portal side (or rack) by one person, combining into one access attempt.
struct PendingAttempt {
  PersonId person;
  CredentialId card;
  CredentialId biometric;
  FactorMask factors = 0;
  Timestamp started{};
  // The same, resolved in the current model (attempts do not survive a model swap).
  Index person_index = kNoIndex;
  Index card_index = kNoIndex;
  Index biometric_index = kNoIndex;
  friend bool operator==(const PendingAttempt&, const PendingAttempt&) = default;
};

struct JitRequest {
  OperatorId requested_by;
  PersonId requested_by_person;
  PersonId person;
  ZoneId zone;
  std::string reason;
  Duration duration{};
  Timestamp requested_at{};
  bool approved = false;
  friend bool operator==(const JitRequest&, const JitRequest&) = default;
};

// Door supervision of one portal, from its contact and the grants / requests-to-exit that release it.
struct DoorState {
  bool raw_open = false;  // as last reported
  Timestamp raw_since{};
  bool open = false;  // debounced: the raw state once stable for contact_debounce_ms
  Timestamp open_since{};
  Timestamp released_until{};  // a grant or REX releases and shunts the door until then
  PersonId released_for;       // the person of the grant (empty for REX)
  bool shunted = false;        // the current opening was released (no forced alarm)
  bool forced = false;         // the current opening raised door_forced
  bool held_alarmed = false;   // the current opening raised door_held
  bool contact_known = false;  // a contact state was reported: a mantrap door without one is taken as busy
  friend bool operator==(const DoorState&, const DoorState&) = default;
};

struct MantrapState {
  std::vector<std::pair<PersonId, Timestamp>> inside;  // granted into the vestibule, not yet out
  std::optional<std::uint32_t> sensed;                 // the occupancy sensor's last count
  std::optional<Timestamp> occupied_since;
  bool stuck_alarmed = false;
  PortalId entry_door;  // released for someone entering the vestibule: relocked once the sensor sees them
  friend bool operator==(const MantrapState&, const MantrapState&) = default;
};

// The first of two persons at a two-person portal side (or rack), waiting for the second.
struct TwoPersonAttempt {
  Decision first;  // the first person's decision, granted when the second completes
  // The first person's factors, decided again when the second completes (a revocation, expiry or edit in
  // between refuses the first person). Indexes are resolved again by id at that point.
  PendingAttempt first_attempt;
  Timestamp started{};
  Timestamp deadline{};
  bool exit = false;     // a pair leaving a min-occupancy zone (LonePersonPolicy::DenyExit)
  bool expired = false;  // window passed, two_person_window_expired raised
  friend bool operator==(const TwoPersonAttempt&, const TwoPersonAttempt&) = default;
};

struct DeviceSeen {
  Timestamp last{};
  bool silent_alarmed = false;
  friend bool operator==(const DeviceSeen&, const DeviceSeen&) = default;
};

struct LoneState {
  PersonId person;
  Timestamp since{};
  bool alarmed = false;
  friend bool operator==(const LoneState&, const LoneState&) = default;
};

// A supervisor asked to clear a fire state; a second operator confirms (operator_action.hpp, ClearFire).
struct FireClearRequest {
  OperatorId requested_by;
  PersonId requested_by_person;
  ZoneId zone;
  Timestamp requested_at{};
  friend bool operator==(const FireClearRequest&, const FireClearRequest&) = default;
};

// The first operator of a supervisor override that needs a second one (a two-person place, a lockdown).
struct PendingOverride {
  OperatorId by;
  PersonId by_person;
  Timestamp at{};
  friend bool operator==(const PendingOverride&, const PendingOverride&) = default;
};

struct EngineState {
  // Operator overrides of the model's revoked flags: true = revoked, false = restored.
  std::unordered_map<PersonId, bool> person_revoked;
  std::unordered_map<CredentialId, bool> credential_revoked;
  std::unordered_map<GrantId, bool> grant_revoked;
  std::unordered_set<GrantId> removed_grants;  // model grants removed by an operator
  std::map<GrantId, GrantDef> added_grants;    // operator and just-in-time grants
  std::map<std::string, JitRequest> jit_requests;
  bool site_lockdown = false;
  std::unordered_set<ZoneId> lockdowns;
  std::unordered_map<PersonId, Presence> presence;
  std::unordered_map<CredentialId, int> pin_failures;
  std::unordered_set<CredentialId> locked_credentials;
  // Key: reader target (portal or rack index) and side, see attempt_key().
  std::unordered_map<std::uint64_t, PendingAttempt> attempts;

  // Two-person windows and lone persons. Ordered maps: deadline alarms come out in a deterministic order.
  std::map<ZoneId, std::uint32_t> occupancy;  // recorded presence per zone
  std::map<PortalId, DoorState> doors;
  std::set<PortalId> doors_open;           // raw or debounced open: the only doors with deadlines
  std::map<RackId, DoorState> rack_doors;  // rack doors, supervised like portal doors
  std::set<RackId> rack_doors_open;
  std::map<MantrapId, MantrapState> mantraps;
  std::map<std::uint64_t, TwoPersonAttempt> two_person;  // key: attempt_key (dropped on reload)
  std::set<ZoneId> fires;                                // active fire alarms; empty id = the whole site
  std::map<ZoneId, int> threat_levels;                   // empty id = the whole site
  std::map<DeviceId, DeviceSeen> devices;
  std::set<std::pair<Timestamp, DeviceId>> silence_deadlines;  // last heard + heartbeat, per device
  std::map<ZoneId, LoneState> lone;
  // Zones with min_occupancy >= 2 that someone may have left (or entered) without badging: a request to
  // exit or an unbadged opening of one of their portals. Cleared when nobody is recorded inside.
  std::set<ZoneId> occupancy_unknown;
  // Per device: the time its last accepted event was decided at (device time kept in order, see
  // SiteSettings::device_time_skew_s).
  std::map<DeviceId, Timestamp> device_clocks;
  std::map<std::string, FireClearRequest> fire_clear_requests;
  // Key: "<person>|<portal or rack>" of the override waiting for its second operator.
  std::map<std::string, PendingOverride> pending_overrides;

  // Admin edits of people, credentials and membership in force (laid over the site definition, see
  // admin_change.hpp).
  AdminEdits admin;

  friend bool operator==(const EngineState&, const EngineState&) = default;
};

}  // namespace portcullis::core
