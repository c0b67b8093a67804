#pragma once
// Access by hour of day and weekday as a heat map: seven rows (Monday first) of 24 hourly cells, painted
// by hand (a QChart has no heat map). One zone or all of them, picked in a combo box above the grid.
#include <QWidget>
#include <array>
#include <vector>

#include "portcullis/audit/report_charts.hpp"

class QComboBox;

namespace portcullis::console {

class AccessHeatMapGrid : public QWidget {
  Q_OBJECT
 public:
  using QWidget::QWidget;
  using Cells = std::array<qint64, 7 * 24>;
  void setCells(const Cells& cells);
  [[nodiscard]] const Cells& cells() const { return cells_; }
  [[nodiscard]] QSize sizeHint() const override { return {560, 220}; }
  [[nodiscard]] QSize minimumSizeHint() const override { return {360, 160}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  Cells cells_{};
  qint64 max_ = 0;
};

class AccessHeatMap : public QWidget {
  Q_OBJECT
 public:
  explicit AccessHeatMap(QWidget* parent = nullptr);
  // The zones busiest first, as the chart module gives them; shows all of them together.
  void setZones(std::vector<audit::ZoneHeatMap> zones);
  [[nodiscard]] AccessHeatMapGrid* grid() const { return grid_; }
  [[nodiscard]] QComboBox* zonePicker() const { return zone_; }

 private:
  void showZone(int index);
  std::vector<audit::ZoneHeatMap> zones_;
  QComboBox* zone_ = nullptr;
  AccessHeatMapGrid* grid_ = nullptr;
};

}  // namespace portcullis::console
