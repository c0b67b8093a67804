#include "portcullis/siem/security_event.hpp"

#include <nlohmann/json.hpp>
#include <string_view>

#include "portcullis/core/outcome.hpp"
#include "portcullis/core/time.hpp"

namespace portcullis::siem {
namespace {

using nlohmann::json;

std::string bounded(std::string_view text) {
  if (text.size() <= kMaxJsonText) return std::string{text};
  auto end = kMaxJsonText;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string{text.substr(0, end)} + "...";
}

// Every string of a stored payload cut to kMaxJsonText, recursively.
void bound_strings(json& value) {
  if (value.is_string()) {
    value = bounded(value.get_ref<const std::string&>());
  } else if (value.is_structured()) {
    for (auto& item : value) bound_strings(item);
  }
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The record types that are security facts of their own (besides alarms and denied accesses).
bool is_security_fact(std::string_view type) {
  for (const auto prefix : {"operator.", "security.", "change.", "policy.", "command.", "audit."}) {
    if (starts_with(type, prefix)) return true;
  }
  return type == "site.loaded";
}

SyslogSeverity fact_severity(std::string_view type) {
  if (type == "security.chain_tampered") return SyslogSeverity::Alert;
  if (starts_with(type, "security.") || type.find("failed") != std::string_view::npos ||
      type.find("refused") != std::string_view::npos)
    return SyslogSeverity::Warning;
  return SyslogSeverity::Notice;
}

SyslogSeverity alarm_severity(core::Severity severity) {
  switch (severity) {
    case core::Severity::Critical: return SyslogSeverity::Critical;
    case core::Severity::High: return SyslogSeverity::Error;
    case core::Severity::Medium: return SyslogSeverity::Warning;
    case core::Severity::Low: return SyslogSeverity::Notice;
  }
  return SyslogSeverity::Warning;
}

std::string dump(const json& value) {
  // Replacement characters for bytes that are not UTF-8: the body is valid JSON whatever was stored.
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json base(const ingest::LiveUpdate& update, const std::string& site_id, std::string_view name) {
  json body;
  body["event"] = std::string{name};
  body["site_id"] = site_id;
  body["site_seq"] = update.site_seq;
  body["at"] = util::format_rfc3339(update.at);
  body["record_type"] = update.type;
  if (!update.device_id.empty()) body["device_id"] = bounded(update.device_id);
  return body;
}

std::string alarm_event_name(const std::string& record_type) {
  if (record_type == "alarm.acknowledged" || record_type == "alarm.resolved" ||
      record_type == "alarm.escalated")
    return record_type;
  return "alarm.raised";
}

json alarm_json(const core::AlarmRecord& alarm) {
  json a;
  a["id"] = alarm.id;
  a["kind"] = bounded(alarm.kind);
  a["severity"] = std::string{core::to_string(alarm.severity)};
  a["subject"] = bounded(alarm.subject);
  a["detail"] = bounded(alarm.detail);
  a["state"] = std::string{core::to_string(alarm.state)};
  a["count"] = alarm.count;
  a["escalated"] = alarm.escalated;
  a["silent"] = alarm.silent;
  a["raised_at"] = util::format_rfc3339(alarm.raised_at);
  if (!alarm.acknowledged_by.empty()) {
    a["acknowledged_by"] = bounded(alarm.acknowledged_by);
    a["acknowledge_comment"] = bounded(alarm.acknowledge_comment);
  }
  if (!alarm.resolved_by.empty()) {
    a["resolved_by"] = bounded(alarm.resolved_by);
    a["resolve_comment"] = bounded(alarm.resolve_comment);
  }
  return a;
}

}  // namespace

std::vector<SecurityEvent> security_events(const ingest::LiveUpdate& update, const std::string& site_id) {
  std::vector<SecurityEvent> events;
  const auto* decision_made =
      update.outcome && update.outcome->decision ? &*update.outcome->decision : nullptr;
  // An operator's action (policy.*) may carry a decision too (refused: self-approval...): it is reported as
  // the fact it is, with the decision in it, not as a denied access.
  if (!is_security_fact(update.type) && decision_made != nullptr &&
      decision_made->verdict == core::Verdict::Deny) {
    const auto& decision = *update.outcome->decision;
    auto body = base(update, site_id, "access.denied");
    body["reason"] = std::string{core::to_string(decision.reason)};
    if (!decision.person.empty()) body["person"] = bounded(decision.person.str());
    if (!decision.credential.empty()) body["credential"] = bounded(decision.credential.str());
    if (!decision.portal.empty()) body["portal"] = bounded(decision.portal.str());
    if (!decision.rack.empty()) body["rack"] = bounded(decision.rack.str());
    if (!decision.destination.empty()) body["zone"] = bounded(decision.destination.str());
    events.push_back({"access.denied", SyslogSeverity::Warning, update.site_seq, {}, dump(body)});
  } else if (is_security_fact(update.type)) {
    auto body = base(update, site_id, update.type);
    if (!update.payload_json.empty()) {
      auto payload = json::parse(update.payload_json, nullptr, false);
      if (payload.is_discarded()) {
        body["payload_text"] = bounded(update.payload_json);
      } else {
        bound_strings(payload);
        body["payload"] = std::move(payload);
      }
    }
    if (decision_made != nullptr) {
      body["verdict"] = std::string{core::to_string(decision_made->verdict)};
      body["reason"] = std::string{core::to_string(decision_made->reason)};
    }
    events.push_back({update.type, fact_severity(update.type), update.site_seq, {}, dump(body)});
  }
  for (const auto& alarm : update.alarms) {
    const auto name = alarm_event_name(update.type);
    auto body = base(update, site_id, name);
    body["alarm"] = alarm_json(alarm);
    const auto severity = name == "alarm.acknowledged" || name == "alarm.resolved"
                              ? SyslogSeverity::Notice
                              : alarm_severity(alarm.severity);
    events.push_back({name, severity, update.site_seq, alarm.id, dump(body)});
  }
  return events;
}

std::string syslog_message_of(const SecurityEvent& event, const SyslogIdentity& identity,
                              util::UtcMicros at) {
  SyslogMessage message;
  message.facility = identity.facility;
  message.severity = event.severity;
  message.at = at;
  message.hostname = identity.hostname;
  message.app_name = identity.app_name;
  message.procid = identity.procid;
  message.msgid = event.name;
  SdElement element{
      "portcullis@32473",
      {{"site_id", identity.site_id}, {"site_seq", std::to_string(event.site_seq)}, {"event", event.name}}};
  if (!event.alarm_id.empty()) element.params.push_back({"alarm_id", event.alarm_id});
  message.structured_data.push_back(std::move(element));
  message.message = event.json;
  return format_rfc5424(message);
}

}  // namespace portcullis::siem
