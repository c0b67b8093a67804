#pragma once
// An operator session as stored (only the token's hash), in plain types.
#include <cstdint>
#include <optional>
#include <string>

namespace portcullis::storage {

struct SessionRow {
  std::string token_hash;  // SHA-256 of the token, lower-case hex
  std::string operator_id;
  std::string role;
  std::string person_id;  // empty: none
  std::int64_t created_us = 0;
  std::int64_t last_activity_us = 0;
  std::int64_t expires_us = 0;
  std::optional<std::int64_t> ended_us;
  std::string end_reason;  // empty while open
};

}  // namespace portcullis::storage
