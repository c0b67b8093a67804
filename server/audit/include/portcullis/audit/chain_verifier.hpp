#pragma once
// Recomputes a site's hash chain from the table alone and names the first row that does not fit.
#include <cstdint>
#include <optional>
#include <string>

namespace portcullis::audit {

struct ChainReport {
  bool intact = true;
  std::int64_t rows = 0;
  std::optional<std::int64_t> first_bad_seq;
  std::string problem;    // what is wrong with that row
  std::string head_hash;  // hex of the last good hash
};

// `database` is a libpq connection string; any role that can SELECT events will do.
ChainReport verify_chain(const std::string& database, const std::string& site_id);

}  // namespace portcullis::audit
