#include "report_charts_view.hpp"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDate>
#include <QHBoxLayout>
#include <QHorizontalStackedBarSeries>
#include <QLocale>
#include <QStackedBarSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <map>

#include "access_heat_map.hpp"

namespace portcullis::console {
namespace {

// More days than this are drawn as weeks (Monday to Sunday), so the bars stay readable.
constexpr std::int64_t kMostDailyBars = 45;
// The busiest places of a two-person chart; the title says how many more there are.
constexpr std::size_t kMostPlaces = 12;

const QColor kGood(0x4c, 0xaf, 0x6e);
const QColor kBad(0xe0, 0x55, 0x4a);
const QColor kWarn(0xff, 0xb3, 0x3b);
const QColor kBlue(0x4f, 0x8c, 0xd6);
const QColor kNeutral(0x8a, 0x94, 0xa3);

// 1, 2 or 5 times a power of ten: about five ticks up to max, at round numbers of rows.
double tickStep(double max) {
  const double rough = std::max(1.0, max / 5.0);
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  for (double m : {1.0, 2.0, 5.0})
    if (m * power >= rough) return m * power;
  return 10.0 * power;
}

// The theme first: setting a theme gives every series already in the chart the theme's colours.
QChart* darkChart() {
  auto* chart = new QChart;
  chart->setTheme(QChart::ChartThemeDark);
  return chart;
}

QChartView* chartView(QChart* chart, QWidget* parent) {
  chart->setBackgroundBrush(QColor(0x18, 0x1e, 0x26));  // the console's panel colour
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(4, 4, 4, 4));
  auto* view = new QChartView(chart, parent);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumSize(360, 220);
  return view;
}

QDate dayDate(std::int64_t day) {
  return QDate(1970, 1, 1).addDays(day);
}

QValueAxis* countAxis(double max) {
  auto* axis = new QValueAxis;
  const double step = tickStep(max);
  axis->setRange(0, std::max(step, std::ceil(max / step) * step));
  axis->setLabelFormat(QStringLiteral("%d"));
  // Whole, round numbers only: never a fraction of a row.
  axis->setTickType(QValueAxis::TicksDynamic);
  axis->setTickAnchor(0);
  axis->setTickInterval(step);
  return axis;
}

}  // namespace

ReportChartsView::ReportChartsView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("reportCharts"));
  row_ = new QHBoxLayout(this);
  row_->setContentsMargins(0, 0, 0, 0);
}

