#pragma once
// The JSON site file adapter: the only code that turns site JSON into core values. Every type or shape error
// and every semantic problem (core::validate) is reported with its JSON path; a file with any problem yields
// no model, so a bad file changes nothing. Format reference: docs/site-file.md.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "portcullis/core/model/problem.hpp"
#include "portcullis/core/model/site_definition.hpp"
#include "portcullis/core/site_model.hpp"

namespace portcullis::site_file {

// Explicit bounds: a site file is an admin's input, but it is still input.
struct Limits {
  std::size_t max_file_bytes = 256U * 1024U * 1024U;
  std::size_t max_string_bytes = 4096;
  std::size_t max_zones = 10'000;
  std::size_t max_portals = 100'000;
  std::size_t max_racks = 100'000;
  std::size_t max_people = 1'000'000;
  std::size_t max_groups = 100'000;
  std::size_t max_schedules = 10'000;
  std::size_t max_grants = 5'000'000;
  std::size_t max_devices = 100'000;
  std::size_t max_list = 100'000;  // any inner list: readers, members, zones of a grant, windows...
};

struct ParseResult {
  core::SiteDefinition definition;
  core::Problems
      problems;  // shape problems first, then core::validate's (the ones not caused by shape problems)
};

// Parses and validates; never throws.
[[nodiscard]] ParseResult parse_site_json(std::string_view text, const Limits& limits = {});

struct LoadResult {
  std::shared_ptr<const core::SiteModel> model;  // null when problems is not empty
  core::Problems problems;
};

[[nodiscard]] LoadResult load_site_text(std::string_view text, const Limits& limits = {});
[[nodiscard]] LoadResult load_site_file(const std::filesystem::path& path, const Limits& limits = {});

// The definition as a site file (format portcullis-site/1, fixed field order, 2-space indent), such that
// parse_site_json(write_site_json(d)).definition == d for any definition with whole-second times. For the
// admin API: a change to people, credentials or grants becomes a new site version (stored, audited, and
// swapped in with Engine::replace_model at the same point of the log on replay).
[[nodiscard]] std::string write_site_json(const core::SiteDefinition& site);

// Admin API request bodies in the site file's own shapes, read by the same code as a site file (same field
// names, formats, ranges and unknown-field checks), with problems named by path under "$" ("$.number").
// Cross-references (unknown zone, duplicate badge, Wiegand bits that do not decode) are checked when the
// change is applied to the model (core::validate through the engine), not here.
template <class T>
struct Fragment {
  std::optional<T> value;  // set when problems is empty
  core::Problems problems;
};
[[nodiscard]] Fragment<core::PersonDef> parse_person_fragment(std::string_view text,
                                                              const Limits& limits = {});
[[nodiscard]] Fragment<core::GrantDef> parse_grant_fragment(std::string_view text, const Limits& limits = {});
[[nodiscard]] Fragment<core::CardDef> parse_card_fragment(std::string_view text, const Limits& limits = {});
[[nodiscard]] Fragment<core::BiometricDef> parse_biometric_fragment(std::string_view text,
                                                                    const Limits& limits = {});

// For `portcullisd check-site FILE`.
struct SiteCheckReport {
  bool ok = false;
  std::string site_id;
  std::string version;
  core::Problems problems;
  std::string summary;  // printable: one line per problem, then a verdict line with counts
};

[[nodiscard]] SiteCheckReport check_site_file(const std::filesystem::path& path, const Limits& limits = {});

}  // namespace portcullis::site_file
