#include "portcullis/core/outcome.hpp"

namespace portcullis::core {

std::string_view to_string(Verdict v) noexcept {
  switch (v) {
    case Verdict::Grant: return "grant";
    case Verdict::Deny: return "deny";
    case Verdict::Pending: return "pending";
  }
  return "deny";
}

std::string_view to_string(Reason r) noexcept {
  switch (r) {
    case Reason::Granted: return "granted";
    case Reason::UnknownReader: return "unknown_reader";
    case Reason::UnknownCredential: return "unknown_credential";
    case Reason::CredentialRevoked: return "credential_revoked";
    case Reason::CredentialLocked: return "credential_locked";
    case Reason::PersonRevoked: return "person_revoked";
    case Reason::NoGrant: return "no_grant";
    case Reason::OutsideSchedule: return "outside_schedule";
    case Reason::GrantExpired: return "grant_expired";
    case Reason::GrantNotYetValid: return "grant_not_yet_valid";
    case Reason::ClearanceExpired: return "clearance_expired";
    case Reason::MissingFactor: return "missing_factor";
    case Reason::WrongPin: return "wrong_pin";
    case Reason::BiometricMismatch: return "biometric_mismatch";
    case Reason::AntiPassback: return "anti_passback";
    case Reason::Lockdown: return "lockdown";
    case Reason::ExplicitDeny: return "explicit_deny";
    case Reason::InterlockBusy: return "interlock_busy";
    case Reason::SecondPersonPending: return "second_person_pending";
    case Reason::SecondPersonRequired: return "second_person_required";
    case Reason::SamePersonTwice: return "same_person_twice";
    case Reason::WindowExpired: return "window_expired";
    case Reason::Tailgating: return "tailgating";
    case Reason::Duress: return "duress";
    case Reason::FireAlarmRelease: return "fire_alarm_release";
    case Reason::DecisionUnavailable: return "decision_unavailable";
    case Reason::ClearanceMissing: return "clearance_missing";
    case Reason::GrantRevoked: return "grant_revoked";
    case Reason::Applied: return "applied";
    case Reason::UnknownSubject: return "unknown_subject";
    case Reason::SelfApproval: return "self_approval";
    case Reason::ApproverRoleRequired: return "approver_role_required";
    case Reason::RequestExpired: return "request_expired";
    case Reason::DuplicateId: return "duplicate_id";
    case Reason::DurationTooLong: return "duration_too_long";
    case Reason::ReaderNotOnDevice: return "reader_not_on_device";
    case Reason::SupervisorOverride: return "supervisor_override";
    case Reason::TwoPersonOrder: return "two_person_order";
    case Reason::InvalidTransition: return "invalid_transition";
    case Reason::EvidenceRequired: return "evidence_required";
    case Reason::InvalidValue: return "invalid_value";
    case Reason::AlreadyDecided: return "already_decided";
    case Reason::ReaderCannotRead: return "reader_cannot_read";
    case Reason::DeviceOutOfScope: return "device_out_of_scope";
    case Reason::LateEvent: return "late_event";
    case Reason::SecondOperatorRequired: return "second_operator_required";
  }
  return "decision_unavailable";
}

std::string_view to_string(Factor f) noexcept {
  switch (f) {
    case Factor::Badge: return "badge";
    case Factor::Pin: return "pin";
    case Factor::Biometric: return "biometric";
    case Factor::SecondPerson: return "second_person";
  }
  return "badge";
}

std::string_view to_string(Severity s) noexcept {
  switch (s) {
    case Severity::Low: return "low";
    case Severity::Medium: return "medium";
    case Severity::High: return "high";
    case Severity::Critical: return "critical";
  }
  return "medium";
}

std::string_view to_string(DoorAction a) noexcept {
  switch (a) {
    case DoorAction::None: return "none";
    case DoorAction::Unlock: return "unlock";
    case DoorAction::Lock: return "lock";
  }
  return "none";
}

}  // namespace portcullis::core
