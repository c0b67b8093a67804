#include "card_json.hpp"

#include "portcullis/adapters/wiegand.hpp"

namespace portcullis::json::detail {

const char* card_format_name(core::CardFormat format) {
  switch (format) {
    case core::CardFormat::H10301_26: return "H10301";
    case core::CardFormat::H10304_37: return "H10304";
    case core::CardFormat::Corporate1000_35: return "C1000";
    case core::CardFormat::FacilityAndNumber: return "facility_number";
  }
  return "facility_number";
}

core::Card read_card(FieldReader& r) {
  core::Card card;
  if (r.has("bits")) {
    // Raw Wiegand bits as the reader sent them: parity-checked and decoded by the device-adapters codec;
    // the bits and the format are kept with the decoded numbers.
    const auto bits = r.string("bits", 64);
    std::optional<adapters::wiegand::Format> format;
    if (r.optional("format")) {
      const auto name = r.string("format", 16);
      if (name == "H10301")
        format = adapters::wiegand::Format::H10301_26;
      else if (name == "H10304")
        format = adapters::wiegand::Format::H10304_37;
      else if (name == "C1000")
        format = adapters::wiegand::Format::Corporate1000_35;
      else
        r.fail("format", "expected H10301, H10304 or C1000 with bits");
    }
    if (!r.ok()) return card;
    const auto decoded = format ? adapters::wiegand::decode(bits, *format) : adapters::wiegand::decode(bits);
    if (!decoded) {
      r.fail("bits", decoded.error().reason);
      return card;
    }
    switch (decoded->format) {
      case adapters::wiegand::Format::H10301_26: card.format = core::CardFormat::H10301_26; break;
      case adapters::wiegand::Format::H10304_37: card.format = core::CardFormat::H10304_37; break;
      case adapters::wiegand::Format::Corporate1000_35:
        card.format = core::CardFormat::Corporate1000_35;
        break;
    }
    card.facility = decoded->facility;
    card.number = decoded->card_number;
    card.raw_bits = decoded->raw_bits;
    // Stored events (and some readers) carry the numbers too: they must agree with the bits.
    if (r.optional("facility") && r.integer("facility", 0, 0xFFFFFFF) != card.facility) {
      r.fail("facility", "does not match the bits");
    }
    if (r.optional("number") &&
        r.integer("number", 0, (std::int64_t{1} << 40) - 1) != static_cast<std::int64_t>(card.number)) {
      r.fail("number", "does not match the bits");
    }
    return card;
  }
  if (r.optional("format")) {
    const auto format = r.string("format", 16);
    if (format != "facility_number")
      r.fail("format", "with facility and number, format must be facility_number");
  }
  card.format = core::CardFormat::FacilityAndNumber;
  card.facility = static_cast<std::uint32_t>(r.integer("facility", 0, 0xFFFFFFF));
  card.number = static_cast<std::uint64_t>(r.integer("number", 0, (std::int64_t{1} << 40) - 1));
  return card;
}

}  // namespace portcullis::json::detail
