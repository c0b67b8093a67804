#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// Parts of a stored outcome, written by hand (json_writer.hpp rules: nlohmann's bytes, keys sorted). Defined
// in device_event_record.cpp, which writes access outcomes; asset outcomes (asset_record.cpp) share them.

#include <string>
#include <vector>

#include "portcullis/core/outcome.hpp"

namespace portcullis::json::detail {

// A decision object: credential, destination, needed, person, portal, rack, reason, verdict.
void put_decision(std::string& out, const core::Decision& d);
// An array of alarms, each {detail, kind, severity, silent, subject}.
void put_alarms(std::string& out, const std::vector<core::Alarm>& alarms);

}  // namespace portcullis::json::detail
