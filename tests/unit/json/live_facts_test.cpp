// The live stream tells what the engine knows: door modes (lockdown, fire release), controllers heard or
// silent, zone lockdown and fire, and occupancy that follows forgiven presence (docs/operator-api.md).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../core/scenario_site.hpp"
#include "portcullis/core/live/facility_view.hpp"
#include "portcullis/core/live/live_facts.hpp"
#include "portcullis/json/stream_json.hpp"

namespace portcullis::json {
namespace {
using core::testing::Scenario;
using nlohmann::json;

core::SiteDefinition site_with_a_supervised_lobby_controller() {
  auto site = core::testing::scenario_site_definition();
  site.devices.at(0).readers = {core::ReaderId{"front-in"}, core::ReaderId{"front-out"}};
  return site;
}

json door(const core::FacilityView& view, const std::string& id) {
  return json::parse(door_json(view.doors().at(id)));
}
json zone(const core::FacilityView& view, const std::string& id) {
  for (const auto& z : view.zones())
    if (z.id == id) return json::parse(zone_json(z));
  return nullptr;
}

TEST(LiveFacts, LiveStreamLiesAboutDoorsAndZones) {
  Scenario s{site_with_a_supervised_lobby_controller()};
  core::FacilityView view{s.engine.shared_model()};
  auto sync = [&] { return view.apply_facts(core::live_facts(s.engine.model(), s.engine.state(), s.now)); };
  sync();
  EXPECT_EQ(door(view, "front").at("mode"), "normal");
  EXPECT_EQ(door(view, "front").at("online"), true);

  // A lockdown shows on the door into the zone and on the zone, in a delta.
  s.act(core::SetLockdown{core::ZoneId{"hall"}, "incident"});
  auto changes = sync();
  EXPECT_EQ(door(view, "inner").at("mode"), "locked_down");
  EXPECT_EQ(zone(view, "hall").at("lockdown"), true);
  EXPECT_EQ(zone(view, "cage").at("lockdown"), true);  // the subtree
  EXPECT_FALSE(changes.doors.empty());
  EXPECT_FALSE(changes.zones.empty());
  s.act(core::ClearLockdown{core::ZoneId{"hall"}, "over"});
  sync();
  EXPECT_EQ(door(view, "inner").at("mode"), "normal");

  // A fire releases the fail-safe door and shows on its zones.
  s.fire(true, "lobby");
  sync();
  EXPECT_EQ(door(view, "front").at("mode"), "fire_release");
  EXPECT_EQ(zone(view, "lobby").at("fire"), true);
  s.fire(false, "lobby");
  sync();
  EXPECT_EQ(door(view, "front").at("mode"), "normal");

  // A controller silent past its heartbeat: its doors are offline; heard again, online.
  s.heartbeat();
  s.tick(601);
  sync();
  EXPECT_EQ(door(view, "front").at("online"), false);
  s.heartbeat();
  sync();
  EXPECT_EQ(door(view, "front").at("online"), true);

  // Occupancy follows the engine, including a forgiven presence.
  EXPECT_EQ(s.badge("front-in", 1), "grant/granted");
  sync();
  EXPECT_EQ(zone(view, "lobby").at("occupancy"), 1);
  EXPECT_EQ(view.whereabouts().at("ada"), "lobby");
  s.act(core::ForgivePresence{core::PersonId{"ada"}, "reset"});
  changes = sync();
  EXPECT_EQ(zone(view, "lobby").at("occupancy"), 0);
  EXPECT_FALSE(view.whereabouts().contains("ada"));
  EXPECT_FALSE(changes.zones.empty());
}

}  // namespace
}  // namespace portcullis::json
