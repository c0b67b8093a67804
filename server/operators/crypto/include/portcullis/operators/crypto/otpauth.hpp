#pragma once
// TOTP enrollment: a new secret and the otpauth:// URI an authenticator app scans or imports
// (Key Uri Format: otpauth://totp/Issuer:account?secret=BASE32&issuer=Issuer).
#include <string>
#include <string_view>

#include "portcullis/operators/bytes.hpp"

namespace portcullis::operators::crypto {

inline constexpr std::size_t kTotpSecretBytes = 20;  // 160 bits, the RFC 4226 recommendation
inline constexpr std::string_view kTotpIssuer = "Portcullis";

// otpauth://totp/Portcullis:<name>?secret=<base32, no padding>&issuer=Portcullis. The name is
// percent-encoded, so a ':' or '&' in it cannot forge the label or add parameters.
[[nodiscard]] std::string otpauth_uri(std::string_view account_name, ByteView secret);

struct TotpEnrollment {
  Bytes secret;               // store this (encrypted at rest is the storage layer's concern)
  std::string secret_base32;  // show once, for typing into an app
  std::string uri;            // show once, as text or QR code
};

[[nodiscard]] TotpEnrollment new_totp_enrollment(std::string_view account_name);

}  // namespace portcullis::operators::crypto
