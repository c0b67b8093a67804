#pragma once
// The charts above a report's table in the Reports window, drawn from ReportChartModel's bins (the same
// charts as the PDF, docs/audit.md "Charts"): access by hour and weekday and grants/denials per day; alarms
// and assets missing per day; time to acknowledge against the target; two-person compliance per place.
#include <QWidget>

#include "portcullis/audit/report_charts.hpp"

class QChartView;
class QHBoxLayout;

namespace portcullis::console {

class AccessHeatMap;

class ReportChartsView : public QWidget {
  Q_OBJECT
 public:
  explicit ReportChartsView(QWidget* parent = nullptr);
  // Replaces the charts; none for empty charts.
  void setCharts(audit::ReportKind kind, const audit::ReportCharts& charts);
  void clear();

  [[nodiscard]] AccessHeatMap* heatMap() const { return heatMap_; }
  [[nodiscard]] QList<QChartView*> chartViews() const;

 private:
  void addDaily(const audit::ReportCharts& charts, const QString& title);
  void addResponse(const audit::ResponseHistogram& histogram);
  void addTwoPerson(const std::vector<audit::PlaceCompliance>& places);
  QHBoxLayout* row_ = nullptr;
  AccessHeatMap* heatMap_ = nullptr;
};

}  // namespace portcullis::console
