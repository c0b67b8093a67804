// Fuzz the Wiegand codec: arbitrary text as a bit string, plus encode/decode round trips.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "fuzz_check.hpp"
#include "portcullis/adapters/wiegand.hpp"

namespace w = portcullis::adapters::wiegand;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // Decoding anything either fails with a reason or yields a value that re-encodes to the input.
  const auto any = w::decode(text);
  if (any.ok()) {
    FUZZ_CHECK(any->raw_bits == text);
    const auto again = w::encode(any->format, any->facility, any->card_number);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->raw_bits == text);
  } else {
    FUZZ_CHECK(!any.error().reason.empty());
  }
  for (const auto f : {w::Format::H10301_26, w::Format::Corporate1000_35, w::Format::H10304_37}) {
    const auto r = w::decode(text, f);
    FUZZ_CHECK(r.ok() == (any.ok() && any->format == f));
  }

  // Encoding any numbers either fails as out of range or round-trips.
  if (size >= 9) {
    std::uint32_t facility = 0;
    std::uint32_t card = 0;
    std::memcpy(&facility, data, 4);
    std::memcpy(&card, data + 4, 4);
    const auto f = static_cast<w::Format>(data[8] % 3);
    // Half the time fold the numbers into range so the success path is exercised too.
    if ((data[8] & 0x80) != 0) {
      facility %= w::max_facility(f) + 1;
      card %= w::max_card_number(f) + 1;
    }
    const auto enc = w::encode(f, facility, card);
    const bool in_range = facility <= w::max_facility(f) && card <= w::max_card_number(f);
    FUZZ_CHECK(enc.ok() == in_range);
    if (enc.ok()) {
      const auto dec = w::decode(enc->raw_bits);
      FUZZ_CHECK(dec.ok());
      FUZZ_CHECK(*dec == *enc);
    }
  }
  return 0;
}
