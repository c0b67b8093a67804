#pragma once

// Parts of a stored outcome, written by hand (json_writer.hpp rules: nlohmann's bytes, keys sorted). Defined
// in device_event_json.cpp, which writes access outcomes; asset outcomes (asset_json.cpp) share them.

#include <string>
#include <vector>

#include "portcullis/core/outcome.hpp"

namespace portcullis::json::detail {

// A decision object: credential, destination, needed, person, portal, rack, reason, verdict.
void put_decision(std::string& out, const core::Decision& d);
// An array of alarms, each {detail, kind, severity, silent, subject}.
void put_alarms(std::string& out, const std::vector<core::Alarm>& alarms);

}  // namespace portcullis::json::detail
