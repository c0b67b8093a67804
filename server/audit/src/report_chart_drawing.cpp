#include "report_chart_drawing.hpp"

#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace portcullis::audit::detail {
namespace {

constexpr std::size_t kMaxHeatMaps = 6;  // the busiest zones; the rest are in the table
constexpr std::size_t kMaxPlaces = 14;   // the two-person places with most rows
constexpr double kHeatCellWidth = 13.5;
constexpr double kHeatCellHeight = 9;
constexpr double kAxisWidth = 24;  // room for the labels left of a plot

enum class Align { Left, Center, Right };

// One line of text at (x, y) (its top), in points; returns its width.
double label(cairo_t* cr, double x, double y, const std::string& text, double size, bool bold = false,
             Align align = Align::Left) {
  PangoLayout* layout = pango_cairo_create_layout(cr);
  PangoContext* context = pango_layout_get_context(layout);
  pango_cairo_context_set_resolution(context, 72);
  pango_context_set_round_glyph_positions(context, FALSE);
  pango_layout_context_changed(layout);
  PangoFontDescription* font = pango_font_description_from_string(bold ? "DejaVu Sans Bold" : "DejaVu Sans");
  pango_font_description_set_size(font, static_cast<int>(size * PANGO_SCALE));
  pango_layout_set_font_description(layout, font);
  pango_font_description_free(font);
  pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  int w = 0;
  int h = 0;
  pango_layout_get_size(layout, &w, &h);
  const double width = static_cast<double>(w) / PANGO_SCALE;
  const double left = align == Align::Left ? x : align == Align::Center ? x - width / 2 : x - width;
  cairo_move_to(cr, left, y);
  pango_cairo_show_layout(cr, layout);
  g_object_unref(layout);
  return width;
}

std::string date_of(std::int64_t day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string seconds_label(double s) {
  if (std::isinf(s)) return "more";
  char buf[32];
  if (s < 120) {
    std::snprintf(buf, sizeof buf, "\u2264 %g s", s);
  } else {
    std::snprintf(buf, sizeof buf, "\u2264 %g min", s / 60);
  }
  return buf;
}

// The colours of the series and bars, in order.
void series_colour(cairo_t* cr, std::size_t i) {
  static constexpr double kColours[][3] = {
      {0.17, 0.42, 0.69}, {0.84, 0.26, 0.20}, {0.95, 0.62, 0.13}, {0.45, 0.45, 0.45}};
  const auto& c = kColours[i % 4];
  cairo_set_source_rgb(cr, c[0], c[1], c[2]);
}

// A round upper bound for an axis (1, 2, 5 x 10^n).
double nice_max(double v) {
  if (v <= 1) return 1;
  const double p = std::pow(10, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * p >= v) return m * p;
  }
  return 10 * p;
}

// Three value labels left of the plot and their grid lines across it.
void value_axis(cairo_t* cr, double x, double top, double height, double max, double width) {
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  for (int i = 0; i <= 2; ++i) {
    const double v = max * i / 2;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    label(cr, x - 2, top + height - height * i / 2 - 4, buf, 6, false, Align::Right);
    cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
    cairo_set_line_width(cr, 0.3);
    cairo_move_to(cr, x, top + height - height * i / 2);
    cairo_line_to(cr, x + width, top + height - height * i / 2);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  }
}

void heat_map(cairo_t* cr, double x, double y, const ZoneHeatMap& map, std::int64_t max,
              const std::string& tz) {
  cairo_set_source_rgb(cr, 0, 0, 0);
  label(cr, x, y,
        "Access to " + map.zone + " by hour and weekday (" + tz + "), " + std::to_string(map.total) + " rows",
        7.5, true);
  const double top = y + 12;
  static const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  for (int d = 0; d < 7; ++d) {
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    label(cr, x + kAxisWidth - 3, top + d * kHeatCellHeight + 1, kDays[d], 6, false, Align::Right);
    for (int h = 0; h < 24; ++h) {
      const auto n = map.cells[static_cast<std::size_t>(d * 24 + h)];
      const double share = max > 0 ? static_cast<double>(n) / static_cast<double>(max) : 0;
      // White (none) to dark blue (the busiest hour of any zone shown): the maps compare with each other.
      cairo_set_source_rgb(cr, 1 - 0.85 * share, 1 - 0.6 * share, 1 - 0.25 * share);
      cairo_rectangle(cr, x + kAxisWidth + h * kHeatCellWidth, top + d * kHeatCellHeight,
                      kHeatCellWidth - 0.6, kHeatCellHeight - 0.6);
      cairo_fill(cr);
    }
  }
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  for (int h = 0; h < 24; h += 3) {
    label(cr, x + kAxisWidth + h * kHeatCellWidth, top + 7 * kHeatCellHeight + 1, std::to_string(h) + "h",
          5.5);
  }
}

void heat_maps(PdfReport& pdf, const ReportCharts& charts, const std::string& tz) {
  const auto shown = std::min(charts.access_by_zone.size(), kMaxHeatMaps);
  std::int64_t max = 0;
  for (std::size_t i = 0; i < shown; ++i) {
    for (auto n : charts.access_by_zone[i].cells) max = std::max(max, n);
  }
  for (std::size_t i = 0; i < shown; i += 2) {
    pdf.add_figure(100, [&](void* c, double x, double y, double width) {
      auto* cr = static_cast<cairo_t*>(c);
      heat_map(cr, x, y, charts.access_by_zone[i], max, tz);
      if (i + 1 < shown) heat_map(cr, x + width / 2, y, charts.access_by_zone[i + 1], max, tz);
    });
  }
  if (charts.access_by_zone.size() > shown) {
    pdf.add_paragraph(std::to_string(charts.access_by_zone.size() - shown) +
                      " more zones with fewer rows are not drawn; the table lists every row.");
  }
}

void over_time(PdfReport& pdf, const ReportCharts& charts, const std::string& tz) {
  std::int64_t first = 0;
  std::int64_t last = 0;
  bool any = false;
  for (const auto& s : charts.over_time) {
    if (s.per_day.empty()) continue;
    first = any ? std::min(first, s.per_day.begin()->first) : s.per_day.begin()->first;
    last = any ? std::max(last, s.per_day.rbegin()->first) : s.per_day.rbegin()->first;
    any = true;
  }
  if (!any) return;
  // One bar group per day, or per week when the range is long (the data stays per day).
  const std::int64_t days = last - first + 1;
  const std::int64_t bucket = days > 120 ? 7 : 1;
  const auto buckets = static_cast<std::size_t>((days + bucket - 1) / bucket);
  std::vector<std::vector<std::int64_t>> counts(charts.over_time.size(),
                                                std::vector<std::int64_t>(buckets, 0));
  std::int64_t max = 0;
  for (std::size_t s = 0; s < charts.over_time.size(); ++s) {
    for (const auto& [day, n] : charts.over_time[s].per_day) {
      auto& c = counts[s][static_cast<std::size_t>((day - first) / bucket)];
      c += n;
      max = std::max(max, c);
    }
  }
  pdf.add_figure(150, [&](void* c, double x, double y, double width) {
    auto* cr = static_cast<cairo_t*>(c);
    std::string title;
    for (const auto& s : charts.over_time) title += (title.empty() ? "" : " and ") + s.name;
    title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
    cairo_set_source_rgb(cr, 0, 0, 0);
    label(cr, x, y, title + (bucket == 1 ? " per day" : " per week") + " (" + tz + ")", 7.5, true);
    double legend = x + width - 8;
    for (std::size_t s = charts.over_time.size(); s-- > 0;) {
      const auto text = charts.over_time[s].name + ": " + std::to_string(charts.over_time[s].total);
      cairo_set_source_rgb(cr, 0, 0, 0);
      legend -= label(cr, legend, y + 1, text, 6.5, false, Align::Right) + 4;
      series_colour(cr, s);
      cairo_rectangle(cr, legend - 7, y + 3, 6, 6);
      cairo_fill(cr);
      legend -= 14;
    }
    const double top = y + 16;
    const double height = 100;
    const double left = x + kAxisWidth;
    const double plot = width - kAxisWidth;
    const double axis_max = nice_max(static_cast<double>(max));
    value_axis(cr, left, top, height, axis_max, plot);
    const double group = std::min(plot / static_cast<double>(buckets), 48.0);  // a few days: narrow bars
    const double bar = std::max(0.3, group * 0.8 / static_cast<double>(counts.size()));
    for (std::size_t s = 0; s < counts.size(); ++s) {
      series_colour(cr, s);
      for (std::size_t b = 0; b < buckets; ++b) {
        const double h = height * static_cast<double>(counts[s][b]) / axis_max;
        cairo_rectangle(cr,
                        left + group * static_cast<double>(b) + group * 0.1 + bar * static_cast<double>(s),
                        top + height - h, bar, h);
      }
      cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    const std::size_t ticks = std::min<std::size_t>(buckets, 8);
    for (std::size_t t = 0; t < ticks; ++t) {
      const auto b = ticks == 1 ? 0 : t * (buckets - 1) / (ticks - 1);
      label(cr, left + group * (static_cast<double>(b) + 0.5), top + height + 2,
            date_of(first + static_cast<std::int64_t>(b) * bucket), 6, false, Align::Center);
    }
  });
}

void response(PdfReport& pdf, const ResponseHistogram& h) {
  pdf.add_figure(150, [&](void* c, double x, double y, double width) {
    auto* cr = static_cast<cairo_t*>(c);
    cairo_set_source_rgb(cr, 0, 0, 0);
    char target[64];
    std::snprintf(target, sizeof target, "%g s", h.target_seconds);
    label(cr, x, y,
          std::string{"Time to acknowledge against the target of "} + target + ": " +
              std::to_string(h.within_target) + " within, " + std::to_string(h.over_target) + " over, " +
              std::to_string(h.unacknowledged) + " never acknowledged",
          7.5, true);
    std::int64_t max = h.unacknowledged;
    for (auto n : h.counts) max = std::max(max, n);
    const double axis_max = nice_max(static_cast<double>(max));
    const double top = y + 16;
    const double height = 100;
    const double left = x + kAxisWidth;
    const double plot = std::min(width - kAxisWidth, 520.0);
    value_axis(cr, left, top, height, axis_max, plot);
    const std::size_t bars = h.counts.size() + 1;  // and "never"
    const double slot = plot / static_cast<double>(bars);
    for (std::size_t i = 0; i < bars; ++i) {
      const bool never = i == h.counts.size();
      const auto n = never ? h.unacknowledged : h.counts[i];
      const bool over = never || h.upper_bounds[i] > h.target_seconds;
      series_colour(cr, over ? 1 : 0);
      const double bh = height * static_cast<double>(n) / axis_max;
      cairo_rectangle(cr, left + slot * static_cast<double>(i) + slot * 0.15, top + height - bh, slot * 0.7,
                      bh);
      cairo_fill(cr);
      cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
      label(cr, left + slot * (static_cast<double>(i) + 0.5), top + height + 2,
            never ? std::string{"never"} : seconds_label(h.upper_bounds[i]), 6, false, Align::Center);
      if (n > 0)
        label(cr, left + slot * (static_cast<double>(i) + 0.5), top + height - bh - 8, std::to_string(n), 6,
              false, Align::Center);
    }
    // The target: between the bins up to it and those over it.
    std::size_t within_bins = 0;
    while (within_bins < h.upper_bounds.size() && h.upper_bounds[within_bins] <= h.target_seconds)
      ++within_bins;
    const double tx = left + slot * static_cast<double>(within_bins);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_set_line_width(cr, 0.8);
    const double dash[] = {3, 2};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, tx, top - 2);
    cairo_line_to(cr, tx, top + height);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
    label(cr, tx + 2, top - 2, std::string{"target "} + target, 6);
  });
}

void two_person(PdfReport& pdf, const std::vector<PlaceCompliance>& places) {
  const auto shown = std::min(places.size(), kMaxPlaces);
  const double row = 10;
  pdf.add_figure(30 + row * static_cast<double>(shown), [&](void* c, double x, double y, double width) {
    auto* cr = static_cast<cairo_t*>(c);
    cairo_set_source_rgb(cr, 0, 0, 0);
    label(cr, x, y, "Two-person compliance per place", 7.5, true);
    static const char* kParts[] = {"completed entries", "incomplete attempts", "supervisor overrides",
                                   "lone-person / window alarms"};
    double legend = x + 180;
    for (std::size_t s = 0; s < 4; ++s) {
      series_colour(cr, s == 0 ? 0 : s == 1 ? 2 : s == 2 ? 3 : 1);
      cairo_rectangle(cr, legend, y + 3, 6, 6);
      cairo_fill(cr);
      cairo_set_source_rgb(cr, 0, 0, 0);
      legend += label(cr, legend + 8, y + 1, kParts[s], 6.5) + 18;
    }
    std::int64_t max = 1;
    for (std::size_t i = 0; i < shown; ++i) max = std::max(max, places[i].total());
    const double names = 110;
    const double plot = width - names - 60;
    for (std::size_t i = 0; i < shown; ++i) {
      const auto& p = places[i];
      const double top = y + 16 + row * static_cast<double>(i);
      cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
      label(cr, x + names - 4, top, p.place, 6.5, false, Align::Right);
      double at = x + names;
      const std::int64_t parts[] = {p.entries, p.incomplete, p.overrides, p.alarms};
      for (std::size_t s = 0; s < 4; ++s) {
        const double w = plot * static_cast<double>(parts[s]) / static_cast<double>(max);
        series_colour(cr, s == 0 ? 0 : s == 1 ? 2 : s == 2 ? 3 : 1);
        cairo_rectangle(cr, at, top + 1, w, row - 2.5);
        cairo_fill(cr);
        at += w;
      }
      cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
      label(cr, at + 3, top, std::to_string(p.entries) + " / " + std::to_string(p.total()), 6);
    }
  });
  if (places.size() > shown) {
    pdf.add_paragraph(std::to_string(places.size() - shown) +
                      " more places with fewer rows are not drawn; the table lists every row.");
  }
}

}  // namespace

void draw_charts(PdfReport& pdf, const ReportCharts& charts, const std::string& time_zone) {
  if (charts.empty() || charts.rows == 0) return;
  pdf.add_paragraph("Charts of the " + std::to_string(charts.rows) + " rows in the table below:");
  if (!charts.access_by_zone.empty()) heat_maps(pdf, charts, time_zone);
  if (!charts.over_time.empty()) over_time(pdf, charts, time_zone);
  for (const auto& h : charts.response) response(pdf, h);
  if (!charts.two_person.empty()) two_person(pdf, charts.two_person);
}

}  // namespace portcullis::audit::detail
