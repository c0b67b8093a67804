// The Reports window's charts: counted from the rows its table shows, by the PDF's chart module, so every
// chart adds up to the table's rows (or to the rows it is about), and drawn with those same numbers.
#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChartView>
#include <QComboBox>
#include <QtTest>

#include "access_heat_map.hpp"
#include "report_chart_model.hpp"
#include "report_charts_view.hpp"
#include "reports.hpp"

using namespace portcullis;
using namespace portcullis::console;

namespace {

const QStringList kDecisionColumns = {"site_seq",    "received_at", "device_time", "device_id", "event_type",
                                      "verdict",     "reason",      "needed",      "person",    "portal",
                                      "destination", "rack",        "hash"};

QStringList decision(int seq, const QString& time, const QString& verdict, const QString& zone) {
  return {
      QString::number(seq), time, {}, "ctl-1", "badge", verdict, {}, {}, "p-ann", "door-1", zone, {}, "ab"};
}

qint64 cellSum(const AccessHeatMapGrid::Cells& cells) {
  qint64 sum = 0;
  for (auto n : cells) sum += n;
  return sum;
}

double setSum(const QBarSet* set) {
  double sum = 0;
  for (int i = 0; i < set->count(); ++i) sum += set->at(i);
  return sum;
}

// The rows of the table, counted with a predicate on a named column: what the charts must agree with.
qint64 tableRows(const ReportTableModel& table, const QString& column, const QString& value) {
  const auto at = static_cast<int>(table.columns().indexOf(column));
  qint64 n = 0;
  for (int r = 0; r < table.rowCount(); ++r) n += table.index(r, at).data().toString() == value ? 1 : 0;
  return n;
}

}  // namespace

class ReportChartModelTest : public QObject {
  Q_OBJECT
 private slots:
  void utcTimesFallOnTheirWeekdayHourAndDay();
  void accessChartsAddUpToTheTableRows();
  void headerInAnotherOrderCountsTheSame();
  void rowsWithoutTheReportsShapeAreSkippedNotCounted();
  void alarmsPerDayCountEveryAlarmAndTheAssetsMissing();
  void responseTimesFallInTheTargetsBins();
  void twoPersonCompliancePerPlaceAddsUpToTheRows();
  void reportsWithoutChartsCountNothing();
  void viewDrawsTheModelsNumbers();
  void responseAndTwoPersonChartsDrawEveryRow();
};

void ReportChartModelTest::utcTimesFallOnTheirWeekdayHourAndDay() {
  const auto t = utcLocalTime(QStringLiteral("2026-11-27T08:01:00.000000Z"));  // a Friday
  QVERIFY(t.has_value());
  QCOMPARE(t->iso_weekday, 5);
  QCOMPARE(t->hour, 8);
  QCOMPARE(t->day, QDate(1970, 1, 1).daysTo(QDate(2026, 11, 27)));
  QCOMPARE(utcLocalTime(QStringLiteral("1970-01-01T23:59:59Z"))->day, 0);
  QCOMPARE(utcLocalTime(QStringLiteral("1970-01-01T23:59:59Z"))->iso_weekday, 4);  // a Thursday
  QVERIFY(!utcLocalTime(QStringLiteral("2026-11-27T08:01:00+01:00")).has_value());
  QVERIFY(!utcLocalTime(QStringLiteral("2026-11-27 08:01:00Z")).has_value());
  QVERIFY(!utcLocalTime(QStringLiteral("2026-13-27T08:01:00Z")).has_value());
  QVERIFY(!utcLocalTime(QStringLiteral("2026-11-27T25:01:00Z")).has_value());
  QVERIFY(!utcLocalTime(QString()).has_value());
}

