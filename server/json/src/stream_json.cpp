#include "portcullis/json/stream_json.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

#include <nlohmann/json.hpp>

#include "portcullis/json/alarm_json.hpp"
#include "portcullis/json/rfc3339.hpp"
#include "portcullis/json/strict_json.hpp"
#include "portcullis/ledger/records/detail/json_writer.hpp"

namespace portcullis::json {
namespace {
using nlohmann::json;

json door_value(const core::DoorView& d) {
  return json{{"id", d.id},       {"name", d.name},     {"open", d.open}, {"locked", d.locked},
              {"alarm", d.alarm}, {"online", d.online}, {"mode", d.mode}};
}
json zone_value(const core::ZoneView& z) {
  return json{{"id", z.id}, {"occupancy", z.occupancy}, {"lockdown", z.lockdown}, {"fire", z.fire}};
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
  // One per delta (per moved asset): appended into one reserved string, no temporaries.
  std::string out;
  out.reserve(48 + topic.size() + data_json.size());
  out += "{\"type\":\"delta\",\"seq\":";
  detail::put_int(out, seq);
  out += ",\"topic\":\"";
  out += topic;
  out += "\",\"data\":";
  out += data_json;
  out += '}';
  return out;
}

std::vector<std::string> RackContents::update(const core::AssetState& asset) {
  const auto& id = asset.def.id.str();
  Known now;
  now.located = asset.location.rack.str();
  now.seen = asset.location.known();
  if (!asset.def.home_rack.empty() && asset.def.lifecycle == core::AssetLifecycle::InService)
    now.home = asset.def.home_rack.str();
  auto& known = assets_[id];
  // At most four racks: a short vector, not a std::set (this runs once per moved asset).
  std::vector<std::string> changed;
  const auto mark = [&](const std::string& rack) {
    if (!rack.empty() && std::find(changed.begin(), changed.end(), rack) == changed.end())
      changed.push_back(rack);
  };
  if (known.located != now.located) {
    if (!known.located.empty()) located_[known.located].erase(id);
    if (!now.located.empty()) located_[now.located].insert(id);
    // The home rack's present / away split changes too when the asset leaves or comes home.
    for (const auto* rack : {&known.located, &now.located, &known.home, &now.home}) mark(*rack);
  }
  if (known.seen != now.seen) mark(now.home);  // its home rack's "not read yet" count changes
  if (known.home != now.home) {
    if (!known.home.empty()) expected_[known.home].erase(id);
    // `known` is a node of assets_ (stable until clear()): tallies read where it is without a lookup.
    if (!now.home.empty()) expected_[now.home].emplace(id, &known);
    for (const auto* rack : {&known.home, &now.home}) mark(*rack);
  }
  known = std::move(now);
  std::sort(changed.begin(), changed.end());  // the order std::set gave
  return changed;
}

void RackContents::clear() {
  assets_.clear();
  located_.clear();
  expected_.clear();
}

RackTally RackContents::tally(const std::string& rack) const {
  RackTally t;
  if (const auto* located = located_in(rack)) t.located.assign(located->begin(), located->end());
  if (const auto* expected = expected_in(rack)) {
    t.expected = expected->size();
    for (const auto& [id, known] : *expected) {
      if (known->located == rack) {
        ++t.present;
      } else {
        t.away.push_back(id);
        if (!known->seen) ++t.unseen;
      }
    }
  }
  return t;
}

const std::set<std::string>* RackContents::located_in(const std::string& rack) const {
  const auto it = located_.find(rack);
  return it == located_.end() ? nullptr : &it->second;
}

const std::map<std::string, const RackContents::Known*>* RackContents::expected_in(
    const std::string& rack) const {
  const auto it = expected_.find(rack);
  return it == expected_.end() ? nullptr : &it->second;
}

namespace {

// rack_json's bytes, keys in sorted order. A rack holds thousands of assets and is published up to four
// times a second while tags move: its id lists are written straight from where they are kept, without a
// copy into vectors and a DOM of one node per id. `write_away(out)` writes the away ids and returns how
// many it wrote, how many were present and how many of the away were never read.
template <class Located, class WriteAway>
std::string put_rack(const core::RackDef& rack, const Located& located, std::size_t expected,
                     std::string_view seal_state, WriteAway write_away) {
  using detail::put_bool;
  using detail::put_int;
  using detail::put_string;
  std::string out;
  out.reserve(160 + 24 * (located.size() + expected));
  out += "{\"asset_count\":";
  put_int(out, located.size());
  out += ",\"assets\":[";
  bool first = true;
  for (const auto& id : located) {
    if (!first) out += ',';
    first = false;
    put_string(out, id);
  }
  out += "],\"away\":[";
  const auto [away, present, unseen] = write_away(out);
  out += "],\"away_count\":";
  put_int(out, away);
  out += ",\"expected_count\":";
  put_int(out, expected);
  out += ",\"id\":";
  put_string(out, rack.id.str());
  out += ",\"name\":";
  put_string(out, rack.name);
  out += ",\"present_count\":";
  put_int(out, present);
  out += ",\"seal\":";
  put_string(out, seal_state);
  out += ",\"tier\":";
  put_int(out, rack.tier);
  out += ",\"two_person\":";
  put_bool(out, rack.two_person);
  out += ",\"unseen_count\":";
  put_int(out, unseen);
  out += ",\"zone\":";
  put_string(out, rack.zone.str());
  out += '}';
  return out;
}

void put_id(std::string& out, std::size_t& count, const std::string& id) {
  if (count++ != 0) out += ',';
  detail::put_string(out, id);
}

}  // namespace

std::string rack_json(const core::RackDef& rack, const RackTally& tally, std::string_view seal_state) {
  return put_rack(rack, tally.located, tally.expected, seal_state, [&](std::string& out) {
    std::size_t away = 0;
    for (const auto& id : tally.away) put_id(out, away, id);
    return std::tuple{away, tally.present, tally.unseen};
  });
}

std::string rack_json(const core::RackDef& rack, const RackContents& contents, std::string_view seal_state) {
  static const std::set<std::string> kNone;
  const auto& rack_id = rack.id.str();
  const auto* located = contents.located_in(rack_id);
  const auto* expected = contents.expected_in(rack_id);
  return put_rack(rack, located ? *located : kNone, expected ? expected->size() : 0, seal_state,
                  [&](std::string& out) {
                    std::size_t away = 0;
                    std::size_t present = 0;
                    std::size_t unseen = 0;
                    if (expected == nullptr) return std::tuple{away, present, unseen};
                    for (const auto& [id, known] : *expected) {
                      if (known->located == rack_id) {
                        ++present;
                      } else {
                        put_id(out, away, id);
                        if (!known->seen) ++unseen;
                      }
                    }
                    return std::tuple{away, present, unseen};
                  });
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
  if (text.size() > 4096) return std::nullopt;
  auto parsed = parse_strict_object(text, 3);
  if (std::holds_alternative<FieldError>(parsed)) return std::nullopt;
  try {
    const auto& j = std::get<json>(parsed);
    if (j.value("type", "") != "subscribe") return std::nullopt;
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
