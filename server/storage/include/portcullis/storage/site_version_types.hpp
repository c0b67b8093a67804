#pragma once
// Site versions as plain values, without libpqxx: what the sequencer stores with a site.loaded record and
// what a replay reads back (site_versions.hpp has the SQL).
#include <cstdint>
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

struct SiteVersionRead {
  enum class Status {
    Verified,         // `content` hashes to the requested name
    Missing,          // no row of that name
    ContentMismatch,  // a row of that name whose content hashes to `content_hash_hex` instead: refused
  };
  Status status = Status::Missing;
  std::string content;           // only when Verified
  std::string content_hash_hex;  // what the stored content really hashes to (ContentMismatch)
};

}  // namespace portcullis::storage
