#pragma once
// A plausible moment in the example data center, fed through the same snapshot/delta path as the stream:
// used by `--demo-state` for screenshots and offline demonstrations. Unknown ids are skipped, so it works
// with any site, though it is written for examples/datacenter.site.json.
#include "console_state.hpp"

namespace portcullis::console {

// Applies a snapshot and a few minutes of access events; returns the seq the fake stream reached.
qint64 applyDemoState(ConsoleState& state, const QDateTime& now);

}  // namespace portcullis::console
