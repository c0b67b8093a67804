#pragma once
// Incremental verification of a site's hash chain for GET /api/v1/audit/chain (docs/audit.md).
//
// The monitor remembers, per site, the last row it found intact (site_seq and hash) and the next call
// verifies only the rows appended since: it checks that this row is still there with the same hash, then
// every newer row in order, streamed in pages. A call costs in proportion to what was appended since the last
// one. A full verification (asked for explicitly, on the first call after start-up, or whenever the
// remembered row no longer matches) reads the whole chain again and resets the remembered point.
//
// The remembered point is only an optimisation, held in this process: another instance of the server keeps
// its own, a restart forgets it, and no answer depends on it being right (a point that does not match the
// table makes the call verify in full, and is reported: a row verified once should never change or vanish).
// One verification runs at a time per site; a call that arrives while one runs waits for it and then verifies
// only what was appended in the meantime.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "portcullis/audit/chain_verifier.hpp"

namespace portcullis::audit {

struct ChainStatus {
  ChainReport report;            // intact, first_bad_seq, problem, head_hash of this call's verification
  bool incremental = false;      // only the rows after the remembered point were verified
  std::int64_t from_seq = 1;     // the first site_seq this call verified
  std::int64_t through_seq = 0;  // the last site_seq found intact (the chain is verified 1..through_seq)
  std::int64_t rows_checked = 0;
  std::string full_because;  // why this call verified in full: "requested", "no remembered point", or the
                             // remembered row's problem
  // Not empty when a row this process verified earlier (a remembered point) was later found missing or with
  // another hash: the newest rows were removed, or history was rewritten with recomputed hashes, since. The
  // chain left may still be consistent (report.intact), so this is the only trace of it besides signed
  // checkpoints. It is reported by every call until a requested full verification (full=true) clears it.
  std::string history_contradiction;
  // The last full verification of this site by this process (none yet: last_full_us is empty).
  std::optional<std::int64_t> last_full_us;
  std::int64_t last_full_through_seq = 0;
  bool last_full_intact = false;
};

class ChainMonitor {
 public:
  // Verifies `site_id`'s chain in `database`: incrementally from the remembered point, or in full when
  // `full` is set or there is no usable point. Throws what the database throws (the point is kept then).
  ChainStatus verify(const std::string& database, const std::string& site_id, bool full);

  // The remembered point of a site, if any (tests and diagnostics).
  [[nodiscard]] std::optional<ChainAnchor> remembered(const std::string& site_id);

 private:
  struct Site {
    std::mutex running;  // held for the whole of a verification: one at a time per site
    std::mutex state;    // guards the fields below (short holds only)
    std::optional<ChainAnchor> point;
    std::string contradiction;  // see ChainStatus::history_contradiction
    std::optional<std::int64_t> last_full_us;
    std::int64_t last_full_through_seq = 0;
    bool last_full_intact = false;
  };
  std::shared_ptr<Site> site(const std::string& site_id);

  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Site>> sites_;
};

}  // namespace portcullis::audit
