#pragma once
// Operator password hashing with scrypt (memory-hard, so GPU guessing of a stolen table is slow).
// Stored format: scrypt$N$r$p$salt_b64$hash_b64 (standard base64, padded). Parameters live in the
// string, so they can be raised later and old hashes upgraded at the next successful login.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace portcullis::operators::crypto {

struct ScryptParameters {
  std::uint64_t n = std::uint64_t{1} << 15;  // 32 MiB with r = 8: ~0.1 s on one core
  std::uint64_t r = 8;
  std::uint64_t p = 1;
  friend bool operator==(const ScryptParameters&, const ScryptParameters&) = default;
};

inline constexpr std::size_t kPasswordSaltBytes = 16;
inline constexpr std::size_t kPasswordHashBytes = 32;

// A fresh random salt every time, so equal passwords never share a hash.
[[nodiscard]] std::string hash_password(std::string_view password, const ScryptParameters& parameters = {});

enum class PasswordVerdict : std::uint8_t {
  Match,
  Mismatch,
  Malformed,  // not our format, or parameters outside the accepted bounds (a tampered row must not
              // be able to make one login allocate gigabytes)
};

[[nodiscard]] PasswordVerdict verify_password(std::string_view password, std::string_view encoded);

// True when the stored hash uses other parameters than `current` (or cannot be parsed).
[[nodiscard]] bool needs_rehash(std::string_view encoded, const ScryptParameters& current = {});

// For a login naming no known operator: spends the same time as a real check, so response time
// does not reveal which operator names exist.
void spend_password_check_time(std::string_view password);

}  // namespace portcullis::operators::crypto
