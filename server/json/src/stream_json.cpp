#include "portcullis/json/stream_json.hpp"

#include <nlohmann/json.hpp>

#include "json_depth.hpp"
#include "portcullis/json/alarm_json.hpp"
#include "portcullis/json/rfc3339.hpp"

namespace portcullis::json {
namespace {
using nlohmann::json;

json door_value(const core::DoorView& d) {
  return json{{"id", d.id},       {"name", d.name},     {"open", d.open},  {"locked", d.locked},
              {"alarm", d.alarm}, {"online", d.online}, {"mode", "normal"}};
}
json zone_value(const core::ZoneView& z) {
  return json{{"id", z.id}, {"occupancy", z.occupancy}, {"lockdown", false}};
}
}  // namespace

std::string door_json(const core::DoorView& door) {
  return door_value(door).dump();
}
std::string zone_json(const core::ZoneView& zone) {
  return zone_value(zone).dump();
}

std::string access_json(const core::AccessView& a) {
  return json{{"time", format_rfc3339(a.at)}, {"site_seq", a.site_seq}, {"portal", a.portal},
              {"reader", a.reader},           {"person", a.person},     {"person_name", a.person_name},
              {"verdict", a.verdict},         {"reason", a.reason},     {"destination", a.destination}}
      .dump();
}

std::string delta_message(std::int64_t seq, std::string_view topic, const std::string& data_json) {
  return "{\"type\":\"delta\",\"seq\":" + std::to_string(seq) + ",\"topic\":\"" + std::string(topic) +
         "\",\"data\":" + data_json + "}";
}

std::vector<std::string> RackContents::update(const core::AssetState& asset) {
  const auto& id = asset.def.id.str();
  Known now;
  now.located = asset.location.rack.str();
  if (!asset.def.home_rack.empty() && asset.def.lifecycle == core::AssetLifecycle::InService)
    now.home = asset.def.home_rack.str();
  auto& known = assets_[id];
  std::set<std::string> changed;
  if (known.located != now.located) {
    if (!known.located.empty()) located_[known.located].erase(id);
    if (!now.located.empty()) located_[now.located].insert(id);
    // The home rack's present / away split changes too when the asset leaves or comes home.
    for (const auto* rack : {&known.located, &now.located, &known.home, &now.home})
      if (!rack->empty()) changed.insert(*rack);
  }
  if (known.home != now.home) {
    if (!known.home.empty()) expected_[known.home].erase(id);
    if (!now.home.empty()) expected_[now.home].insert(id);
    for (const auto* rack : {&known.home, &now.home})
      if (!rack->empty()) changed.insert(*rack);
  }
  known = std::move(now);
  return {changed.begin(), changed.end()};
}

void RackContents::clear() {
  assets_.clear();
  located_.clear();
  expected_.clear();
}

RackTally RackContents::tally(const std::string& rack) const {
  RackTally t;
  if (auto it = located_.find(rack); it != located_.end())
    t.located.assign(it->second.begin(), it->second.end());
  if (auto it = expected_.find(rack); it != expected_.end()) {
    t.expected = it->second.size();
    for (const auto& id : it->second) {
      const auto known = assets_.find(id);
      if (known != assets_.end() && known->second.located == rack)
        ++t.present;
      else
        t.away.push_back(id);
    }
  }
  return t;
}

std::string rack_json(const core::RackDef& rack, const RackTally& tally, std::string_view seal_state) {
  json j;
  j["id"] = rack.id.str();
  j["name"] = rack.name;
  j["zone"] = rack.zone.str();
  j["tier"] = rack.tier;
  j["two_person"] = rack.two_person;
  j["asset_count"] = tally.located.size();
  j["assets"] = tally.located;
  j["expected_count"] = tally.expected;
  j["present_count"] = tally.present;
  j["away_count"] = tally.away.size();
  j["away"] = tally.away;
  j["seal"] = seal_state;
  return j.dump();
}

std::string heartbeat_message(std::int64_t seq) {
  return "{\"type\":\"heartbeat\",\"seq\":" + std::to_string(seq) + "}";
}

std::string snapshot_message(std::int64_t seq, const std::vector<core::DoorView>& doors,
                             const std::vector<core::ZoneView>& zones,
                             const std::vector<core::AlarmRecord>& alarms,
                             const std::map<std::string, std::string>& whereabouts,
                             const std::vector<std::string>& racks_json,
                             const std::vector<std::string>& assets_json) {
  json j;
  j["type"] = "snapshot";
  j["seq"] = seq;
  j["doors"] = json::array();
  for (const auto& d : doors) j["doors"].push_back(door_value(d));
  j["zones"] = json::array();
  for (const auto& z : zones) j["zones"].push_back(zone_value(z));
  j["alarms"] = json::array();
  for (const auto& a : alarms) j["alarms"].push_back(json::parse(alarm_json(a)));
  j["racks"] = json::array();
  for (const auto& r : racks_json) j["racks"].push_back(json::parse(r));
  j["assets"] = json::array();
  for (const auto& a : assets_json) j["assets"].push_back(json::parse(a));
  j["presence"] = json::object();
  for (const auto& [person, zone] : whereabouts) j["presence"][person] = zone;
  return j.dump();
}

std::optional<SubscribeRequest> parse_subscribe(std::string_view text) {
  if (text.size() > 4096 || detail::nesting_depth(text) > 3) return std::nullopt;
  try {
    const auto j = json::parse(text);
    if (!j.is_object() || j.value("type", "") != "subscribe") return std::nullopt;
    SubscribeRequest r;
    if (j.contains("topics")) {
      for (const auto& t : j.at("topics")) r.topics.insert(t.get<std::string>());
    }
    if (j.contains("resume_from")) r.resume_from = j.at("resume_from").get<std::int64_t>();
    return r;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace portcullis::json
