#include "portcullis/operators/crypto/otpauth.hpp"

#include "portcullis/operators/crypto/encoding.hpp"
#include "portcullis/operators/crypto/random.hpp"
#include "portcullis/util/query_string.hpp"

namespace portcullis::operators::crypto {
std::string otpauth_uri(std::string_view account_name, ByteView secret) {
  std::string uri = "otpauth://totp/";
  uri += util::percent_encode(kTotpIssuer);
  uri += ':';
  uri += util::percent_encode(account_name);
  uri += "?secret=";
  uri += base32_encode(secret, Padding::Without);
  uri += "&issuer=";
  uri += util::percent_encode(kTotpIssuer);
  return uri;
}

TotpEnrollment new_totp_enrollment(std::string_view account_name) {
  TotpEnrollment enrollment;
  enrollment.secret = util::random_bytes(kTotpSecretBytes);
  enrollment.secret_base32 = base32_encode(enrollment.secret, Padding::Without);
  enrollment.uri = otpauth_uri(account_name, enrollment.secret);
  return enrollment;
}

}  // namespace portcullis::operators::crypto
