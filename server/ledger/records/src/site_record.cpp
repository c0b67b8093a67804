// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
#include "portcullis/ledger/records/site_record.hpp"

#include <map>

#include <nlohmann/json.hpp>

namespace portcullis::json {
namespace {
using nlohmann::json;

template <class Def, class IdOf>
json diff(const std::vector<Def>* before, const std::vector<Def>& after, IdOf id_of) {
  constexpr std::size_t kMaxIds = 200;
  std::map<std::string, const Def*> old;
  if (before != nullptr) {
    for (const auto& d : *before) old.emplace(id_of(d), &d);
  }
  json added = json::array(), removed = json::array(), changed = json::array();
  bool truncated = false;
  auto push = [&](json& list, const std::string& id) {
    if (list.size() < kMaxIds)
      list.push_back(id);
    else
      truncated = true;
  };
  std::map<std::string, bool> seen;
  for (const auto& d : after) {
    const std::string id = id_of(d);
    seen[id] = true;
    auto it = old.find(id);
    if (it == old.end())
      push(added, id);
    else if (!(*it->second == d))
      push(changed, id);
  }
  for (const auto& [id, d] : old) {
    if (!seen.contains(id)) push(removed, id);
  }
  json out{{"added", added}, {"removed", removed}, {"changed", changed}};
  if (truncated) out["truncated"] = true;
  return out;
}

}  // namespace

std::string site_change_summary_json(const core::SiteDefinition* before, const core::SiteDefinition& after) {
  auto id = [](const auto& d) { return d.id.str(); };
  json j;
  j["zones"] = diff(before ? &before->zones : nullptr, after.zones, id);
  j["portals"] = diff(before ? &before->portals : nullptr, after.portals, id);
  j["racks"] = diff(before ? &before->racks : nullptr, after.racks, id);
  j["people"] = diff(before ? &before->people : nullptr, after.people, id);
  j["groups"] = diff(before ? &before->groups : nullptr, after.groups, id);
  j["grants"] = diff(before ? &before->grants : nullptr, after.grants, id);
  j["devices"] = diff(before ? &before->devices : nullptr, after.devices, id);
  j["mantraps"] = diff(before ? &before->mantraps : nullptr, after.mantraps, id);
  j["tiers"] = diff(before ? &before->tiers : nullptr, after.tiers,
                    [](const core::TierRequirementDef& t) { return std::to_string(t.tier); });
  j["settings_changed"] = before == nullptr || !(before->settings == after.settings) ||
                          !(before->two_person_rules == after.two_person_rules);
  return j.dump();
}

std::string site_loaded_payload(const std::string& loaded_by, const std::string& version,
                                const std::string& content_sha256, const std::string& previous_sha256,
                                const std::string& changes_json) {
  json j{{"content_sha256", content_sha256},
         {"loaded_by", loaded_by},
         {"previous_sha256", previous_sha256},
         {"version", version}};
  j["changes"] = json::parse(changes_json);
  return j.dump();
}

std::optional<std::string> site_loaded_hash(std::string_view payload) {
  try {
    const auto j = json::parse(payload);
    if (j.contains("content_sha256") && j["content_sha256"].is_string())
      return j["content_sha256"].get<std::string>();
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace portcullis::json
