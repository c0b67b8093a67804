// The charts' data, computed from report rows: the bins each row falls in, and totals equal to the table's.
#include <gtest/gtest.h>

#include <numeric>

#include "portcullis/audit/report_charts.hpp"

namespace portcullis::audit {
namespace {

// A row of `kind` with every field null except the named ones.
std::vector<CopyField> row(ReportKind kind,
                           const std::vector<std::pair<std::string, std::string_view>>& values) {
  const auto& columns = report_columns(kind);
  std::vector<CopyField> fields(columns.size(), CopyField{{}, true});
  for (const auto& [name, value] : values) {
    const auto at = std::find(columns.begin(), columns.end(), name);
    EXPECT_NE(at, columns.end()) << name;
    fields[static_cast<std::size_t>(at - columns.begin())] = CopyField{value, false};
  }
  return fields;
}

std::int64_t sum(const ZoneHeatMap& map) {
  return std::accumulate(map.cells.begin(), map.cells.end(), std::int64_t{0});
}

TEST(ReportCharts, AccessRowsFallInTheirZoneWeekdayAndHourAndEveryRowCountsOnce) {
  ChartBuilder charts{ReportKind::Access, 120};
  const LocalTime monday_9{1, 9, 20'000};
  const LocalTime sunday_23{7, 23, 20'006};
  ASSERT_TRUE(charts.add(row(ReportKind::Access, {{"verdict", "grant"}, {"destination", "cage"}}), monday_9));
  ASSERT_TRUE(charts.add(row(ReportKind::Access, {{"verdict", "deny"}, {"destination", "cage"}}), monday_9));
  ASSERT_TRUE(
      charts.add(row(ReportKind::Access, {{"verdict", "grant"}, {"destination", "cage"}}), sunday_23));
  ASSERT_TRUE(
      charts.add(row(ReportKind::Access, {{"verdict", "pending"}, {"destination", "hall"}}), sunday_23));
  ASSERT_TRUE(
      charts.add(row(ReportKind::Access, {{"verdict", "deny"}}), monday_9));  // a rack decision: no zone
  const auto r = charts.result();
  EXPECT_EQ(r.rows, 5);

  ASSERT_EQ(r.access_by_zone.size(), 3U);
  const auto& cage = r.access_by_zone[0];  // busiest first
  EXPECT_EQ(cage.zone, "cage");
  EXPECT_EQ(cage.cells[0 * 24 + 9], 2);
  EXPECT_EQ(cage.cells[6 * 24 + 23], 1);
  EXPECT_EQ(cage.total, 3);
  EXPECT_EQ(sum(cage), 3);
  std::int64_t all = 0;
  for (const auto& map : r.access_by_zone) {
    EXPECT_EQ(sum(map), map.total) << map.zone;
    all += map.total;
  }
  EXPECT_EQ(all, r.rows);  // the heat maps hold every row of the table once
  EXPECT_NE(std::find_if(r.access_by_zone.begin(), r.access_by_zone.end(),
                         [](const ZoneHeatMap& m) { return m.zone == "(no zone)"; }),
            r.access_by_zone.end());

  ASSERT_EQ(r.over_time.size(), 2U);
  EXPECT_EQ(r.over_time[0].name, "granted");
  EXPECT_EQ(r.over_time[0].total, 2);
  EXPECT_EQ(r.over_time[0].per_day.at(20'000), 1);
  EXPECT_EQ(r.over_time[0].per_day.at(20'006), 1);
  EXPECT_EQ(r.over_time[1].name, "denied");
  EXPECT_EQ(r.over_time[1].total, 2);
  EXPECT_EQ(r.over_time[1].per_day.at(20'000), 2);
  EXPECT_TRUE(r.response.empty());
  EXPECT_TRUE(r.two_person.empty());
}

TEST(ReportCharts, AlarmsPerDayWithTheMissingAssetsAmongThem) {
  ChartBuilder charts{ReportKind::Alarms, 120};
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(charts.add(row(ReportKind::Alarms, {{"alarm", i % 2 == 0 ? "asset_missing" : "door_forced"}}),
                           LocalTime{3, 12, 20'000 + i / 2}));
  }
  const auto r = charts.result();
  EXPECT_EQ(r.rows, 4);
  ASSERT_EQ(r.over_time.size(), 2U);
  EXPECT_EQ(r.over_time[0].total, 4);
  EXPECT_EQ(r.over_time[0].per_day.at(20'000), 2);
  EXPECT_EQ(r.over_time[0].per_day.at(20'001), 2);
  EXPECT_EQ(r.over_time[1].name, "assets missing");
  EXPECT_EQ(r.over_time[1].total, 2);
  EXPECT_TRUE(r.access_by_zone.empty());
}

TEST(ReportCharts, ResponseTimesAreBinnedAgainstTheTargetAndTheTargetItselfIsWithin) {
  ChartBuilder charts{ReportKind::AlarmResponse, 60};
  for (std::string_view seconds : {"5.000", "20.500", "60.000", "60.001", "600.000"}) {
    ASSERT_TRUE(
        charts.add(row(ReportKind::AlarmResponse, {{"seconds_to_acknowledge", seconds}}), LocalTime{}));
  }
  ASSERT_TRUE(charts.add(row(ReportKind::AlarmResponse, {}), LocalTime{}));  // never acknowledged
  EXPECT_FALSE(charts.add(row(ReportKind::AlarmResponse, {{"seconds_to_acknowledge", "soon"}}), LocalTime{}));
  const auto r = charts.result();
  EXPECT_EQ(r.rows, 6);
  ASSERT_EQ(r.response.size(), 1U);
  const auto& h = r.response[0];
  EXPECT_EQ(h.target_seconds, 60);
  EXPECT_EQ(h.within_target, 3);
  EXPECT_EQ(h.over_target, 2);
  EXPECT_EQ(h.unacknowledged, 1);
  ASSERT_EQ(h.counts.size(), h.upper_bounds.size());
  EXPECT_EQ(h.counts[0], 1);      // <= 15 s
  EXPECT_EQ(h.counts[1], 1);      // <= 30 s
  EXPECT_EQ(h.counts[3], 1);      // <= 60 s: the target
  EXPECT_EQ(h.counts[4], 1);      // <= 90 s
  EXPECT_EQ(h.counts.back(), 1);  // > 240 s
  EXPECT_EQ(std::accumulate(h.counts.begin(), h.counts.end(), std::int64_t{0}) + h.unacknowledged, r.rows);
}

TEST(ReportCharts, TwoPersonCompliancePerPlace) {
  ChartBuilder charts{ReportKind::TwoPerson, 120};
  const LocalTime t{2, 10, 20'000};
  ASSERT_TRUE(charts.add(row(ReportKind::TwoPerson, {{"row_kind", "entry"}, {"portal", "p-cage"}}), t));
  ASSERT_TRUE(charts.add(row(ReportKind::TwoPerson, {{"row_kind", "entry"}, {"portal", "p-cage"}}), t));
  ASSERT_TRUE(charts.add(row(ReportKind::TwoPerson, {{"row_kind", "attempt"}, {"portal", "p-cage"}}), t));
  ASSERT_TRUE(charts.add(row(ReportKind::TwoPerson, {{"row_kind", "override"}, {"portal", "p-vault"}}), t));
  ASSERT_TRUE(
      charts.add(row(ReportKind::TwoPerson, {{"row_kind", "alarm"}, {"alarm_subject", "z-vault"}}), t));
  const auto r = charts.result();
  ASSERT_EQ(r.two_person.size(), 3U);
  EXPECT_EQ(r.two_person[0].place, "p-cage");
  EXPECT_EQ(r.two_person[0].entries, 2);
  EXPECT_EQ(r.two_person[0].incomplete, 1);
  std::int64_t all = 0;
  for (const auto& p : r.two_person) all += p.total();
  EXPECT_EQ(all, r.rows);
  EXPECT_EQ(r.rows, 5);
}

TEST(ReportCharts, ARowOfAnotherShapeOrAnImpossibleTimeIsRefused) {
  ChartBuilder charts{ReportKind::Access, 120};
  EXPECT_FALSE(charts.add({CopyField{"1", false}}, LocalTime{}));
  EXPECT_FALSE(charts.add(row(ReportKind::Access, {}), LocalTime{8, 0, 0}));
  EXPECT_FALSE(charts.add(row(ReportKind::Access, {}), LocalTime{1, 24, 0}));
  EXPECT_EQ(charts.result().rows, 0);
  EXPECT_FALSE(report_has_charts(ReportKind::Presence));
  EXPECT_TRUE(report_has_charts(ReportKind::AfterHours));
}

}  // namespace
}  // namespace portcullis::audit
