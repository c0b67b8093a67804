#include "portcullis/adapters/wiegand.hpp"

#include <array>
#include <bit>
#include <string>

namespace portcullis::adapters::wiegand {
namespace {

// Positions are 1-based; a mask has bit (p - 1) set for each covered position p.
using Mask = std::uint64_t;

constexpr Mask positions(unsigned first, unsigned last) {
  Mask m = 0;
  for (unsigned p = first; p <= last; ++p) m |= Mask{1} << (p - 1);
  return m;
}

// Corporate 1000 interleaved masks: positions in [first, last] whose remainder mod 3 differs
// from `skip_remainder`.
constexpr Mask every_third_skipped(unsigned first, unsigned last, unsigned skip_remainder) {
  Mask m = 0;
  for (unsigned p = first; p <= last; ++p) {
    if (p % 3 != skip_remainder) m |= Mask{1} << (p - 1);
  }
  return m;
}

enum class Parity { Even, Odd };

struct ParityBit {
  unsigned position;
  Parity kind;
  Mask covers;
  std::string_view description;  // used verbatim in error reasons
};

struct Field {
  unsigned first;  // 1-based, most significant bit first
  unsigned width;
};

struct Layout {
  Format format;
  std::string_view name;
  unsigned length;
  Field facility;
  Field card;
  // Computed in this order when encoding (later bits may cover earlier ones) and checked in
  // this order when decoding.
  std::array<ParityBit, 3> parity;
  unsigned parity_count;
};

constexpr Layout kH10301{
    Format::H10301_26,
    "H10301",
    26,
    {2, 8},
    {10, 16},
    {{{1, Parity::Even, positions(2, 13), "leading even parity (bit 1 over bits 2-13)"},
      {26, Parity::Odd, positions(14, 25), "trailing odd parity (bit 26 over bits 14-25)"},
      {}}},
    2};

constexpr Layout kH10304{
    Format::H10304_37,
    "H10304",
    37,
    {2, 16},
    {18, 19},
    {{{1, Parity::Even, positions(2, 19), "leading even parity (bit 1 over bits 2-19)"},
      {37, Parity::Odd, positions(19, 36), "trailing odd parity (bit 37 over bits 19-36)"},
      {}}},
    2};

constexpr Layout kCorporate1000{
    Format::Corporate1000_35,
    "Corporate1000",
    35,
    {3, 12},
    {15, 20},
    {{{2, Parity::Even, every_third_skipped(3, 34, 2), "even parity (bit 2 over bits 3-4, 6-7, ..., 33-34)"},
      {35, Parity::Odd, every_third_skipped(2, 33, 1), "odd parity (bit 35 over bits 2-3, 5-6, ..., 32-33)"},
      {1, Parity::Odd, positions(2, 35), "leading odd parity (bit 1 over bits 2-35)"}}},
    3};

const Layout& layout_of(Format format) noexcept {
  switch (format) {
    case Format::H10301_26: return kH10301;
    case Format::Corporate1000_35: return kCorporate1000;
    case Format::H10304_37: return kH10304;
  }
  return kH10301;  // unreachable for valid enumerators
}

bool bit_at(Mask value, unsigned position) {
  return ((value >> (position - 1)) & 1U) != 0;
}

// Parity bit value that makes the covered bits plus the parity bit even (or odd).
bool expected_parity(Mask value, const ParityBit& p) {
  const bool ones_odd = (std::popcount(value & p.covers) & 1) != 0;
  return p.kind == Parity::Even ? ones_odd : !ones_odd;
}

std::uint32_t read_field(Mask value, Field f) {
  std::uint32_t out = 0;
  for (unsigned i = 0; i < f.width; ++i) {
    out = (out << 1) | (bit_at(value, f.first + i) ? 1U : 0U);
  }
  return out;
}

Mask write_field(Mask value, Field f, std::uint32_t v) {
  for (unsigned i = 0; i < f.width; ++i) {
    const unsigned position = f.first + f.width - 1 - i;  // least significant bit last on the wire
    if (((v >> i) & 1U) != 0) value |= Mask{1} << (position - 1);
  }
  return value;
}

std::uint32_t field_max(Field f) {
  return static_cast<std::uint32_t>((std::uint64_t{1} << f.width) - 1);
}

std::string to_bits(Mask value, unsigned length) {
  std::string out(length, '0');
  for (unsigned p = 1; p <= length; ++p) {
    if (bit_at(value, p)) out[p - 1] = '1';
  }
  return out;
}

Result<Credential> decode_with(std::string_view bits, const Layout& layout) {
  if (bits.size() != layout.length) {
    return make_error(ErrorCode::WrongLength, std::string(layout.name) + " needs " +
                                                  std::to_string(layout.length) + " bits, got " +
                                                  std::to_string(bits.size()));
  }
  Mask value = 0;
  for (std::size_t i = 0; i < bits.size(); ++i) {
    const char c = bits[i];
    if (c != '0' && c != '1') {
      return make_error(ErrorCode::BadCharacter, "bit " + std::to_string(i + 1) +
                                                     " is not '0' or '1' (byte value " +
                                                     std::to_string(static_cast<unsigned char>(c)) + ")");
    }
    if (c == '1') value |= Mask{1} << i;
  }
  for (unsigned i = 0; i < layout.parity_count; ++i) {
    const ParityBit& p = layout.parity[i];
    if (bit_at(value, p.position) != expected_parity(value, p)) {
      return make_error(ErrorCode::ParityMismatch,
                        std::string(layout.name) + " " + std::string(p.description) + " failed");
    }
  }
  return Credential{layout.format, read_field(value, layout.facility), read_field(value, layout.card),
                    std::string(bits)};
}

}  // namespace

std::size_t bit_length(Format format) noexcept {
  return layout_of(format).length;
}
std::uint32_t max_facility(Format format) noexcept {
  return field_max(layout_of(format).facility);
}
std::uint32_t max_card_number(Format format) noexcept {
  return field_max(layout_of(format).card);
}
std::string_view to_string(Format format) noexcept {
  return layout_of(format).name;
}

Result<Credential> decode(std::string_view bits, Format format) {
  return decode_with(bits, layout_of(format));
}

Result<Credential> decode(std::string_view bits) {
  for (const Layout* layout : {&kH10301, &kCorporate1000, &kH10304}) {
    if (bits.size() == layout->length) return decode_with(bits, *layout);
  }
  return make_error(ErrorCode::WrongLength, "no supported Wiegand format has " + std::to_string(bits.size()) +
                                                " bits (expected 26 H10301, 35 Corporate1000 or 37 H10304)");
}

Result<Credential> encode(Format format, std::uint32_t facility, std::uint32_t card_number) {
  const Layout& layout = layout_of(format);
  const std::string_view facility_name = format == Format::Corporate1000_35 ? "company id" : "facility code";
  if (facility > field_max(layout.facility)) {
    return make_error(ErrorCode::OutOfRange, std::string(layout.name) + " " + std::string(facility_name) +
                                                 " " + std::to_string(facility) + " exceeds maximum " +
                                                 std::to_string(field_max(layout.facility)));
  }
  if (card_number > field_max(layout.card)) {
    return make_error(ErrorCode::OutOfRange, std::string(layout.name) + " card number " +
                                                 std::to_string(card_number) + " exceeds maximum " +
                                                 std::to_string(field_max(layout.card)));
  }
  Mask value = write_field(0, layout.facility, facility);
  value = write_field(value, layout.card, card_number);
  for (unsigned i = 0; i < layout.parity_count; ++i) {
    const ParityBit& p = layout.parity[i];
    if (expected_parity(value, p)) value |= Mask{1} << (p.position - 1);
  }
  return Credential{format, facility, card_number, to_bits(value, layout.length)};
}

}  // namespace portcullis::adapters::wiegand
