#pragma once
// Every site file ever loaded, kept whole (append-only) so an auditor can see what the rules were.
// A version is named by the SHA-256 of its content, and the chain's site.loaded record names that hash. The
// application role can INSERT into site_versions, so a row is trusted only if its content hashes to its
// name: every read checks it (read_site_version), and a row that does not is refused, never replayed.
#include <pqxx/connection>
#include <pqxx/transaction>

#include <optional>
#include <string>
#include <string_view>

#include "portcullis/storage/site_version_types.hpp"

namespace portcullis::storage {

// Hex SHA-256 of a site file's bytes: the name of its version.
[[nodiscard]] std::string site_content_hash_hex(std::string_view content);

// The hash of the most recently loaded version, if any.
std::optional<std::string> latest_site_hash(pqxx::connection& connection, const std::string& site_id);
// Stores the version unless that exact content is already stored; returns true when it was new.
bool store_site_version(pqxx::connection& connection, const SiteVersion& version);

// The same inside the caller's transaction (a runtime reload stores the version with its site.loaded record).
bool store_site_version(pqxx::work& tx, const SiteVersion& version);

// The stored content of one version, by its hex SHA-256, checked against that hash.
[[nodiscard]] SiteVersionRead read_site_version(pqxx::connection& connection, const std::string& site_id,
                                                const std::string& content_hash_hex);

}  // namespace portcullis::storage
