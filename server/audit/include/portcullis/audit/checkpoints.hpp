#pragma once
// Signed checkpoints of the chain head, kept outside the database (a directory by default).
// A checkpoint is {site, site_seq, hash, time} signed with the site's audit key. Checking the database
// against every checkpoint catches what the hash chain alone cannot: removal of the newest rows (the
// remaining chain is still internally consistent) and a rewrite of history with recomputed hashes.
#include <cstdint>
#include <string>
#include <vector>

#include "portcullis/audit/signed_document.hpp"

namespace portcullis::audit {

struct CheckpointWritten {
  std::string path;
  Checkpoint checkpoint;
  bool unchanged = false;          // a checkpoint of this head already existed
  std::int64_t verified_from = 0;  // the chain was verified from this site_seq on (1: all of it)
};

// Checks the existing checkpoints of the site in `dir` against the database, verifies the chain, then writes
// a signed checkpoint of the verified head. The chain is verified from the newest existing checkpoint on
// (its row still has the signed hash, so the chain up to it is the one verified then; a full verify-chain
// still reports a row changed in place), or in full when there is none or `full` is set. Refuses (throws)
// if the chain is broken, empty, or contradicts an earlier checkpoint: it never signs a damaged history.
CheckpointWritten write_checkpoint(const std::string& database, const std::string& site_id,
                                   const std::string& dir, const std::string& private_key_path,
                                   bool full = false);

struct CheckpointReport {
  bool ok = true;
  int checked = 0;                    // checkpoints of this site that were compared with the database
  std::int64_t newest_seq = 0;        // the highest checkpointed site_seq
  std::string newest_hash;            // its hash (hex)
  std::int64_t database_head = 0;     // the highest site_seq in the database
  std::vector<std::string> problems;  // one line each
};

// Every "*.checkpoint.json" of `dir` must carry a valid signature by `public_key_path`; each one of this site
// must name a row the database still holds with that same hash.
CheckpointReport check_checkpoints(const std::string& database, const std::string& site_id,
                                   const std::string& dir, const std::string& public_key_path);

}  // namespace portcullis::audit
