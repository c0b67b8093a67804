#pragma once
// What a door controller is told about its event: the verdict and the door action, nothing else. The stored
// outcome (json::outcome_json) also holds the person, the alarms of the event and every deadline alarm that
// fell due with it (a duress alarm, other places' lone-person alarms with person ids): operators see those,
// a device never does. Built from the stored outcome bytes, so a duplicate (answered from history) gets the
// same answer as the first delivery.
#include <string>
#include <string_view>

#include "portcullis/core/site_model.hpp"

namespace portcullis::json {

// {"decision": {"verdict", "reason", "needed"?} | null, "door"?: {"action": "unlock", "portal" | "rack",
//  "unlock_s"}}. `model` (may be null) gives the door's unlock time; the reason of a decision is the one the
// door may show (a duress grant is a plain "granted" already: the engine never says duress in a decision).
[[nodiscard]] std::string device_answer_outcome_json(std::string_view stored_outcome_json,
                                                     const core::SiteModel* model);

}  // namespace portcullis::json
