#pragma once
// Between the write context and an engine snapshot (core/snapshot): what the sequencer saves and how a
// start-up puts it back. Everything a replay rebuilds is in it (engine, alarms, asset book, EPCIS eventIDs,
// devices' last seqs, recorded integrity findings, the site versions in force, the doors' live view), so a
// start from a snapshot plus the tail gives the state a replay from zero gives.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "families/write_context.hpp"
#include "portcullis/core/snapshot/state_snapshot.hpp"

namespace portcullis::ingest {

// A copy of the state at the committed head (site_seq, chain hash). Live-only values (the asset book's
// read counters and last read times) are left out, as a replay from zero leaves them.
[[nodiscard]] core::StateSnapshot capture_snapshot(const WriteContext& ctx, std::int64_t site_seq,
                                                   const std::array<std::uint8_t, 32>& chain_hash);

// Puts a snapshot's state into `ctx`, the site versions it names read from ctx.store (checked against
// their names) or the start-up site. Nothing when done; otherwise why not, and `ctx` is left as it was.
[[nodiscard]] std::optional<std::string> restore_snapshot(WriteContext& ctx, core::StateSnapshot snapshot);

}  // namespace portcullis::ingest
