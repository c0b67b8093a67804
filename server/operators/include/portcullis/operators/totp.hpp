#pragma once
// TOTP second factor (RFC 6238 over RFC 4226 HOTP). The HMAC is injected so this policy carries no
// OpenSSL and can be tested against the RFC vectors; the time is passed in, never read.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/core/time.hpp"
#include "portcullis/operators/bytes.hpp"

namespace portcullis::operators {

// HMAC(key, message) -> tag. Authenticator apps use HMAC-SHA-1; see crypto/hmac.hpp.
using HmacFunction = std::function<Bytes(ByteView key, ByteView message)>;

struct TotpPolicy {
  std::chrono::seconds step{30};
  int digits = 6;  // 6..8; anything else rejects every code
  // Steps either side of "now" still accepted, for clock skew and a code typed at a step boundary.
  int accepted_drift_steps = 1;
};

// floor((now - epoch) / step); floors below the epoch too, so no two instants share a step by rounding.
[[nodiscard]] std::int64_t totp_time_step(core::Timestamp now, std::chrono::seconds step) noexcept;

// RFC 4226 HOTP value for one counter, zero-padded to `digits`. Empty if the HMAC output is too
// short for dynamic truncation or `digits` is outside 6..8.
[[nodiscard]] std::string hotp_code(const HmacFunction& hmac, ByteView secret, std::uint64_t counter,
                                    int digits);

[[nodiscard]] std::string totp_code(const HmacFunction& hmac, ByteView secret, core::Timestamp now,
                                    const TotpPolicy& policy = {});

// Per-operator memory needed to refuse a replay: the last step a code was accepted for.
struct TotpState {
  std::optional<std::int64_t> last_accepted_step;
  friend bool operator==(const TotpState&, const TotpState&) = default;
};

enum class TotpCheck : std::uint8_t {
  Accepted,
  WrongCode,  // no step within the window matches
  Replayed,   // matches, but for a step at or before the last accepted one
  Malformed,  // not exactly `digits` decimal digits
};

[[nodiscard]] std::string_view to_string(TotpCheck c) noexcept;

struct TotpVerification {
  TotpCheck result = TotpCheck::WrongCode;
  TotpState state;  // the state to store: advanced only when accepted
  std::optional<std::int64_t> matched_step;
};

// Accepts a code for now-drift..now+drift, but never for a step at or before the last accepted one:
// RFC 6238 section 5.2 forbids a second use of one code, and refusing earlier steps also stops a
// code observed over a shoulder from being used after the operator's own later login.
[[nodiscard]] TotpVerification verify_totp(const HmacFunction& hmac, ByteView secret, std::string_view code,
                                           core::Timestamp now, const TotpState& state,
                                           const TotpPolicy& policy = {});

}  // namespace portcullis::operators
