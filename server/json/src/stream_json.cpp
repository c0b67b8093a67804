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

std::string rack_json(const core::RackDef& rack, std::size_t assets,
                      const std::vector<std::string>& asset_ids, std::string_view seal_state) {
  json j;
  j["id"] = rack.id.str();
  j["name"] = rack.name;
  j["zone"] = rack.zone.str();
  j["tier"] = rack.tier;
  j["two_person"] = rack.two_person;
  j["asset_count"] = assets;
  j["assets"] = asset_ids;
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
