#include "access_heat_map.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QVBoxLayout>
#include <algorithm>

namespace portcullis::console {

void AccessHeatMapGrid::setCells(const Cells& cells) {
  cells_ = cells;
  max_ = *std::max_element(cells_.begin(), cells_.end());
  update();
}

void AccessHeatMapGrid::paintEvent(QPaintEvent* /*event*/) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing, false);
  const QFontMetrics fm(font());
  const QLocale locale;
  // Room for the widest short day name of the person's language, not of English.
  int widestDay = 0;
  for (int day = 1; day <= 7; ++day)
    widestDay = std::max(widestDay, fm.horizontalAdvance(locale.dayName(day, QLocale::ShortFormat)));
  const int left = widestDay + 10;
  const int top = 4;
  const int bottom = fm.height() + 6;
  const double cellW = std::max(1.0, (width() - left - 4) / 24.0);
  const double cellH = std::max(1.0, (height() - top - bottom) / 7.0);
  p.setPen(palette().color(QPalette::WindowText));
  for (int day = 0; day < 7; ++day) {
    const QRectF label(0, top + day * cellH, left - 6, cellH);
    p.drawText(label, Qt::AlignRight | Qt::AlignVCenter, locale.dayName(day + 1, QLocale::ShortFormat));
  }
  for (int hour = 0; hour < 24; hour += 3) {
    const QRectF label(left + hour * cellW, top + 7 * cellH + 2, cellW * 3, bottom);
    p.drawText(label, Qt::AlignLeft | Qt::AlignTop, QStringLiteral("%1").arg(hour, 2, 10, QLatin1Char('0')));
  }
  // Empty cells stay dark; one hue from dim to bright amber, on one linear scale up to the busiest cell.
  const QColor empty(0x1b, 0x22, 0x2c);
  const QColor low(0x4a, 0x36, 0x14);
  const QColor high(0xff, 0xc2, 0x4a);
  for (int day = 0; day < 7; ++day) {
    for (int hour = 0; hour < 24; ++hour) {
      const qint64 n = cells_[static_cast<std::size_t>(day * 24 + hour)];
      QColor c = empty;
      if (n > 0 && max_ > 0) {
        const double t = static_cast<double>(n) / static_cast<double>(max_);
        c = QColor::fromRgbF(static_cast<float>(low.redF() + t * (high.redF() - low.redF())),
                             static_cast<float>(low.greenF() + t * (high.greenF() - low.greenF())),
                             static_cast<float>(low.blueF() + t * (high.blueF() - low.blueF())));
      }
      const QRectF cell(left + hour * cellW, top + day * cellH, cellW - 1, cellH - 1);
      p.fillRect(cell, c);
      if (n > 0 && cellW >= fm.horizontalAdvance(QString::number(n)) + 4 && cellH >= fm.height()) {
        p.setPen(n * 2 > max_ ? QColor(0x10, 0x14, 0x1a) : QColor(0xe6, 0xed, 0xf3));
        p.drawText(cell, Qt::AlignCenter, QString::number(n));
      }
    }
  }
}

AccessHeatMap::AccessHeatMap(QWidget* parent) : QWidget(parent) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  auto* head = new QHBoxLayout;
  auto* title = new QLabel(tr("Access by hour and weekday (UTC)"), this);
  title->setStyleSheet(QStringLiteral("font-weight: bold;"));
  zone_ = new QComboBox(this);
  zone_->setObjectName(QStringLiteral("heatMapZone"));
  head->addWidget(title);
  head->addStretch(1);
  head->addWidget(zone_);
  outer->addLayout(head);
  grid_ = new AccessHeatMapGrid(this);
  grid_->setObjectName(QStringLiteral("heatMapGrid"));
  outer->addWidget(grid_, 1);
  connect(zone_, &QComboBox::currentIndexChanged, this, &AccessHeatMap::showZone);
}

void AccessHeatMap::setZones(std::vector<audit::ZoneHeatMap> zones) {
  zones_ = std::move(zones);
  QSignalBlocker block(zone_);
  zone_->clear();
  qint64 total = 0;
  for (const auto& z : zones_) total += z.total;
  zone_->addItem(tr("All zones (%1)").arg(QLocale().toString(total)));
  for (const auto& z : zones_)
    zone_->addItem(tr("%1 (%2)").arg(QString::fromStdString(z.zone), QLocale().toString(z.total)));
  zone_->setCurrentIndex(0);
  showZone(0);
}

void AccessHeatMap::showZone(int index) {
  AccessHeatMapGrid::Cells cells{};
  for (std::size_t i = 0; i < zones_.size(); ++i) {
    if (index != 0 && static_cast<int>(i) != index - 1) continue;
    for (std::size_t c = 0; c < cells.size(); ++c) cells[c] += zones_[i].cells[c];
  }
  grid_->setCells(cells);
}

}  // namespace portcullis::console
