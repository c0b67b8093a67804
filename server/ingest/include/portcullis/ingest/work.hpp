#pragma once
// What waits in the sequencer's queue: requests from connections and the sequencer's own duties.
#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include "portcullis/ingest/ingest_types.hpp"

namespace portcullis::ingest {

// The core has no timers: once a second the sequencer asks the engine and the asset book for their
// deadlines (held doors, stuck vestibules, silent devices, missing assets...). A tick that raised alarms is
// recorded, so a replay raises them at the same point of the log.
struct DeadlineTick {};

// An EPCIS capture while it is applied in slices. Its eventIDs are checked all at once before the first
// slice (all or nothing) and reserved until the last slice commits, so another capture of the same
// eventIDs meanwhile is told to retry rather than answered from events not yet stored.
struct EpcisInProgress {
  EpcisSubmission capture;
  std::size_t next = 0;  // first event of the next slice
  bool checked = false;
  std::vector<std::string> reserved;  // eventIDs held in the sequencer's in-flight set
  std::vector<CapturedAnswer> answers;
};

using Work =
    std::variant<Submission, ServerFact, OperatorCommand, DeadlineTick, RfidSubmission, EpcisInProgress>;

}  // namespace portcullis::ingest
