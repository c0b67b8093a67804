#pragma once
// The compliance reports beyond the decision and alarm lists: two-person compliance, alarm
// response times, revocations versus later badge use, presence now and asset custody. Each is one SELECT
// (with CTEs) whose fields are exactly its columns, in order, so one generic row formatter serves them all.
#include <string>
#include <vector>

#include "portcullis/audit/report.hpp"

namespace portcullis::audit::detail {

enum class ColumnType {
  Integer,  // a plain integer (JSON number)
  Time,     // microseconds since the epoch, exported as RFC 3339 UTC
  Text,
  Bool,     // COPY's t/f
  Seconds,  // a decimal number of seconds (JSON number), or NULL
};

struct Column {
  const char* name;
  ColumnType type;
};

[[nodiscard]] bool is_compliance_report(ReportKind kind) noexcept;
[[nodiscard]] const std::vector<Column>& compliance_columns(ReportKind kind);

// `where` restricts `events e` to the site, the time range and the chain span (range_where plus bounds).
[[nodiscard]] std::string compliance_select(ReportKind kind, const ReportFilter& filter,
                                            const std::string& site_id, const std::string& where);

// The persons listed as members of `group` in any stored site version of the site, or added to it through
// the admin API at any time (a subquery).
[[nodiscard]] std::string group_members(const std::string& group, const std::string& site_id);

}  // namespace portcullis::audit::detail
