#pragma once
// Every site file ever loaded, kept whole (append-only) so an auditor can see what the rules were.
#include <pqxx/connection>
#include <pqxx/transaction>

#include <optional>
#include <string>

namespace portcullis::storage {

struct SiteVersion {
  std::string site_id;
  std::string content_hash_hex;
  std::string version;
  std::string content;
  std::int64_t loaded_us = 0;
  std::string loaded_by;
};

// The hash of the most recently loaded version, if any.
std::optional<std::string> latest_site_hash(pqxx::connection& connection, const std::string& site_id);
// Stores the version unless that exact content is already stored; returns true when it was new.
bool store_site_version(pqxx::connection& connection, const SiteVersion& version);

// The same inside the caller's transaction (a runtime reload stores the version with its site.loaded record).
bool store_site_version(pqxx::work& tx, const SiteVersion& version);
// The stored content of one version, by its hex SHA-256.
std::optional<std::string> site_version_content(pqxx::connection& connection, const std::string& site_id,
                                                const std::string& content_hash_hex);

}  // namespace portcullis::storage
