#include "portcullis/json/alarm_json.hpp"

#include <nlohmann/json.hpp>

#include "portcullis/json/rfc3339.hpp"

namespace portcullis::json {

std::string alarm_change_payload(const AlarmChangePayload& c) {
  nlohmann::json j;
  j["alarm"] = c.alarm;
  j["operator"] = c.operator_id;
  j["comment"] = c.comment;
  return j.dump();
}

std::optional<AlarmChangePayload> parse_alarm_change_payload(std::string_view text) {
  try {
    const auto j = nlohmann::json::parse(text);
    return AlarmChangePayload{j.at("alarm").get<std::string>(), j.at("operator").get<std::string>(),
                              j.at("comment").get<std::string>()};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string alarm_json(const core::AlarmRecord& a) {
  nlohmann::json j;
  j["id"] = a.id;
  j["kind"] = a.kind;
  j["severity"] = core::to_string(a.severity);
  j["subject"] = a.subject;
  j["detail"] = a.detail;
  j["silent"] = a.silent;
  j["state"] = core::to_string(a.state);
  j["count"] = a.count;
  j["raised_at"] = format_rfc3339(a.raised_at);
  j["last_seen_at"] = format_rfc3339(a.last_seen_at);
  j["escalated"] = a.escalated;
  if (a.acknowledged_at) {
    j["acknowledged_by"] = a.acknowledged_by;
    j["acknowledged_at"] = format_rfc3339(*a.acknowledged_at);
    j["acknowledge_comment"] = a.acknowledge_comment;
  }
  if (a.resolved_at) {
    j["resolved_by"] = a.resolved_by;
    j["resolved_at"] = format_rfc3339(*a.resolved_at);
    j["resolve_comment"] = a.resolve_comment;
  }
  return j.dump();
}

}  // namespace portcullis::json
