#pragma once
// Recomputes a site's hash chain from the table alone and names the first row that does not fit.
// The rows are streamed in pages (storage::EventStore::for_each): memory stays constant whatever the length.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace portcullis::audit {

struct ChainReport {
  bool intact = true;
  std::int64_t rows = 0;  // rows checked (after the anchor, when verifying from one), the bad one included
  std::optional<std::int64_t> first_bad_seq;
  std::string problem;                  // what is wrong with that row
  std::string head_hash;                // hex of the last good hash
  std::int64_t head_seq = 0;            // site_seq of the last good row (0: none, the empty chain)
  std::array<std::uint8_t, 32> head{};  // the last good hash (all zeroes for the empty chain)
  // Verifying from an anchor: the anchor row is missing, or its stored or recomputed hash is no longer the
  // one verified before. Nothing after it was checked; only a full verification says what happened.
  bool anchor_mismatch = false;
};

// A row verified earlier: its site_seq and the hash it had then.
struct ChainAnchor {
  std::int64_t site_seq = 0;  // 0: the start of the chain (an all-zero hash)
  std::array<std::uint8_t, 32> hash{};
};

// `database` is a libpq connection string; any role that can SELECT events will do.
ChainReport verify_chain(const std::string& database, const std::string& site_id);

// Verifies only the rows after `anchor`: the anchor row must still be there with the same hash (stored and
// recomputed over its columns), and every later row must follow it exactly as in verify_chain. Rows before
// the anchor are not read: a change to them is found only by verify_chain. Stops at the first bad row.
ChainReport verify_chain_after(const std::string& database, const std::string& site_id,
                               const ChainAnchor& anchor);

}  // namespace portcullis::audit
