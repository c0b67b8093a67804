#pragma once
// What the engine knows about doors and zones that a guard's map must show: a door's mode (lockdown, fire
// release), whether its controller is heard (heartbeats), its forced / held state, a zone's recorded
// occupancy (which follows forgiven presence), lockdown and fire, and who is where. Read from the engine's
// state after a batch of records, so the live stream never derives them on its own and never disagrees with
// the decisions and the presence report.
#include <cstdint>
#include <map>
#include <string>

#include "portcullis/core/policy/engine_state.hpp"
#include "portcullis/core/site_model.hpp"
#include "portcullis/core/time.hpp"

namespace portcullis::core {

struct DoorFacts {
  std::string mode = "normal";  // normal | locked_down | fire_release
  bool online = true;           // false: a device that serves the door is silent past its heartbeat
  std::string alarm = "none";   // none | forced | held (the current opening)
  friend bool operator==(const DoorFacts&, const DoorFacts&) = default;
};

struct ZoneFacts {
  std::uint32_t occupancy = 0;
  bool lockdown = false;
  bool fire = false;
  friend bool operator==(const ZoneFacts&, const ZoneFacts&) = default;
};

struct LiveFacts {
  std::map<std::string, DoorFacts> doors;       // by portal id, every portal of the model
  std::map<std::string, ZoneFacts> zones;       // by zone id, every zone of the model
  std::map<std::string, std::string> presence;  // person id -> zone id (known presence only)
};

[[nodiscard]] LiveFacts live_facts(const SiteModel& model, const EngineState& state, Timestamp now);

}  // namespace portcullis::core
