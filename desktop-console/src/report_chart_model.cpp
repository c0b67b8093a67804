#include "report_chart_model.hpp"

#include <QDate>
#include <string>

namespace portcullis::console {

std::optional<audit::LocalTime> utcLocalTime(const QString& text) {
  // yyyy-MM-ddTHH:mm:ss, an optional fraction, then Z: the server's only time format.
  if (text.size() < 20 || text.at(10) != QLatin1Char('T') || !text.endsWith(QLatin1Char('Z'))) return {};
  const QDate date = QDate::fromString(text.left(10), Qt::ISODate);
  bool hourOk = false;
  const int hour = text.mid(11, 2).toInt(&hourOk);
  if (!date.isValid() || !hourOk || hour < 0 || hour > 23) return {};
  audit::LocalTime local;
  local.iso_weekday = date.dayOfWeek();
  local.hour = hour;
  local.day = date.toJulianDay() - QDate(1970, 1, 1).toJulianDay();
  return local;
}

void ReportChartModel::reset(const QString& report, const QStringList& columns,
                             double responseTargetSeconds) {
  builder_.reset();
  csvColumn_.clear();
  timeColumn_ = -1;
  skipped_ = 0;
  const auto kind = audit::report_from_string(report.toStdString());
  if (!kind || !audit::report_has_charts(*kind)) return;
  kind_ = *kind;
  // The builder takes the report's columns in its own order; the CSV header names them.
  for (const auto& name : audit::report_columns(kind_))
    csvColumn_.push_back(static_cast<int>(columns.indexOf(QString::fromStdString(name))));
  timeColumn_ = static_cast<int>(columns.indexOf(QString::fromStdString(audit::chart_time_column(kind_))));
  builder_.emplace(kind_, responseTargetSeconds);
}

void ReportChartModel::add(const QVector<QStringList>& rows) {
  if (!builder_) return;
  std::vector<std::string> cells(csvColumn_.size());
  std::vector<audit::CopyField> fields(csvColumn_.size());
  for (const auto& row : rows) {
    const auto local = timeColumn_ >= 0 ? utcLocalTime(row.value(timeColumn_)) : std::nullopt;
    bool shaped = local.has_value();
    for (std::size_t i = 0; i < csvColumn_.size() && shaped; ++i) {
      const int at = csvColumn_[i];
      shaped = at >= 0 && at < row.size();
      if (!shaped) break;
      cells[i] = row.at(at).toStdString();
      // The CSV writes NULL as an empty cell; the charts read both the same way.
      fields[i] = audit::CopyField{cells[i], cells[i].empty()};
    }
    if (!shaped || !builder_->add(fields, *local)) ++skipped_;
  }
}

audit::ReportCharts ReportChartModel::charts() const {
  return builder_ ? builder_->result() : audit::ReportCharts{};
}

}  // namespace portcullis::console