void ReportChartModelTest::accessChartsAddUpToTheTableRows() {
  const QVector<QStringList> rows = {
      decision(1, "2026-11-27T08:01:00.000000Z", "grant", "cage"),
      decision(2, "2026-11-27T08:59:59.999999Z", "deny", "cage"),
      decision(3, "2026-11-27T09:00:00.000000Z", "grant", "office"),
      decision(4, "2026-11-28T23:30:00.000000Z", "deny", {}),         // Saturday, no zone
      decision(5, "2026-11-30T00:10:00.000000Z", "pending", "cage"),  // neither granted nor denied
      decision(6, "2026-11-30T00:20:00.000000Z", "grant", "cage"),
  };
  ReportTableModel table;
  table.reset(kDecisionColumns);
  table.append(rows);
  ReportChartModel model;
  model.reset(QStringLiteral("access"), kDecisionColumns);
  model.add(rows);
  QVERIFY(model.hasCharts());
  QCOMPARE(model.skipped(), 0);
  const auto charts = model.charts();
  QCOMPARE(charts.rows, table.rowCount());

  // The heat maps: busiest zone first, every row once, in its weekday and hour.
  QCOMPARE(charts.access_by_zone.size(), std::size_t{3});
  QCOMPARE(charts.access_by_zone[0].zone, std::string("cage"));
  QCOMPARE(charts.access_by_zone[0].total, 4);
  qint64 cells = 0;
  for (const auto& z : charts.access_by_zone) {
    qint64 zoneCells = 0;
    for (auto n : z.cells) zoneCells += n;
    QCOMPARE(zoneCells, z.total);
    cells += zoneCells;
  }
  QCOMPARE(cells, table.rowCount());
  QCOMPARE(charts.access_by_zone[0].cells[(5 - 1) * 24 + 8], 2);  // Friday 08:xx, both cage rows
  QCOMPARE(charts.access_by_zone[0].cells[(1 - 1) * 24 + 0], 2);  // Monday 00:xx
  const auto noZone = std::find_if(charts.access_by_zone.begin(), charts.access_by_zone.end(),
                                   [](const auto& z) { return z.zone == "(no zone)"; });
  QVERIFY(noZone != charts.access_by_zone.end());
  QCOMPARE(noZone->cells[(6 - 1) * 24 + 23], 1);  // Saturday 23:xx

  // Grants and denials per day: as many as the table's grant and deny rows.
  QCOMPARE(charts.over_time.size(), std::size_t{2});
  QCOMPARE(charts.over_time[0].total, tableRows(table, "verdict", "grant"));
  QCOMPARE(charts.over_time[1].total, tableRows(table, "verdict", "deny"));
  const auto friday = QDate(1970, 1, 1).daysTo(QDate(2026, 11, 27));
  QCOMPARE(charts.over_time[0].per_day.at(friday), 2);
  QCOMPARE(charts.over_time[1].per_day.at(friday), 1);
  QCOMPARE(charts.over_time[1].per_day.at(friday + 1), 1);
  QCOMPARE(charts.over_time[0].per_day.at(friday + 3), 1);
}

void ReportChartModelTest::headerInAnotherOrderCountsTheSame() {
  // The model reads columns by name from the CSV header, not by position.
  QStringList reversed = kDecisionColumns;
  std::reverse(reversed.begin(), reversed.end());
  auto row = decision(1, "2026-11-27T08:01:00Z", "deny", "cage");
  std::reverse(row.begin(), row.end());
  ReportChartModel model;
  model.reset(QStringLiteral("denied"), reversed);
  model.add({row});
  const auto charts = model.charts();
  QCOMPARE(model.skipped(), 0);
  QCOMPARE(charts.rows, 1);
  QCOMPARE(charts.access_by_zone.at(0).zone, std::string("cage"));
  QCOMPARE(charts.over_time.at(1).total, 1);
}

void ReportChartModelTest::rowsWithoutTheReportsShapeAreSkippedNotCounted() {
  ReportChartModel model;
  model.reset(QStringLiteral("access"), kDecisionColumns);
  model.add({decision(1, "not a time", "grant", "cage"), decision(2, {}, "grant", "cage"),
             QStringList{"3", "2026-11-27T08:01:00Z"},  // too few cells
             decision(4, "2026-11-27T08:01:00Z", "grant", "cage")});
  QCOMPARE(model.skipped(), 3);
  QCOMPARE(model.charts().rows, 1);
  // A header without the report's columns: every row is skipped.
  ReportChartModel other;
  other.reset(QStringLiteral("access"), {"site_seq", "received_at"});
  other.add({{"1", "2026-11-27T08:01:00Z"}});
  QCOMPARE(other.skipped(), 1);
  QCOMPARE(other.charts().rows, 0);
}

void ReportChartModelTest::alarmsPerDayCountEveryAlarmAndTheAssetsMissing() {
  const QStringList columns = {"site_seq", "received_at", "device_id", "event_type", "alarm",
                               "severity", "subject",     "detail",    "silent",     "person",
                               "portal",   "verdict",     "hash"};
  const auto alarm = [](const QString& time, const QString& kind) {
    return QStringList{"1", time, "rfid-1", "rfid", kind, "critical", "PC-1", {}, "false", {}, {}, {}, "ab"};
  };
  const QVector<QStringList> rows = {alarm("2026-11-27T08:00:00Z", "asset_missing"),
                                     alarm("2026-11-27T09:00:00Z", "door_forced"),
                                     alarm("2026-11-29T09:00:00Z", "asset_missing")};
  ReportTableModel table;
  table.reset(columns);
  table.append(rows);
  ReportChartModel model;
  model.reset(QStringLiteral("alarms"), columns);
  model.add(rows);
  const auto charts = model.charts();
  QCOMPARE(charts.over_time.at(0).total, table.rowCount());
  QCOMPARE(charts.over_time.at(1).total, tableRows(table, "alarm", "asset_missing"));
  QCOMPARE(charts.over_time.at(0).per_day.size(), std::size_t{2});
  QVERIFY(charts.access_by_zone.empty());
}

