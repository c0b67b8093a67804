#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// The details of the audit facts: an auditor's report (audit.report_requested), evidence export
// (audit.export_requested), download of an export (audit.export_downloaded) and chain check
// (audit.chain_checked), each stored before any data leaves. Written by nlohmann's dump() (sorted keys,
// ensure_ascii off), with bytes that are not UTF-8 replaced by U+FFFD (written as its three bytes): the
// path and address come straight from the request.
#include <string>
#include <string_view>

namespace portcullis::json {

// Who asked, and how: the keys every audit fact has.
struct AuditAccess {
  std::string_view operator_id;
  std::string_view role;  // the operator's role name, empty if it has none
  std::string_view method;
  std::string_view path;
  std::string_view remote_address;
};

// The access plus "report", "format" and "filters". filters_json is the report's filters as a JSON object
// (audit::filters_json); its keys are stored sorted, whatever order it has. Throws nlohmann's parse_error if
// it is not JSON.
[[nodiscard]] std::string audit_report_requested_json(const AuditAccess& access, std::string_view report,
                                                      std::string_view format, std::string_view filters_json);
// The report's details plus "file", the name of the export written.
[[nodiscard]] std::string audit_export_requested_json(const AuditAccess& access, std::string_view report,
                                                      std::string_view format, std::string_view filters_json,
                                                      std::string_view file);
// The access plus "file", the export downloaded.
[[nodiscard]] std::string audit_export_downloaded_json(const AuditAccess& access, std::string_view file);
// The access plus "full": whether a full re-verification of the chain was asked for.
[[nodiscard]] std::string audit_chain_checked_json(const AuditAccess& access, bool full);

}  // namespace portcullis::json
