#pragma once
// What the core answers for one event: an access decision (for access requests) and any alarms.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/core/device_event.hpp"
#include "portcullis/core/strong_id.hpp"

namespace portcullis::core {

enum class Verdict { Grant, Deny, Pending };

// Why a decision came out as it did. Stable strings (see to_string) are part of the API.
enum class Reason {
  Granted,
  UnknownReader,
  UnknownCredential,
  CredentialRevoked,
  CredentialLocked,
  PersonRevoked,
  NoGrant,
  OutsideSchedule,
  GrantExpired,
  GrantNotYetValid,
  ClearanceExpired,
  MissingFactor,
  WrongPin,
  BiometricMismatch,
  AntiPassback,
  Lockdown,
  ExplicitDeny,
  InterlockBusy,
  SecondPersonPending,
  SecondPersonRequired,
  SamePersonTwice,
  WindowExpired,
  Tailgating,
  Duress,
  FireAlarmRelease,
  DecisionUnavailable,
  // Added with the access policy; appended so earlier values keep their numbers.
  ClearanceMissing,
  GrantRevoked,
  // Operator actions: accepted, or why they were refused.
  Applied,
  UnknownSubject,
  SelfApproval,
  ApproverRoleRequired,
  RequestExpired,
  DuplicateId,
  DurationTooLong,
  ReaderNotOnDevice,
  // Added with mantraps and two-person rules.
  SupervisorOverride,
  TwoPersonOrder,
  // Added with assets, seals and disposal custody.
  InvalidTransition,  // not an edge of the asset lifecycle graph (or needs its own action)
  EvidenceRequired,   // wipe method / certificate hash, destruction witnesses, disposal vendor/manifest
  InvalidValue,       // a malformed field (EPC, hash, empty reason...); AssetOutcome::detail names it
  AlreadyDecided,     // a move order already approved, a seal already retired
  // A factor reported from a reader the site file says cannot read it (a badge from an RFID-only antenna, a
  // PIN from a badge-only reader): spoofing or a miswired controller, never an access attempt.
  ReaderCannotRead,
  // A device speaking for a reader, portal, rack, mantrap or zone its site entry does not list, or in an
  // event type its kind may not send (device_scope.hpp): refused, recorded, alarmed; nothing changes.
  DeviceOutOfScope,
  // A device event whose own clock is further behind its receive time than SiteSettings::device_time_skew_s.
  LateEvent,
  // A supervisor override into a two-person place or through a lockdown waits for a second operator (another
  // person) to confirm the same override.
  SecondOperatorRequired,
};

enum class Factor { Badge, Pin, Biometric, SecondPerson };

struct Decision {
  Verdict verdict = Verdict::Deny;
  Reason reason = Reason::DecisionUnavailable;
  std::optional<Factor> needed;  // set when verdict is Pending: what to present next
  PersonId person;
  CredentialId credential;  // the credential that identified the person, when known
  PortalId portal;
  ZoneId destination;
  RackId rack;
  friend bool operator==(const Decision&, const Decision&) = default;
};

enum class Severity { Low, Medium, High, Critical };

struct Alarm {
  std::string kind;  // "door_forced", "duress", "credential_locked", ...
  Severity severity = Severity::Medium;
  std::string subject;  // the portal, zone, reader, device or person the alarm is about
  std::string detail;
  bool silent = false;  // duress: not shown at the door, only to operators
  friend bool operator==(const Alarm&, const Alarm&) = default;
};

// What the decision implies for the door (or rack lock): open it for its unlock time, hold it locked, or
// leave it as it is. Never Lock for a door a fire alarm releases for egress.
enum class DoorAction { None, Unlock, Lock };

struct Outcome {
  std::optional<Decision> decision;
  std::vector<Alarm> alarms;
  // For PinEntered: the verdict the engine used (verified now, or the recorded one on replay). Store the
  // event with the clear PIN removed and this verdict in PinEntered::recorded_verdict.
  std::optional<PinVerdict> pin_verdict;
  PersonId pin_verified_for;  // whose hash it was checked against
  // A completed two-person entry: `decision` is the second person's grant, this the first person's (same
  // portal or rack, granted together).
  std::optional<Decision> first_person;
  DoorAction door_action = DoorAction::None;
  // Set when the engine refused the event outright (Reason::DeviceOutOfScope): the event's field that the
  // device may not speak for ("reader", "portal", "rack", "mantrap", "zone", "type"). The device adapter
  // answers with it. Derived on replay like the rest; not part of the stored outcome.
  std::string refused_field;
  friend bool operator==(const Outcome&, const Outcome&) = default;
};

[[nodiscard]] std::string_view to_string(Verdict v) noexcept;
[[nodiscard]] std::string_view to_string(Reason r) noexcept;
[[nodiscard]] std::string_view to_string(Factor f) noexcept;
[[nodiscard]] std::string_view to_string(Severity s) noexcept;
[[nodiscard]] std::string_view to_string(DoorAction a) noexcept;

}  // namespace portcullis::core