void ReportChartModelTest::responseTimesFallInTheTargetsBins() {
  const auto columns = [] {
    QStringList c;
    for (const auto& name : audit::report_columns(audit::ReportKind::AlarmResponse))
      c << QString::fromStdString(name);
    return c;
  }();
  const auto seconds = static_cast<int>(columns.indexOf("seconds_to_acknowledge"));
  const auto raised = static_cast<int>(columns.indexOf("raised_at"));
  QVERIFY(seconds >= 0 && raised >= 0);
  QVector<QStringList> rows;
  for (const char* s : {"30", "120", "120.5", "1000", ""}) {
    QStringList row;
    for (int i = 0; i < columns.size(); ++i) row << QString();
    row[raised] = QStringLiteral("2026-11-27T08:00:00.000000Z");
    row[seconds] = QString::fromLatin1(s);
    rows << row;
  }
  ReportChartModel model;
  model.reset(QStringLiteral("alarm-response"), columns, 120);
  model.add(rows);
  QCOMPARE(model.skipped(), 0);
  const auto charts = model.charts();
  QCOMPARE(charts.response.size(), std::size_t{1});
  const auto& h = charts.response[0];
  // Bins at 1/4, 1/2, 3/4, 1, 1.5, 2 and 4 times the target, then the rest; the target itself is within.
  QCOMPARE(h.counts, (std::vector<std::int64_t>{1, 0, 0, 1, 1, 0, 0, 1}));
  QCOMPARE(h.within_target, 2);
  QCOMPARE(h.over_target, 2);
  QCOMPARE(h.unacknowledged, 1);
  QCOMPARE(h.within_target + h.over_target + h.unacknowledged, rows.size());
}

void ReportChartModelTest::twoPersonCompliancePerPlaceAddsUpToTheRows() {
  QStringList columns;
  for (const auto& name : audit::report_columns(audit::ReportKind::TwoPerson))
    columns << QString::fromStdString(name);
  const auto at = [&](const char* name) { return static_cast<int>(columns.indexOf(name)); };
  const auto row = [&](const QString& kind, const QString& portal, const QString& zone,
                       const QString& subject) {
    QStringList r;
    for (int i = 0; i < columns.size(); ++i) r << QString();
    r[at("received_at")] = QStringLiteral("2026-11-27T08:00:00Z");
    r[at("row_kind")] = kind;
    r[at("portal")] = portal;
    r[at("destination")] = zone;
    r[at("alarm_subject")] = subject;
    return r;
  };
  const QVector<QStringList> rows = {row("entry", "cage-door", "cage", {}), row("entry", "cage-door", {}, {}),
                                     row("incomplete", "cage-door", {}, {}), row("override", {}, "vault", {}),
                                     row("alarm", {}, {}, "vault")};
  ReportChartModel model;
  model.reset(QStringLiteral("two-person"), columns);
  model.add(rows);
  QCOMPARE(model.skipped(), 0);
  const auto charts = model.charts();
  QCOMPARE(charts.two_person.size(), std::size_t{2});
  QCOMPARE(charts.two_person[0].place, std::string("cage-door"));
  QCOMPARE(charts.two_person[0].entries, 2);
  QCOMPARE(charts.two_person[0].incomplete, 1);
  QCOMPARE(charts.two_person[1].place, std::string("vault"));
  QCOMPARE(charts.two_person[1].overrides, 1);
  QCOMPARE(charts.two_person[1].alarms, 1);
  QCOMPARE(charts.two_person[0].total() + charts.two_person[1].total(), rows.size());
}

void ReportChartModelTest::reportsWithoutChartsCountNothing() {
  ReportChartModel model;
  model.reset(QStringLiteral("presence"), {"zone", "person", "since", "portal", "site_seq", "hash"});
  QVERIFY(!model.hasCharts());
  model.add({{"cage", "p-ann", "2026-11-27T08:00:00Z", "door", "1", "ab"}});
  QVERIFY(model.charts().empty());
  model.reset(QStringLiteral("no-such-report"), kDecisionColumns);
  QVERIFY(!model.hasCharts());
}

