#pragma once
// PIN hashing for site files and the PinVerifier the engine uses: PBKDF2-HMAC-SHA256 through OpenSSL EVP.
// Stored form: "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>" (16-byte salt, 32-byte hash).
// Trade-offs (docs/access-policy.md): a short PIN cannot be protected by hashing alone against someone
// holding the hash; the slow hash raises the cost of casual disclosure, and the engine's lockout protects at
// the door.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "portcullis/core/policy/pin_verifier.hpp"

namespace portcullis::crypto {

inline constexpr std::uint32_t kDefaultPinIterations = 100'000;  // ~20 ms per check on the project machine
inline constexpr std::uint32_t kMinPinIterations = 10'000;
inline constexpr std::uint32_t kMaxPinIterations = 10'000'000;

// A new random salt each call. nullopt only if the system RNG or OpenSSL fails, or iterations are out of
// range.
[[nodiscard]] std::optional<std::string> hash_pin(std::string_view pin,
                                                  std::uint32_t iterations = kDefaultPinIterations);

// The tool function for site files: hash_pin with the default work factor, or an empty string on failure.
[[nodiscard]] std::string hash_pin_for_site_file(std::string_view pin);

// Constant-time comparison; malformed stored hashes never match.
[[nodiscard]] bool verify_pin(std::string_view stored_hash, std::string_view pin);

class Pbkdf2PinVerifier final : public core::PinVerifier {
 public:
  [[nodiscard]] core::PinMatch verify(std::string_view stored_hash, std::string_view pin) const override;
};

}  // namespace portcullis::crypto
