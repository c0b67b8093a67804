#pragma once
// Engine snapshots in PostgreSQL (engine_snapshots, docs/event-store.md "Snapshots"), behind a header
// without libpqxx. The body is opaque here (core/snapshot encodes it); this adapter keeps a digest beside it
// over every column (HMAC-SHA-256 with the snapshot key when one is set, else SHA-256) and says, when
// reading, whether the digest checks and what the stored chain holds at the snapshot's site_seq.
// Each call opens its own connection: the writer runs on a thread of its own, off the sequencer's commits.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace portcullis::storage {

struct SnapshotHeader {
  std::int64_t site_seq = 0;
  std::array<std::uint8_t, 32> chain_hash{};
  std::uint32_t format_version = 0;
  std::string site_version_hash;
  // The hash of the events row at site_seq; none when the chain has no such row.
  std::optional<std::array<std::uint8_t, 32>> chain_row_hash;
};

struct SnapshotBody {
  std::string body;
  bool digest_matches = false;  // the stored digest is the one of this row's columns
};

class SnapshotStore {
 public:
  // `key`: the snapshot key's bytes (empty: plain SHA-256, which detects damage but not a forger who
  // recomputes it).
  SnapshotStore(std::string database, std::string site_id, std::string key = {});

  // Stores one snapshot, then deletes all but the newest `keep` of the site. Throws on failure.
  void write(const SnapshotHeader& header, const std::string& body, std::size_t keep);
  // The newest `limit` snapshots of the site, newest first, without their bodies.
  [[nodiscard]] std::vector<SnapshotHeader> newest(std::size_t limit);
  // One snapshot's body, nothing when it is gone.
  [[nodiscard]] std::optional<SnapshotBody> read_body(const SnapshotHeader& header);

 private:
  [[nodiscard]] std::string digest_of(const SnapshotHeader& header, const std::string& body) const;
  std::string database_;
  std::string site_id_;
  std::string key_;
};

}  // namespace portcullis::storage
