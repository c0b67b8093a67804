#include "card_json.hpp"

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
    // TODO(wiegand codec): decode through device-adapters once it lands.
    card.raw_bits = r.string("bits", 64);
    r.fail("bits", "raw Wiegand bits are not accepted yet; send facility and number");
    return card;
  }
  if (r.optional("format")) {
    const auto format = r.string("format", 16);
    if (format != "facility_number") r.fail("format", "with facility and number, format must be facility_number");
  }
  card.format = core::CardFormat::FacilityAndNumber;
  card.facility = static_cast<std::uint32_t>(r.integer("facility", 0, 0xFFFFFFF));
  card.number = static_cast<std::uint64_t>(r.integer("number", 0, (std::int64_t{1} << 40) - 1));
  return card;
}

}  // namespace portcullis::json::detail