void ReportChartsView::clear() {
  while (auto* item = row_->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  heatMap_ = nullptr;
}

QList<QChartView*> ReportChartsView::chartViews() const {
  return findChildren<QChartView*>();
}

void ReportChartsView::setCharts(audit::ReportKind kind, const audit::ReportCharts& charts) {
  clear();
  if (charts.empty()) return;
  if (!charts.access_by_zone.empty()) {
    heatMap_ = new AccessHeatMap(this);
    heatMap_->setZones(charts.access_by_zone);
    row_->addWidget(heatMap_, 1);
  }
  if (kind == audit::ReportKind::Alarms)
    addDaily(charts, tr("Alarms and assets missing per day (UTC)"));
  else if (!charts.over_time.empty())
    addDaily(charts, tr("Grants and denials per day (UTC)"));
  for (const auto& h : charts.response) addResponse(h);
  if (!charts.two_person.empty()) addTwoPerson(charts.two_person);
}

void ReportChartsView::addDaily(const audit::ReportCharts& charts, const QString& title) {
  std::int64_t first = 0;
  std::int64_t last = -1;
  for (const auto& s : charts.over_time) {
    if (s.per_day.empty()) continue;
    first = last < first ? s.per_day.begin()->first : std::min(first, s.per_day.begin()->first);
    last = std::max(last, s.per_day.rbegin()->first);
  }
  auto* chart = darkChart();
  const bool weeks = last >= first && last - first + 1 > kMostDailyBars;
  // A bar per day (or per week from Monday); days without rows are bars of zero, so the axis is time.
  const auto bucket = [&](std::int64_t day) { return weeks ? day - (dayDate(day).dayOfWeek() - 1) : day; };
  QStringList categories;
  std::map<std::int64_t, int> index;
  if (last >= first) {
    for (std::int64_t d = bucket(first); d <= last; d += weeks ? 7 : 1) {
      index[d] = static_cast<int>(categories.size());
      categories << (weeks ? tr("wk %1").arg(dayDate(d).toString(QStringLiteral("MM-dd")))
                           : dayDate(d).toString(QStringLiteral("MM-dd")));
    }
  }
  auto* series = new QBarSeries;
  double max = 0;
  for (std::size_t i = 0; i < charts.over_time.size(); ++i) {
    const auto& s = charts.over_time[i];
    const QString name = s.name == "granted"          ? tr("granted")
                         : s.name == "denied"         ? tr("denied")
                         : s.name == "alarms"         ? tr("alarms")
                         : s.name == "assets missing" ? tr("assets missing")
                                                      : QString::fromStdString(s.name);
    auto* set = new QBarSet(tr("%1 (%2)").arg(name, QLocale().toString(s.total)));
    QVector<double> values(categories.size(), 0.0);
    for (const auto& [day, n] : s.per_day) values[index[bucket(day)]] += static_cast<double>(n);
    for (double v : values) {
      *set << v;
      max = std::max(max, v);
    }
    series->append(set);
  }
  chart->addSeries(series);
  // After addSeries: adding a series to a chart gives its sets the theme's colours.
  for (std::size_t i = 0; i < charts.over_time.size(); ++i) {
    const auto& name = charts.over_time[i].name;
    auto* set = series->barSets().at(static_cast<int>(i));
    if (name == "denied" || name == "assets missing") set->setColor(kBad);
    if (name == "granted") set->setColor(kGood);
    if (name == "alarms") set->setColor(kWarn);
  }
  chart->setTitle(weeks ? tr("%1, by week").arg(title) : title);
  auto* x = new QBarCategoryAxis;
  x->append(categories);
  if (categories.size() > 10) x->setLabelsAngle(-90);
  chart->addAxis(x, Qt::AlignBottom);
  series->attachAxis(x);
  auto* y = countAxis(max);
  chart->addAxis(y, Qt::AlignLeft);
  series->attachAxis(y);
  row_->addWidget(chartView(chart, this), 1);
}

void ReportChartsView::addResponse(const audit::ResponseHistogram& h) {
  // Two stacked sets on the same bins: a bin is within the target or over it, so the target is where the
  // colour changes; alarms never acknowledged have a bar of their own.
  auto* within = new QBarSet(tr("within target (%1)").arg(QLocale().toString(h.within_target)));
  auto* over = new QBarSet(tr("over target (%1)").arg(QLocale().toString(h.over_target)));
  auto* never = new QBarSet(tr("not acknowledged (%1)").arg(QLocale().toString(h.unacknowledged)));
  QStringList categories;
  double max = 0;
  for (std::size_t i = 0; i < h.counts.size(); ++i) {
    const double bound = h.upper_bounds[i];
    categories << (std::isinf(bound) ? tr("> %1 s").arg(QLocale().toString(h.upper_bounds[i - 1]))
                                     : tr("≤ %1 s").arg(QLocale().toString(bound)));
    const auto n = static_cast<double>(h.counts[i]);
    *within << (bound <= h.target_seconds ? n : 0.0);
    *over << (bound <= h.target_seconds ? 0.0 : n);
    *never << 0.0;
    max = std::max(max, n);
  }
  categories << tr("never");
  *within << 0.0;
  *over << 0.0;
  *never << static_cast<double>(h.unacknowledged);
  max = std::max(max, static_cast<double>(h.unacknowledged));
  auto* series = new QStackedBarSeries;
  series->append(within);
  series->append(over);
  series->append(never);
  auto* chart = darkChart();
  chart->addSeries(series);
  within->setColor(kGood);
  over->setColor(kBad);
  never->setColor(kNeutral);
  chart->setTitle(tr("Time to acknowledge (target %1 s)").arg(QLocale().toString(h.target_seconds)));
  auto* x = new QBarCategoryAxis;
  x->append(categories);
  chart->addAxis(x, Qt::AlignBottom);
  series->attachAxis(x);
  auto* y = countAxis(max);
  chart->addAxis(y, Qt::AlignLeft);
  series->attachAxis(y);
  row_->addWidget(chartView(chart, this), 2);
}

void ReportChartsView::addTwoPerson(const std::vector<audit::PlaceCompliance>& places) {
  const std::size_t shown = std::min(places.size(), kMostPlaces);
  auto* entries = new QBarSet(tr("completed entries"));
  auto* incomplete = new QBarSet(tr("incomplete attempts"));
  auto* overrides = new QBarSet(tr("supervisor overrides"));
  auto* alarms = new QBarSet(tr("lone-person / window alarms"));
  QStringList categories;
  double max = 0;
  // Busiest at the top: a horizontal bar chart draws its first category at the bottom.
  for (std::size_t i = shown; i-- > 0;) {
    const auto& p = places[i];
    categories << QString::fromStdString(p.place);
    *entries << static_cast<double>(p.entries);
    *incomplete << static_cast<double>(p.incomplete);
    *overrides << static_cast<double>(p.overrides);
    *alarms << static_cast<double>(p.alarms);
    max = std::max(max, static_cast<double>(p.total()));
  }
  auto* series = new QHorizontalStackedBarSeries;
  for (auto* set : {entries, incomplete, overrides, alarms}) series->append(set);
  auto* chart = darkChart();
  chart->addSeries(series);
  entries->setColor(kGood);
  incomplete->setColor(kWarn);
  overrides->setColor(kBlue);
  alarms->setColor(kBad);
  chart->setTitle(shown < places.size()
                      ? tr("Two-person compliance per place (busiest %1 of %2)").arg(shown).arg(places.size())
                      : tr("Two-person compliance per place"));
  auto* y = new QBarCategoryAxis;
  y->append(categories);
  chart->addAxis(y, Qt::AlignLeft);
  series->attachAxis(y);
  auto* x = countAxis(max);
  chart->addAxis(x, Qt::AlignBottom);
  series->attachAxis(x);
  row_->addWidget(chartView(chart, this), 2);
}

}  // namespace portcullis::console
