#pragma once
// Wiegand card formats: decode raw bits ('0'/'1' characters) and check their parity.
// H10301 26-bit: even parity over bits 2-13, facility bits 2-9 (8), number bits 10-25 (16), odd parity 14-25.
// H10304 37-bit: even parity over bits 2-19, facility bits 2-17 (16), number bits 18-36 (19), odd parity
// 19-36.
#include <cstdint>
#include <optional>
#include <string_view>

#include "portcullis/core/device_event.hpp"

namespace portcullis::core {

struct DecodedCard {
  std::uint32_t facility = 0;
  std::uint64_t number = 0;
};

// nullopt: wrong length, a character other than '0'/'1', a parity error, or a format without a bit layout
// here (Corporate 1000 and FacilityAndNumber are taken as decoded numbers).
[[nodiscard]] std::optional<DecodedCard> decode_wiegand(CardFormat format, std::string_view bits);

// The reverse, with parity bits: used by tests and example generation.
[[nodiscard]] std::optional<std::string> encode_wiegand(CardFormat format, std::uint32_t facility,
                                                        std::uint64_t number);

}  // namespace portcullis::core
