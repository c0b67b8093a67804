// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
#include "portcullis/ledger/records/audit_fact_record.hpp"

#include <nlohmann/json.hpp>

namespace portcullis::json {
namespace {
using nlohmann::json;

json access_details(const AuditAccess& a) {
  json j;
  j["operator"] = std::string{a.operator_id};
  j["role"] = std::string{a.role};
  j["method"] = std::string{a.method};
  j["path"] = std::string{a.path};
  j["remote_address"] = std::string{a.remote_address};
  return j;
}

json report_details(const AuditAccess& access, std::string_view report, std::string_view format,
                    std::string_view filters_json) {
  auto j = access_details(access);
  j["report"] = std::string{report};
  j["format"] = std::string{format};
  j["filters"] = json::parse(filters_json);
  return j;
}

// Request text may hold any bytes: replaced, never a throw.
std::string dumped(const json& details) {
  return details.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string audit_report_requested_json(const AuditAccess& access, std::string_view report,
                                        std::string_view format, std::string_view filters_json) {
  return dumped(report_details(access, report, format, filters_json));
}

std::string audit_export_requested_json(const AuditAccess& access, std::string_view report,
                                        std::string_view format, std::string_view filters_json,
                                        std::string_view file) {
  auto j = report_details(access, report, format, filters_json);
  j["file"] = std::string{file};
  return dumped(j);
}

std::string audit_export_downloaded_json(const AuditAccess& access, std::string_view file) {
  auto j = access_details(access);
  j["file"] = std::string{file};
  return dumped(j);
}

std::string audit_chain_checked_json(const AuditAccess& access, bool full) {
  auto j = access_details(access);
  j["full"] = full;
  return dumped(j);
}

}  // namespace portcullis::json
