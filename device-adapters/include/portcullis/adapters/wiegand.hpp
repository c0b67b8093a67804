#pragma once
// Wiegand credential codec: raw bit strings as readers report them ('0'/'1', first transmitted
// bit first) <-> facility/company code and card number, for the three formats a data-center
// estate meets most: HID H10301 (26-bit), HID Corporate 1000 (35-bit) and HID H10304 (37-bit).
//
// Bit positions below are 1-based, bit 1 being the first bit on the wire.
//
//   H10301  26 bits  bit 1 even parity over 2-13 | 2-9 facility (8) | 10-25 card (16)
//                    | bit 26 odd parity over 14-25
//   H10304  37 bits  bit 1 even parity over 2-19 | 2-17 facility (16) | 18-36 card (19)
//                    | bit 37 odd parity over 19-36
//   Corp1000 35 bits bit 1 odd parity over 2-35 | bit 2 even parity over 3-4,6-7,...,33-34
//                    | 3-14 company id (12) | 15-34 card (20)
//                    | bit 35 odd parity over 2-3,5-6,...,32-33
//
// Pure functions, no I/O, no exceptions: every failure is a CodecError naming what is wrong.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "portcullis/adapters/result.hpp"

namespace portcullis::adapters::wiegand {

enum class Format {
  H10301_26,         // HID standard 26-bit
  Corporate1000_35,  // HID Corporate 1000, 35-bit
  H10304_37,         // HID 37-bit with facility code
};

// A decoded (or freshly encoded) credential. The raw bits are always kept so the exact wire
// value can be stored and audited, not only the numbers derived from it.
struct Credential {
  Format format = Format::H10301_26;
  std::uint32_t facility = 0;  // facility code; the company id for Corporate 1000
  std::uint32_t card_number = 0;
  std::string raw_bits;  // '0'/'1', bit 1 first, exactly bit_length(format) characters
  friend bool operator==(const Credential&, const Credential&) = default;
};

// Number of bits on the wire for a format.
[[nodiscard]] std::size_t bit_length(Format format) noexcept;
// Largest facility (company) code and card number the format can carry.
[[nodiscard]] std::uint32_t max_facility(Format format) noexcept;
[[nodiscard]] std::uint32_t max_card_number(Format format) noexcept;
// Stable names: "H10301", "Corporate1000", "H10304".
[[nodiscard]] std::string_view to_string(Format format) noexcept;

// Decode a bit string in a known format. Checks, in order: length (WrongLength), characters
// (BadCharacter, naming the 1-based position), then each parity bit (ParityMismatch, naming the
// bit and the bits it covers).
[[nodiscard]] Result<Credential> decode(std::string_view bits, Format format);

// Decode choosing the format by length: 26 -> H10301, 35 -> Corporate 1000, 37 -> H10304.
// Note: HID H10302 (37-bit, no facility) shares H10304's length and parity layout, so an H10302
// card decodes here as H10304 with the top 16 bits of its number in `facility`.
[[nodiscard]] Result<Credential> decode(std::string_view bits);

// Encode numbers into a credential with correct parity. OutOfRange names the field and limit.
[[nodiscard]] Result<Credential> encode(Format format, std::uint32_t facility, std::uint32_t card_number);

}  // namespace portcullis::adapters::wiegand
