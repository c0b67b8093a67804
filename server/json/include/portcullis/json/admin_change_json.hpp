#pragma once
// Records of admin changes: the before/after of an admin edit and the summary of a site reload.
#include <optional>
#include <string>
#include <string_view>

#include <variant>
#include <vector>
#include "portcullis/core/model/site_definition.hpp"
#include "portcullis/core/policy/admin_change.hpp"
#include "portcullis/core/policy/operator_action.hpp"
#include "portcullis/json/field_error.hpp"

namespace portcullis::json {

// The stored action (stored_action_json) with the engine's report added: "before"/"after" (a person or a
// group; PIN hashes appear only as "pin": true/false) when applied, "problems" [{path, message}] when
// refused.
[[nodiscard]] std::string stored_admin_action_json(const core::OperatorAction& action,
                                                   const core::Actor& actor, const core::AdminReport& report);
// GET /api/v1/site: json::site_summary_json of the file in force, with its people and groups taken from the
// effective definition (admin edits included).
[[nodiscard]] std::string site_summary_with_edits(std::string_view site_text,
                                                  const core::SiteDefinition& site);
// Problems as a JSON array [{"path", "message"}].
[[nodiscard]] std::string problems_json(const core::Problems& problems);
// Why a change is held for a second approver: a JSON array of sentences (invalid UTF-8 replaced).
[[nodiscard]] std::string reasons_json(const std::vector<std::string>& reasons);
// What changed between two definitions, by id: {"zones": {"added": [...], "removed": [...], "changed":
// [...]}, "portals": ..., "racks", "people", "groups", "grants", "devices", "tiers", "mantraps",
// "settings_changed": bool}. Lists are cut at 200 ids each ("truncated": true); `before` may be null.
[[nodiscard]] std::string site_change_summary_json(const core::SiteDefinition* before,
                                                   const core::SiteDefinition& after);

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

// The site.loaded record: who, which version and content hash, the previous hash, and what changed.
[[nodiscard]] std::string site_loaded_payload(const std::string& loaded_by, const std::string& version,
                                              const std::string& content_sha256,
                                              const std::string& previous_sha256,
                                              const std::string& changes_json);
// The content hash a site.loaded record names (also the records written before site reloads existed).
[[nodiscard]] std::optional<std::string> site_loaded_hash(std::string_view payload);

}  // namespace portcullis::json
