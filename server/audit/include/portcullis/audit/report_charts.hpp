#pragma once
// What the charts at the start of a PDF report show, computed from the report's own rows (the same SELECT
// the table prints, in the same snapshot), as pure data: no drawing, no database. Each chart answers the
// report's question:
//   access, denied, after-hours  access by hour of day and weekday, per zone (heat map); grants and
//                                denials per day
//   alarms                       alarms per day, and asset_missing alarms (assets missing) per day
//   alarm-response               time to acknowledge, as a distribution against the site's target
//   two-person                   compliance per place: completed entries, incomplete attempts,
//                                supervisor overrides and lone-person / window alarms
// Other reports have no chart. Every row counts once in every chart that applies to it, so a chart's total
// equals the table's number of rows (or of the rows it is about, e.g. the denials).
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "portcullis/audit/report.hpp"

namespace portcullis::audit {

// Where a row's time falls in the report's time zone (PostgreSQL computes it, with the zone's DST rules).
struct LocalTime {
  int iso_weekday = 1;   // 1 Monday .. 7 Sunday
  int hour = 0;          // 0..23
  std::int64_t day = 0;  // the local date as days since 1970-01-01
};

struct ZoneHeatMap {
  std::string zone;                          // the decision's destination; "(no zone)" when it has none
  std::array<std::int64_t, 7 * 24> cells{};  // [(iso_weekday - 1) * 24 + hour]
  std::int64_t total = 0;
};

struct DailySeries {
  std::string name;
  std::map<std::int64_t, std::int64_t> per_day;  // local day -> count (days without rows absent)
  std::int64_t total = 0;
};

struct ResponseHistogram {
  double target_seconds = 120;
  std::vector<double> upper_bounds;  // bin i holds target*... : seconds <= upper_bounds[i] (last: infinity)
  std::vector<std::int64_t> counts;
  std::int64_t within_target = 0;
  std::int64_t over_target = 0;
  std::int64_t unacknowledged = 0;  // no acknowledgement recorded
};

struct PlaceCompliance {
  std::string place;  // the portal, else the zone, else the alarm's subject
  std::int64_t entries = 0;
  std::int64_t incomplete = 0;
  std::int64_t overrides = 0;
  std::int64_t alarms = 0;
  [[nodiscard]] std::int64_t total() const noexcept { return entries + incomplete + overrides + alarms; }
};

struct ReportCharts {
  std::int64_t rows = 0;
  std::vector<ZoneHeatMap> access_by_zone;  // busiest zone first
  std::vector<DailySeries> over_time;       // sharing one day axis
  std::vector<ResponseHistogram> response;  // zero or one
  std::vector<PlaceCompliance> two_person;  // most rows first
  [[nodiscard]] bool empty() const noexcept {
    return access_by_zone.empty() && over_time.empty() && response.empty() && two_person.empty();
  }
};

// True for the reports that open with charts.
[[nodiscard]] bool report_has_charts(ReportKind kind) noexcept;

// The column whose time places a row on the charts' time axes ("received_at", "raised_at", ...).
[[nodiscard]] std::string chart_time_column(ReportKind kind);

// The charts' query: the report's own SELECT as a subquery, each row followed by where its time falls in
// the filter's time zone (ISO weekday, hour, local date as days since 1970-01-01), computed by PostgreSQL.
[[nodiscard]] std::string chart_select(ReportKind kind, const ReportFilter& filter,
                                       const std::string& site_id);

class ChartBuilder {
 public:
  ChartBuilder(ReportKind kind, double response_target_seconds);
  // One row as report_select gives it (the fields format_row takes) and where its time falls; false if the
  // row does not have the report's shape.
  bool add(const std::vector<CopyField>& fields, const LocalTime& local);
  [[nodiscard]] ReportCharts result() const;

 private:
  [[nodiscard]] int column(const char* name) const;
  ReportKind kind_;
  std::vector<std::string> columns_;
  ReportCharts charts_;
  std::map<std::string, ZoneHeatMap> zones_;
  std::map<std::string, PlaceCompliance> places_;
};

}  // namespace portcullis::audit
