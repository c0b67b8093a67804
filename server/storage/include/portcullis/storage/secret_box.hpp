#pragma once
// Secrets at rest (TOTP secrets of operators): AES-256-GCM through OpenSSL EVP with a 32-byte key held by the
// server in a file of its own (mode 0600), never in the database. A copy of the operators table then opens
// no authenticator. Stored form: "aesgcm1:" + hex(12-byte random nonce) + ":" + hex(ciphertext + 16-byte
// tag), authenticated together with the row's operator id, so a sealed secret copied into another row does
// not open. Rows written before the key existed are in clear; seal_clear_totp_secrets()
// (totp_secret_sealing.hpp) seals them at start-up. No libpqxx here: the daemon's start-up holds the box.
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace portcullis::storage {

class SecretBox {
 public:
  // Reads the key file, or creates it (32 random bytes, mode 0600) when it does not exist. Refuses a key
  // file that group or others can read, or that is not 32 bytes. Throws std::runtime_error naming the file.
  static SecretBox load_or_create(const std::string& key_path);
  explicit SecretBox(const std::array<unsigned char, 32>& key) : key_(key) {}

  [[nodiscard]] std::string seal(std::string_view plain, std::string_view bound_to) const;
  // nullopt: not sealed by this key for `bound_to`, or changed since.
  [[nodiscard]] std::optional<std::string> open(std::string_view sealed, std::string_view bound_to) const;
  [[nodiscard]] static bool is_sealed(std::string_view stored) noexcept;
  // A key for another purpose, derived from this one (HMAC-SHA-256 of `purpose`): the server's one key
  // file at rest also keys the engine snapshots' digests, without ever using the same key for two things.
  [[nodiscard]] std::string derive_key(std::string_view purpose) const;

 private:
  std::array<unsigned char, 32> key_{};
};

// The box OperatorDirectory seals TOTP secrets with (set once at start-up, before other threads run; none:
// secrets are written in clear, and a sealed one read without it is unusable).
void use_totp_secret_box(std::shared_ptr<const SecretBox> box);
[[nodiscard]] std::shared_ptr<const SecretBox> totp_secret_box();

}  // namespace portcullis::storage
