// Decoders must never crash, and anything they accept must re-encode to an equivalent text and
// decode back to the same bytes (strictness: no two texts for one secret beyond case and padding).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "portcullis/operators/crypto/encoding.hpp"

using namespace portcullis::operators;

namespace {

std::string upper_without_padding(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '=') continue;
    out.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};

  if (const auto bytes = crypto::base32_decode(text)) {
    const std::string again = crypto::base32_encode(*bytes, crypto::Padding::Without);
    OPERATOR_FUZZ_CHECK(again == upper_without_padding(text));
    OPERATOR_FUZZ_CHECK(crypto::base32_decode(again) == bytes);
  }
  if (const auto bytes = crypto::base64_decode(text)) {
    OPERATOR_FUZZ_CHECK(crypto::base64_encode(*bytes) == text);
  }
  // Encoders round-trip arbitrary bytes.
  const ByteView raw{data, size};
  OPERATOR_FUZZ_CHECK(crypto::base32_decode(crypto::base32_encode(raw)) == Bytes(raw.begin(), raw.end()));
  OPERATOR_FUZZ_CHECK(crypto::base64_decode(crypto::base64_encode(raw)) == Bytes(raw.begin(), raw.end()));
  OPERATOR_FUZZ_CHECK(crypto::hex_encode(raw).size() == 2 * size);
  return 0;
}
