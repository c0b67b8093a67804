#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// The payloads of the facts about operator accounts: sign-ins and password changes (operator.login,
// operator.login_failed with the lockout and throttling details, operator.password_changed,
// operator.password_change_failed), sign-outs (operator.logout) and the changes an admin makes
// (operator.created, operator.disabled, operator.enabled, operator.password_reset, operator.totp_reenrolled,
// operator.unlocked). Nothing replays them: they are the account history an auditor reads. Text comes
// straight from requests, so it is escaped in the CheckedUtf8 style (server/util/json_string.hpp): the
// payload is valid JSON whatever bytes were sent.
#include <string>
#include <string_view>

namespace portcullis::json {

// {"detail","operator","remote"}: how a sign-in or password change ended (the login check's detail, e.g. a
// lockout, or the service's own: unknown_operator, concurrent_login, ...), the name given, of which only the
// first 64 bytes are kept (a byte sequence cut there is stored as U+FFFD), and the client's address.
[[nodiscard]] std::string sign_in_fact_json(std::string_view detail, std::string_view username,
                                            std::string_view remote_address);

// {"operator"}: the account whose session ended (empty when the session was not known).
[[nodiscard]] std::string sign_out_fact_json(std::string_view operator_id);

// {"by","operator"}: an admin's change to another account (disabled, enabled, password reset, TOTP
// re-enrolled, unlocked).
[[nodiscard]] std::string operator_change_fact_json(std::string_view by, std::string_view operator_id);

// A new account: {"by","operator","person","role"} for a person's account, and for a service account
// {"by","operator","service":true,"role"}. That one has "service" before "role", not sorted, as it was first
// stored.
struct CreatedOperatorFact {
  std::string_view by;
  std::string_view operator_id;
  bool service = false;
  std::string_view person;  // unused for a service account
  std::string_view role;
};
[[nodiscard]] std::string operator_created_fact_json(const CreatedOperatorFact& fact);

}  // namespace portcullis::json
