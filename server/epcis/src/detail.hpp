#pragma once
// Helpers shared by the library's translation units; not part of the public API.
#include <string_view>

namespace portcullis::epcis::detail {

// The value is under urn:epcglobal:cbv: or https://ref.gs1.org/cbv/ (so an unknown name there is an
// error rather than a custom vocabulary value).
[[nodiscard]] bool in_cbv_namespace(std::string_view value);

// Self-check for the unit tests: the CBV tables must stay sorted for binary search.
[[nodiscard]] bool vocabulary_tables_sorted();

}  // namespace portcullis::epcis::detail