void ReportChartModelTest::viewDrawsTheModelsNumbers() {
  QVector<QStringList> rows;
  for (int i = 0; i < 40; ++i)
    rows << decision(
        i, QStringLiteral("2026-11-%1T%2:15:00Z").arg(20 + i % 7).arg(6 + i % 12, 2, 10, QChar('0')),
        i % 5 == 0 ? "deny" : "grant", i % 3 == 0 ? "office" : "cage");
  ReportChartModel model;
  model.reset(QStringLiteral("access"), kDecisionColumns);
  model.add(rows);
  ReportChartsView view;
  view.setCharts(model.kind(), model.charts());
  view.resize(1200, 300);
  QVERIFY(view.heatMap() != nullptr);
  QCOMPARE(cellSum(view.heatMap()->grid()->cells()), rows.size());
  // Picking one zone shows that zone's rows only.
  view.heatMap()->zonePicker()->setCurrentIndex(1);
  QCOMPARE(cellSum(view.heatMap()->grid()->cells()), model.charts().access_by_zone[0].total);
  const auto charts = view.chartViews();
  QCOMPARE(charts.size(), 1);
  double bars = 0;
  for (auto* series : charts[0]->chart()->series())
    for (auto* set : qobject_cast<QAbstractBarSeries*>(series)->barSets()) bars += setSum(set);
  QCOMPARE(bars, static_cast<double>(rows.size()));  // every row here is a grant or a denial
  view.clear();
  QVERIFY(view.heatMap() == nullptr);
  QVERIFY(view.chartViews().isEmpty());
}

void ReportChartModelTest::responseAndTwoPersonChartsDrawEveryRow() {
  const auto columnsOf = [](audit::ReportKind kind) {
    QStringList c;
    for (const auto& name : audit::report_columns(kind)) c << QString::fromStdString(name);
    return c;
  };
  const auto emptyRow = [](const QStringList& columns) {
    QStringList r;
    for (int i = 0; i < columns.size(); ++i) r << QString();
    return r;
  };
  const auto barTotal = [](QChartView* view) {
    double total = 0;
    for (auto* series : view->chart()->series())
      for (auto* set : qobject_cast<QAbstractBarSeries*>(series)->barSets()) total += setSum(set);
    return total;
  };
  const auto shots = qEnvironmentVariable("PORTCULLIS_SHOT_DIR");

  const auto response = columnsOf(audit::ReportKind::AlarmResponse);
  QVector<QStringList> alarms;
  for (int i = 0; i < 60; ++i) {
    auto r = emptyRow(response);
    r[static_cast<int>(response.indexOf("raised_at"))] = QStringLiteral("2026-11-27T08:00:00Z");
    r[static_cast<int>(response.indexOf("seconds_to_acknowledge"))] =
        i % 13 == 0 ? QString() : QString::number((i * 37) % 400 + 5);
    alarms << r;
  }
  ReportChartModel responseModel;
  responseModel.reset(QStringLiteral("alarm-response"), response, 120);
  responseModel.add(alarms);
  ReportChartsView responseView;
  responseView.setCharts(responseModel.kind(), responseModel.charts());
  QCOMPARE(responseView.chartViews().size(), 1);
  QCOMPARE(barTotal(responseView.chartViews()[0]), static_cast<double>(alarms.size()));

  const auto twoPerson = columnsOf(audit::ReportKind::TwoPerson);
  QVector<QStringList> rows;
  const char* kinds[] = {"entry", "entry", "entry", "incomplete", "override", "alarm"};
  for (int i = 0; i < 50; ++i) {
    auto r = emptyRow(twoPerson);
    r[static_cast<int>(twoPerson.indexOf("received_at"))] = QStringLiteral("2026-11-27T08:00:00Z");
    r[static_cast<int>(twoPerson.indexOf("row_kind"))] = QString::fromLatin1(kinds[i % 6]);
    r[static_cast<int>(twoPerson.indexOf("portal"))] = QStringLiteral("door-%1").arg(i % 15);
    rows << r;
  }
  ReportChartModel twoPersonModel;
  twoPersonModel.reset(QStringLiteral("two-person"), twoPerson);
  twoPersonModel.add(rows);
  ReportChartsView twoPersonView;
  twoPersonView.setCharts(twoPersonModel.kind(), twoPersonModel.charts());
  QCOMPARE(twoPersonView.chartViews().size(), 1);
  // Fifteen places, the busiest twelve drawn: the bars add up to those twelve places' rows.
  double busiest = 0;
  for (std::size_t i = 0; i < 12; ++i)
    busiest += static_cast<double>(twoPersonModel.charts().two_person[i].total());
  QCOMPARE(barTotal(twoPersonView.chartViews()[0]), busiest);
  QVERIFY(twoPersonView.chartViews()[0]->chart()->title().contains(QStringLiteral("12")));
  if (!shots.isEmpty()) {
    responseView.resize(900, 320);
    responseView.grab().save(shots + QStringLiteral("/console-chart-response.png"));
    twoPersonView.resize(900, 420);
    twoPersonView.grab().save(shots + QStringLiteral("/console-chart-two-person.png"));
  }
}

QTEST_MAIN(ReportChartModelTest)
#include "report_chart_model_test.moc"
