// Decoders must never crash, and anything they accept must re-encode to an equivalent text and
// decode back to the same bytes (strictness: no two texts for one value beyond case and padding).
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "portcullis/util/base32.hpp"
#include "portcullis/util/base64.hpp"
#include "portcullis/util/hex.hpp"

using namespace portcullis::util;

namespace {

std::string upper_without_padding(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '=') continue;
    out.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out{text};
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};

  if (const auto bytes = base32_decode(text)) {
    const std::string again = base32_encode(*bytes, Padding::Without);
    UTIL_FUZZ_CHECK(again == upper_without_padding(text));
    UTIL_FUZZ_CHECK(base32_decode(again) == bytes);
  }
  if (const auto bytes = base64_decode(text)) {
    UTIL_FUZZ_CHECK(base64_encode(*bytes) == text);
  }
  if (const auto bytes = base64url_decode(text)) {
    UTIL_FUZZ_CHECK(base64url_encode(*bytes) == text);
  }
  if (const auto bytes = hex_decode(text)) {
    UTIL_FUZZ_CHECK(hex_encode(*bytes) == lower(text));
  }
  // Encoders round-trip arbitrary bytes.
  const std::span<const std::uint8_t> raw{data, size};
  const std::vector<std::uint8_t> copy(raw.begin(), raw.end());
  UTIL_FUZZ_CHECK(base32_decode(base32_encode(raw)) == copy);
  UTIL_FUZZ_CHECK(base64_decode(base64_encode(raw)) == copy);
  UTIL_FUZZ_CHECK(base64url_decode(base64url_encode(raw)) == copy);
  UTIL_FUZZ_CHECK(hex_decode(hex_encode(raw, HexCase::Upper)) == copy);
  UTIL_FUZZ_CHECK(hex_encode(raw).size() == 2 * size);
  return 0;
}
