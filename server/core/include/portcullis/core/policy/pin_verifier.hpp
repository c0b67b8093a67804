#pragma once
// PIN checking is injected: the core never hashes (no OpenSSL in the core). The server passes the
// PBKDF2 implementation from server/crypto; tests pass a fake. A verifier is only called for live events:
// replayed events carry the verdict recorded the first time (PinEntered::recorded_verdict).
#include <string_view>

namespace portcullis::core {

enum class PinMatch { Match, Mismatch };

class PinVerifier {
 public:
  virtual ~PinVerifier() = default;
  // `stored_hash` is a person's pin_hash or duress_pin_hash as written in the site file.
  // Malformed hashes are a Mismatch, never an exception.
  [[nodiscard]] virtual PinMatch verify(std::string_view stored_hash, std::string_view pin) const = 0;
};

}  // namespace portcullis::core
