#pragma once
// The auditor reports as pure logic: which rows a report selects (as one SQL SELECT over `events`, in
// chain order) and how one selected row is written as CSV or JSON Lines. No database code here: the
// exporter runs the SELECT and feeds the rows back through format_row.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/audit/text_format.hpp"

namespace portcullis::audit {

enum class ReportKind {
  Access,
  Denied,
  AfterHours,
  Alarms,
  TwoPerson,      // two-person entries, attempts, overrides and lone-person / window alarms
  AlarmResponse,  // each alarm with its acknowledgement and resolution, and the time each took
  RevokedUse,     // revocations of persons and credentials, each with every later badge use
  Presence,       // who is in which zone, from the last granted passage of each person
  Custody,        // asset.* records: one asset's custody trail, or the trails of all disposed assets
};
// Pdf: a human-readable, paginated table of the same rows (pdf_report.hpp).
enum class OutputFormat { Csv, JsonLines, Pdf };
// In format_row's Pdf output, the cells of one row are separated by this character (ASCII unit separator;
// one inside a value is written as a space).
inline constexpr char kPdfCellSeparator = '\x1f';

[[nodiscard]] const char* to_string(ReportKind kind) noexcept;
[[nodiscard]] std::optional<ReportKind> report_from_string(std::string_view s) noexcept;
[[nodiscard]] const char* to_string(OutputFormat format) noexcept;
[[nodiscard]] std::optional<OutputFormat> format_from_string(std::string_view s) noexcept;

// Local time of day as minutes since midnight.
struct DailyWindow {
  int start_minute = 7 * 60;  // inclusive
  int end_minute = 19 * 60;   // exclusive; end < start means the working window spans midnight
};
// "07:00-19:00"
[[nodiscard]] std::optional<DailyWindow> parse_window(std::string_view text);

struct ReportFilter {
  std::optional<std::string> person;    // decision.person (alarms: also the alarm's subject)
  std::optional<std::string> portal;    // decision.portal (alarms: also the alarm's subject)
  std::optional<std::string> zone;      // decision.destination (alarms: also the alarm's subject)
  std::optional<std::string> rack;      // decision.rack
  std::optional<std::string> decision;  // grant | deny | pending (not for alarms)
  std::optional<std::string> group;     // members of this group in any stored site version (site_versions)
  std::optional<std::string> asset;     // custody only: this asset's trail (default: all disposed assets)
  std::optional<std::int64_t> from_us;  // received at or after (inclusive)
  std::optional<std::int64_t> to_us;    // received before (exclusive)
  DailyWindow window;                   // after-hours only: the working hours
  std::string time_zone = "UTC";        // after-hours only: IANA name the window is read in
  // Set by the exporter from the chain range of the time window (not a user filter, not in the manifest):
  // lets PostgreSQL read exactly that span of the primary key in order, so rows stream at once, no sort.
  std::optional<std::int64_t> first_seq;
  std::optional<std::int64_t> last_seq;
};

// Checks what the SQL builder relies on; returns an error message or nothing.
[[nodiscard]] std::optional<std::string> validate(ReportKind kind, const ReportFilter& filter);

// A standard-conforming SQL string literal ('' doubles a quote). The exporter turns on
// standard_conforming_strings in its transaction, so backslashes are plain characters.
[[nodiscard]] std::string sql_literal(std::string_view text);

// The one SELECT a report runs (COPY cannot take bind parameters, so values are literals).
// Columns are raw (microseconds, plain text); format_row turns them into the exported form.
[[nodiscard]] std::string report_select(ReportKind kind, const ReportFilter& filter,
                                        const std::string& site_id);

// The chain range a report covers: every row of the site in its time range, whatever its filters.
[[nodiscard]] std::string range_where(const ReportFilter& filter, const std::string& site_id);

// Exported column names, in order.
[[nodiscard]] const std::vector<std::string>& report_columns(ReportKind kind);

// Every report, in the order the CLI and the REST API list them.
[[nodiscard]] const std::vector<ReportKind>& all_reports();

// True for the reports whose SELECT reads the primary key in chain order without a join that needs a sort
// (the exporter turns sorting off for them so the first rows leave at once).
[[nodiscard]] bool streams_in_chain_order(ReportKind kind) noexcept;

// Header line for CSV (empty for JSON Lines).
[[nodiscard]] std::string header(ReportKind kind, OutputFormat format);

// Appends one exported row built from the SELECT's fields; false if the row does not have the shape
// report_select gives. For Pdf, the row is its cells as text, in column order, separated by
// kPdfCellSeparator (absent values empty, no line end): the PDF report draws them as a table row.
bool format_row(ReportKind kind, OutputFormat format, const std::vector<CopyField>& fields, std::string& out);

// The filters as they are named in the signed manifest: {"person":"...", "from":"...", ...} as canonical
// JSON text (sorted keys).
[[nodiscard]] std::string filters_json(ReportKind kind, const ReportFilter& filter);

}  // namespace portcullis::audit
