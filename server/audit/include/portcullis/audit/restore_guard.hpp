#pragma once
// Is the database's history behind what was signed? After a backup is restored to an earlier point (or the
// history was replaced), the newest signed checkpoint of the site names a site_seq the database no longer
// holds, or holds with another hash. The hash chain alone cannot see it (what is left chains correctly); the
// checkpoints, kept outside the database, can. portcullisd runs this at start-up and does not serve while it
// finds a loss (docs/operations.md, "Backup and restore (pgBackRest)"); `portcullisd acknowledge-restore`
// records the loss in the history and sets the lost checkpoints aside.
//
// Cheap: per source, the newest checkpoint file whose signature holds is read and its row looked up (older
// ones only when that row has another hash, to bound what was replaced).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace portcullis::audit {

// A directory of signed checkpoints and the public key they must be signed with. Files signed by another
// key are not this source's (the server's own and an auditor's checkpoints may share a directory).
struct CheckpointSource {
  std::string dir;
  std::string public_key_path;
};

struct LostHistory {
  std::string kind;            // "removed" (the rows are gone) or "replaced" (the rows have other hashes)
  std::int64_t lost_from = 0;  // the first site_seq the checkpoint proves lost or replaced
  std::int64_t lost_to = 0;    // the checkpoint's site_seq
  std::string checkpoint_dir;
  std::string checkpoint;       // its file name
  std::string checkpoint_hash;  // hex
  std::string checkpoint_key;   // the signing key's fingerprint
  std::int64_t database_head = 0;
  std::string database_head_hash;  // hex; empty when the history is empty

  [[nodiscard]] std::string range() const;     // "site_seq 17..21"
  [[nodiscard]] std::string describe() const;  // one line for the log
};

// The record an admin's acknowledgement of `lost` is stored as (server/ledger/records/restore_record.hpp):
// its type, and its payload naming the lost range, the checkpoint, the restored head and where the lost
// checkpoints were set aside.
inline constexpr const char* kRestoreAcknowledgedRecord = "history.restore_acknowledged";
[[nodiscard]] std::string restore_acknowledgement_payload(const LostHistory& lost,
                                                          const std::string& acknowledged_by);
// DIR/lost-<from>-<to>: where set_lost_checkpoints_aside moves the lost checkpoints of a source in DIR.
[[nodiscard]] std::string lost_checkpoints_dir(const LostHistory& lost, const std::string& dir);

// The largest loss any source proves, or nothing. Throws if a source's public key cannot be read or the
// database cannot be reached (start-up then stops: an unchecked history is never served).
std::optional<LostHistory> find_lost_history(const std::string& database, const std::string& site_id,
                                             const std::vector<CheckpointSource>& sources);

// Moves the site's checkpoint files of `source` that name a site_seq the loss covers (from `lost.lost_from`
// on) into DIR/lost-<from>-<to>/, kept as evidence; later checkpoints of the new rows reuse those numbers.
// Returns the directory (empty if nothing was moved).
std::string set_lost_checkpoints_aside(const LostHistory& lost, const CheckpointSource& source,
                                       const std::string& site_id);

}  // namespace portcullis::audit
