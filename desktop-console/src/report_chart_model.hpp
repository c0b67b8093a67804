#pragma once
// The charts of a report in the console, counted from the very rows the Reports window's table shows (the
// server's CSV cells), by the pure module the PDF's charts use (portcullis/audit/report_charts.hpp): the same
// bins and the same totals, so the console and the PDF cannot disagree on one row. Only the bins are kept.
// Days and hours are read in UTC, like the window's period and the PDF's default time zone.
#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>
#include <vector>

#include "portcullis/audit/report_charts.hpp"

namespace portcullis::console {

// Where a time as the server's CSV writes it ("2026-11-27T08:01:00.000000Z", always UTC) falls in UTC;
// nothing for any other text.
std::optional<audit::LocalTime> utcLocalTime(const QString& text);

class ReportChartModel {
 public:
  // A new run: the report's name as the server lists it and the CSV header. A report without charts (or one
  // this console does not know) counts nothing.
  void reset(const QString& report, const QStringList& columns, double responseTargetSeconds = 120);
  // Rows as the table holds them. A row without the report's shape (a column missing, a time that is not
  // RFC 3339 UTC) counts in no chart and in skipped().
  void add(const QVector<QStringList>& rows);

  [[nodiscard]] bool hasCharts() const { return builder_.has_value(); }
  [[nodiscard]] audit::ReportKind kind() const { return kind_; }
  [[nodiscard]] audit::ReportCharts charts() const;
  [[nodiscard]] qint64 skipped() const { return skipped_; }

 private:
  audit::ReportKind kind_ = audit::ReportKind::Access;
  std::optional<audit::ChartBuilder> builder_;
  std::vector<int> csvColumn_;  // for each of the report's own columns, its place in the CSV header
  int timeColumn_ = -1;         // in the CSV header
  qint64 skipped_ = 0;
};

}  // namespace portcullis::console
