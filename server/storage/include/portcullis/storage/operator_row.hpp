#pragma once
// An operator account as stored, in plain types: what callers of storage hold without seeing libpqxx.
#include <cstdint>
#include <optional>
#include <string>

namespace portcullis::storage {

struct OperatorRow {
  std::string operator_id;
  std::string display_name;
  std::string role;
  std::string person_id;
  std::string password_hash;
  std::string totp_secret;  // base32, in clear here; stored sealed when a key is configured (secret_box.hpp)
  std::optional<std::int64_t> totp_last_step;
  int failures = 0;
  std::optional<std::int64_t> retry_after_us;
  bool locked = false;
  bool disabled = false;
  // The password is a one-time password (printed by add-operator or given by a reset): it only sets a new
  // one.
  bool password_change_required = true;
};

}  // namespace portcullis::storage
