#pragma once
// The admin API's bodies and views. The stored records of admin edits and site reloads are a frozen format
// (portcullis/ledger/records/operator_action_record.hpp, site_record.hpp).
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "portcullis/core/model/site_definition.hpp"
#include "portcullis/ledger/records/field_error.hpp"

namespace portcullis::json {

// GET /api/v1/site: json::site_summary_json of the file in force, with its people and groups taken from the
// effective definition (admin edits included).
[[nodiscard]] std::string site_summary_with_edits(std::string_view site_text,
                                                  const core::SiteDefinition& site);
// Why a change is held for a second approver: a JSON array of sentences (invalid UTF-8 replaced).
[[nodiscard]] std::string reasons_json(const std::vector<std::string>& reasons);
// GET /api/v1/people: {"people": [person...], "groups": [{"id", "name", "members"}]} of the effective site
// (file + admin edits). No PIN hashes: "pin"/"duress_pin" say only whether one is set.
[[nodiscard]] std::string people_json(const core::SiteDefinition& site);

// Admin API bodies that are not site-file shapes. The PIN is digits only (4..12); it is hashed by the caller
// and never stored.
struct PinBody {
  std::string pin;
  bool duress = false;
};
[[nodiscard]] std::variant<PinBody, FieldError> parse_pin_body(std::string_view body);
// {"person": "id"} for group membership.
[[nodiscard]] std::variant<std::string, FieldError> parse_member_body(std::string_view body);
// The "type" of a credential body ("card" or "biometric"), and the body without it.
[[nodiscard]] std::variant<std::pair<std::string, std::string>, FieldError> split_credential_body(
    std::string_view body);

}  // namespace portcullis::json
