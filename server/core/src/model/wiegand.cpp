#include "portcullis/core/model/wiegand.hpp"

#include <string>

namespace portcullis::core {
namespace {

struct Layout {
  std::size_t length;
  std::size_t facility_bits;
  std::size_t number_bits;
  std::size_t even_span;  // bits 1..even_span are covered by the leading even parity
  std::size_t odd_start;  // bits odd_start..length-2 are covered by the trailing odd parity (H10304 overlaps)
};

std::optional<Layout> layout_of(CardFormat format) {
  switch (format) {
    case CardFormat::H10301_26: return Layout{26, 8, 16, 12, 13};
    case CardFormat::H10304_37: return Layout{37, 16, 19, 18, 18};
    case CardFormat::Corporate1000_35:
    case CardFormat::FacilityAndNumber: return std::nullopt;
  }
  return std::nullopt;
}

unsigned ones(std::string_view bits) {
  unsigned n = 0;
  for (char c : bits) n += c == '1' ? 1U : 0U;
  return n;
}

}  // namespace

std::optional<DecodedCard> decode_wiegand(CardFormat format, std::string_view bits) {
  const auto layout = layout_of(format);
  if (!layout || bits.size() != layout->length) return std::nullopt;
  for (char c : bits) {
    if (c != '0' && c != '1') return std::nullopt;
  }
  const std::size_t last = layout->length - 1;
  const std::string_view even_part = bits.substr(0, layout->even_span + 1);  // parity bit + its span
  const std::string_view odd_part = bits.substr(layout->odd_start);          // its span + parity bit
  if (ones(even_part) % 2 != 0 || ones(odd_part) % 2 != 1) return std::nullopt;
  DecodedCard card;
  for (std::size_t i = 1; i <= layout->facility_bits; ++i)
    card.facility = card.facility * 2U + (bits[i] == '1' ? 1U : 0U);
  for (std::size_t i = 1 + layout->facility_bits; i < last; ++i)
    card.number = card.number * 2U + (bits[i] == '1' ? 1U : 0U);
  return card;
}

std::optional<std::string> encode_wiegand(CardFormat format, std::uint32_t facility, std::uint64_t number) {
  const auto layout = layout_of(format);
  if (!layout) return std::nullopt;
  if (facility >= (1ULL << layout->facility_bits) || number >= (1ULL << layout->number_bits))
    return std::nullopt;
  std::string bits(layout->length, '0');
  for (std::size_t i = 0; i < layout->facility_bits; ++i) {
    bits[layout->facility_bits - i] = ((facility >> i) & 1U) != 0 ? '1' : '0';
  }
  for (std::size_t i = 0; i < layout->number_bits; ++i) {
    bits[layout->facility_bits + layout->number_bits - i] = ((number >> i) & 1U) != 0 ? '1' : '0';
  }
  const std::string_view view{bits};
  const bool odd_needs_one =
      ones(view.substr(layout->odd_start, layout->length - layout->odd_start - 1)) % 2 == 0;
  if (ones(view.substr(1, layout->even_span)) % 2 != 0) bits[0] = '1';
  if (odd_needs_one) bits.back() = '1';
  return bits;
}

}  // namespace portcullis::core
