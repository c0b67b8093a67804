#pragma once
#include "field_reader.hpp"
#include "portcullis/core/device_event.hpp"

namespace portcullis::json::detail {

// A card is either {"format": "H10301"|"H10304"|"C1000", "bits": "0101..."} (decoded and parity-checked
// by the Wiegand codec, raw bits kept) or {"facility": 12, "number": 3456}.
core::Card read_card(FieldReader& r);
const char* card_format_name(core::CardFormat format);

}  // namespace portcullis::json::detail
