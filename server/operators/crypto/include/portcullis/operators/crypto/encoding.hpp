#pragma once
// Text encodings used around operator secrets: base32 for TOTP secrets that people type into authenticator
// apps, base64 / base64url for hashes and tokens, lowercase hex for digests. They are server/util's (one
// definition for the whole tree); the operator code names them here. Decoders are strict.
#include <string_view>

#include "portcullis/operators/bytes.hpp"
#include "portcullis/util/base32.hpp"
#include "portcullis/util/base64.hpp"
#include "portcullis/util/hex.hpp"

namespace portcullis::operators::crypto {

using util::base32_decode;
using util::base32_encode;
using util::base64_decode;
using util::base64_encode;
using util::base64url_encode;
using util::hex_encode;
using util::Padding;

[[nodiscard]] inline ByteView as_bytes(std::string_view text) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace portcullis::operators::crypto
