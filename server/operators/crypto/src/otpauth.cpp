#include "portcullis/operators/crypto/otpauth.hpp"

#include "portcullis/operators/crypto/encoding.hpp"
#include "portcullis/operators/crypto/random.hpp"

namespace portcullis::operators::crypto {
namespace {

bool is_unreserved(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

std::string percent_encode(std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (is_unreserved(c)) {
      out.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0Fu]);
    }
  }
  return out;
}

}  // namespace

std::string otpauth_uri(std::string_view account_name, ByteView secret) {
  std::string uri = "otpauth://totp/";
  uri += percent_encode(kTotpIssuer);
  uri += ':';
  uri += percent_encode(account_name);
  uri += "?secret=";
  uri += base32_encode(secret, Padding::Without);
  uri += "&issuer=";
  uri += percent_encode(kTotpIssuer);
  return uri;
}

TotpEnrollment new_totp_enrollment(std::string_view account_name) {
  TotpEnrollment enrollment;
  enrollment.secret = secure_random_bytes(kTotpSecretBytes);
  enrollment.secret_base32 = base32_encode(enrollment.secret, Padding::Without);
  enrollment.uri = otpauth_uri(account_name, enrollment.secret);
  return enrollment;
}

}  // namespace portcullis::operators::crypto
