#pragma once
// What the core answers for one event: an access decision (for access requests) and any alarms.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
};

enum class Factor { Badge, Pin, Biometric, SecondPerson };

struct Decision {
  Verdict verdict = Verdict::Deny;
  Reason reason = Reason::DecisionUnavailable;
  std::optional<Factor> needed;  // set when verdict is Pending: what to present next
  PersonId person;
  PortalId portal;
  ZoneId destination;
  RackId rack;
};

enum class Severity { Low, Medium, High, Critical };

struct Alarm {
  std::string kind;  // "door_forced", "duress", "credential_locked", ...
  Severity severity = Severity::Medium;
  std::string subject;  // the portal, zone, reader, device or person the alarm is about
  std::string detail;
  bool silent = false;  // duress: not shown at the door, only to operators
};

struct Outcome {
  std::optional<Decision> decision;
  std::vector<Alarm> alarms;
};

[[nodiscard]] std::string_view to_string(Verdict v) noexcept;
[[nodiscard]] std::string_view to_string(Reason r) noexcept;
[[nodiscard]] std::string_view to_string(Factor f) noexcept;
[[nodiscard]] std::string_view to_string(Severity s) noexcept;

}  // namespace portcullis::core
