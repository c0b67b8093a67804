#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// The site.loaded record: who loaded which site file version, its content hash and the previous one, and what
// changed. A replay switches models at each one, by the hash it names.
#include <optional>
#include <string>
#include <string_view>

#include "portcullis/core/model/site_definition.hpp"

namespace portcullis::json {

// What changed between two definitions, by id: {"zones": {"added": [...], "removed": [...], "changed":
// [...]}, "portals": ..., "racks", "people", "groups", "grants", "devices", "tiers", "mantraps",
// "settings_changed": bool}. Lists are cut at 200 ids each ("truncated": true); `before` may be null.
// Stored as the "changes" of the site.loaded record.
[[nodiscard]] std::string site_change_summary_json(const core::SiteDefinition* before,
                                                   const core::SiteDefinition& after);

// The site.loaded record: who, which version and content hash, the previous hash, and what changed.
[[nodiscard]] std::string site_loaded_payload(const std::string& loaded_by, const std::string& version,
                                              const std::string& content_sha256,
                                              const std::string& previous_sha256,
                                              const std::string& changes_json);
// The content hash a site.loaded record names (also the records written before site reloads existed).
[[nodiscard]] std::optional<std::string> site_loaded_hash(std::string_view payload);

}  // namespace portcullis::json
