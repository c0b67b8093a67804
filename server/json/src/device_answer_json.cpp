#include "portcullis/json/device_answer_json.hpp"

#include <nlohmann/json.hpp>

namespace portcullis::json {
namespace {
using nlohmann::json;

std::string text(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}
}  // namespace

std::string device_answer_outcome_json(std::string_view stored_outcome_json, const core::SiteModel* model) {
  json out = json::object();
  out["decision"] = nullptr;
  const json stored = json::parse(stored_outcome_json, nullptr, false);
  if (!stored.is_object()) return out.dump();
  const auto decision = stored.find("decision");
  if (decision == stored.end() || !decision->is_object()) return out.dump();
  json answer = json::object();
  const auto verdict = text(*decision, "verdict");
  answer["verdict"] = verdict;
  answer["reason"] = text(*decision, "reason");
  if (const auto needed = text(*decision, "needed"); !needed.empty()) answer["needed"] = needed;
  out["decision"] = std::move(answer);
  if (verdict != "grant") return out.dump();
  const auto portal = text(*decision, "portal");
  const auto rack = text(*decision, "rack");
  if (portal.empty() && rack.empty()) return out.dump();
  json door = json::object();
  door["action"] = "unlock";
  if (!portal.empty()) {
    door["portal"] = portal;
    const auto i = model ? model->portal_index(core::PortalId{portal}) : core::kNoIndex;
    if (i != core::kNoIndex) door["unlock_s"] = model->portal(i).def.unlock_s;
  } else {
    door["rack"] = rack;
    const auto i = model ? model->rack_index(core::RackId{rack}) : core::kNoIndex;
    if (i != core::kNoIndex) door["unlock_s"] = model->rack(i).def.unlock_s;
  }
  out["door"] = std::move(door);
  return out.dump();
}

}  // namespace portcullis::json
