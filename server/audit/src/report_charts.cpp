#include "portcullis/audit/report_charts.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

namespace portcullis::audit {
namespace {

bool is_decision_report(ReportKind kind) {
  return kind == ReportKind::Access || kind == ReportKind::Denied || kind == ReportKind::AfterHours;
}

std::string text_or(const CopyField& f, std::string_view fallback) {
  return f.null || f.text.empty() ? std::string{fallback} : std::string{f.text};
}

bool parse_seconds(std::string_view text, double& value) {
  const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
  return r.ec == std::errc{} && r.ptr == text.data() + text.size();
}

void count_day(DailySeries& series, std::int64_t day) {
  ++series.per_day[day];
  ++series.total;
}

}  // namespace

bool report_has_charts(ReportKind kind) noexcept {
  return is_decision_report(kind) || kind == ReportKind::Alarms || kind == ReportKind::AlarmResponse ||
         kind == ReportKind::TwoPerson;
}

std::string chart_time_column(ReportKind kind) {
  return kind == ReportKind::AlarmResponse ? "raised_at" : "received_at";
}

std::string chart_select(ReportKind kind, const ReportFilter& filter, const std::string& site_id) {
  const auto& columns = report_columns(kind);
  std::string names;
  std::size_t time = 0;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    names += (i == 0 ? "c" : ", c") + std::to_string(i);
    if (columns[i] == chart_time_column(kind)) time = i;
  }
  const std::string local = "(to_timestamp(r.c" + std::to_string(time) + " / 1e6) AT TIME ZONE " +
                            sql_literal(filter.time_zone) + ")";
  return "SELECT r.*, EXTRACT(ISODOW FROM " + local + ")::int, EXTRACT(HOUR FROM " + local + ")::int, " +
         local + "::date - DATE '1970-01-01' FROM (" + report_select(kind, filter, site_id) + ") AS r(" +
         names + ")";
}

ChartBuilder::ChartBuilder(ReportKind kind, double response_target_seconds)
    : kind_(kind), columns_(report_columns(kind)) {
  if (is_decision_report(kind)) {
    charts_.over_time = {DailySeries{"granted", {}, 0}, DailySeries{"denied", {}, 0}};
  } else if (kind == ReportKind::Alarms) {
    charts_.over_time = {DailySeries{"alarms", {}, 0}, DailySeries{"assets missing", {}, 0}};
  } else if (kind == ReportKind::AlarmResponse) {
    ResponseHistogram h;
    h.target_seconds = response_target_seconds > 0 ? response_target_seconds : 120;
    for (double share : {0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 4.0})
      h.upper_bounds.push_back(share * h.target_seconds);
    h.upper_bounds.push_back(std::numeric_limits<double>::infinity());
    h.counts.assign(h.upper_bounds.size(), 0);
    charts_.response.push_back(std::move(h));
  }
}

int ChartBuilder::column(const char* name) const {
  const auto it = std::find(columns_.begin(), columns_.end(), name);
  return it == columns_.end() ? -1 : static_cast<int>(it - columns_.begin());
}

bool ChartBuilder::add(const std::vector<CopyField>& f, const LocalTime& local) {
  if (f.size() != columns_.size() || local.iso_weekday < 1 || local.iso_weekday > 7 || local.hour < 0 ||
      local.hour > 23)
    return false;
  auto field = [&](const char* name) -> const CopyField& {
    return f[static_cast<std::size_t>(column(name))];
  };
  ++charts_.rows;
  if (is_decision_report(kind_)) {
    const auto zone = text_or(field("destination"), "(no zone)");
    auto& map = zones_[zone];
    map.zone = zone;
    ++map.cells[static_cast<std::size_t>((local.iso_weekday - 1) * 24 + local.hour)];
    ++map.total;
    const bool denied = field("verdict").text == "deny";
    // A pending decision (a first factor waiting for its second) is neither: it counts in the heat map only.
    if (denied) count_day(charts_.over_time[1], local.day);
    if (field("verdict").text == "grant") count_day(charts_.over_time[0], local.day);
  } else if (kind_ == ReportKind::Alarms) {
    count_day(charts_.over_time[0], local.day);
    if (field("alarm").text == "asset_missing") count_day(charts_.over_time[1], local.day);
  } else if (kind_ == ReportKind::AlarmResponse) {
    auto& h = charts_.response[0];
    const auto& seconds = field("seconds_to_acknowledge");
    double value = 0;
    if (seconds.null || seconds.text.empty()) {
      ++h.unacknowledged;
    } else if (!parse_seconds(seconds.text, value)) {
      --charts_.rows;
      return false;
    } else {
      std::size_t bin = 0;
      while (value > h.upper_bounds[bin]) ++bin;  // the last bound is infinity
      ++h.counts[bin];
      ++(value <= h.target_seconds ? h.within_target : h.over_target);
    }
  } else if (kind_ == ReportKind::TwoPerson) {
    const auto place = text_or(field("portal"),
                               text_or(field("destination"), text_or(field("alarm_subject"), "(no place)")));
    auto& p = places_[place];
    p.place = place;
    const auto kind = field("row_kind").text;
    if (kind == "entry") {
      ++p.entries;
    } else if (kind == "override") {
      ++p.overrides;
    } else if (kind == "alarm") {
      ++p.alarms;
    } else {
      ++p.incomplete;
    }
  }
  return true;
}

ReportCharts ChartBuilder::result() const {
  ReportCharts out = charts_;
  for (const auto& [zone, map] : zones_) out.access_by_zone.push_back(map);
  std::stable_sort(out.access_by_zone.begin(), out.access_by_zone.end(),
                   [](const ZoneHeatMap& a, const ZoneHeatMap& b) { return a.total > b.total; });
  for (const auto& [place, p] : places_) out.two_person.push_back(p);
  std::stable_sort(out.two_person.begin(), out.two_person.end(),
                   [](const PlaceCompliance& a, const PlaceCompliance& b) { return a.total() > b.total(); });
  return out;
}

}  // namespace portcullis::audit
