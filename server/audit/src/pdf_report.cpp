#include "portcullis/audit/pdf_report.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <unordered_map>

namespace portcullis::audit {
namespace {

// A4 landscape in points.
constexpr double kWidth = 842;
constexpr double kHeight = 595;
constexpr double kMargin = 24;
constexpr double kFooter = 14;    // the page number line
constexpr double kCellPad = 1.6;  // inside each cell
constexpr int kMaxCellLines = 40;
constexpr std::size_t kCachedValuesPerColumn =
    256;  // a longer cell (a large payload) ends in "…"; the CSV holds it whole
constexpr const char* kBody = "DejaVu Sans 6";
constexpr const char* kBold = "DejaVu Sans Bold 6";
constexpr const char* kTitle = "DejaVu Sans Bold 13";
constexpr const char* kFacts = "DejaVu Sans 7.5";

// How wide a column is, in characters of its usual content, before the widths are scaled to the page:
// times and hashes are long and fixed, names and places medium, flags short, free text wide.
double nominal_chars(std::string_view name) {
  auto ends_with = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  if (ends_with("hash")) return 24;  // 64 hex digits on three lines
  if (ends_with("_at") || name == "device_time" || name == "since") return 23;
  if (ends_with("seq") || name == "silent" || name == "occurrences" || name == "verdict") return 8;
  if (ends_with("comment") || name == "detail" || name == "payload" || name == "from" || name == "to" ||
      name == "alarm_detail" || name == "revocation_reason")
    return 26;
  if (name.find("person") != std::string_view::npos || ends_with("_by") || name == "operator") return 17;
  return 11;
}

// The cairo write callback: passes bytes on, and keeps an exception for the caller to rethrow (it must not
// cross cairo's C frames).
struct Output {
  std::function<void(std::string_view)> emit;
  std::exception_ptr failure;
};

cairo_status_t write_bytes(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<Output*>(closure);
  if (out->failure) return CAIRO_STATUS_WRITE_ERROR;
  try {
    out->emit(std::string_view{reinterpret_cast<const char*>(data), length});
    return CAIRO_STATUS_SUCCESS;
  } catch (...) {
    out->failure = std::current_exception();
    return CAIRO_STATUS_WRITE_ERROR;
  }
}

struct FontDescription {
  explicit FontDescription(const char* spec) : value(pango_font_description_from_string(spec)) {}
  ~FontDescription() { pango_font_description_free(value); }
  FontDescription(const FontDescription&) = delete;
  FontDescription& operator=(const FontDescription&) = delete;
  PangoFontDescription* value;
};

double to_points(int pango_units) {
  return static_cast<double>(pango_units) / PANGO_SCALE;
}

}  // namespace

struct PdfReport::Impl {
  Output output;
  PdfReportHeading heading;
  std::vector<std::string> columns;
  std::vector<double> widths;  // points, including padding
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  PangoContext* context = nullptr;
  std::vector<PangoLayout*> cells;  // one reused layout per column
  // Laid-out cells by value, per column: most columns repeat a few values (device, event type, verdict,
  // portal, zone, person), and shaping a cell costs far more than drawing a finished layout again. A
  // column of unique values (times, hashes) fills its cache and then uses the reused layout.
  struct CachedCell {
    PangoLayout* layout;
    double height;
  };
  std::vector<std::unordered_map<std::string, CachedCell>> cache;
  std::vector<PangoLayout*> current;  // the layouts of the row measured last
  PangoLayout* text = nullptr;        // headings, footers, paragraphs
  FontDescription body{kBody};
  FontDescription bold{kBold};
  FontDescription title_font{kTitle};
  FontDescription facts_font{kFacts};
  double y = 0;
  int page = 0;
  bool table_started = false;
  bool finished = false;

  ~Impl() {
    for (auto* layout : cells) g_object_unref(layout);
    for (auto& column : cache) {
      for (auto& [value, cell] : column) g_object_unref(cell.layout);
    }
    if (text != nullptr) g_object_unref(text);
    if (context != nullptr) g_object_unref(context);
    if (cr != nullptr) cairo_destroy(cr);
    if (surface != nullptr) cairo_surface_destroy(surface);
  }

  void check() {
    if (output.failure) std::rethrow_exception(output.failure);
    const auto status = cairo_status(cr);
    if (status != CAIRO_STATUS_SUCCESS)
      throw std::runtime_error(std::string{"PDF: "} + cairo_status_to_string(status));
  }

  PangoLayout* new_layout(const FontDescription& font, double width) {
    auto* layout = pango_layout_new(context);
    pango_layout_set_font_description(layout, font.value);
    pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    // A hash or an identifier broken across lines must not gain a hyphen that is not in it.
    PangoAttrList* attributes = pango_attr_list_new();
    pango_attr_list_insert(attributes, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(layout, attributes);
    pango_attr_list_unref(attributes);
    return layout;
  }

  // Text in the full width at y; returns its height.
  double paragraph(std::string_view s, const FontDescription& font) {
    pango_layout_set_font_description(text, font.value);
    pango_layout_set_text(text, s.data(), static_cast<int>(s.size()));
    int w = 0;
    int h = 0;
    pango_layout_get_size(text, &w, &h);
    cairo_move_to(cr, kMargin, y);
    pango_cairo_show_layout(cr, text);
    return to_points(h);
  }

  void footer() {
    const std::string label = heading.running_title + "  \u2014  Page " + std::to_string(page);
    pango_layout_set_font_description(text, body.value);
    pango_layout_set_text(text, label.data(), static_cast<int>(label.size()));
    cairo_move_to(cr, kMargin, kHeight - kMargin - kFooter + 4);
    pango_cairo_show_layout(cr, text);
  }

  void begin_page() {
    ++page;
    y = kMargin;
    if (page > 1) {
      y += paragraph(heading.running_title, body) + 4;
    }
  }

  void end_page() {
    footer();
    cairo_show_page(cr);  // cairo writes this page's content now
    check();
  }

  [[nodiscard]] double bottom() const { return kHeight - kMargin - kFooter; }

  PangoLayout* cell_layout(double width) {
    auto* layout = new_layout(body, width - 2 * kCellPad);
    pango_layout_set_height(layout, -kMaxCellLines);
    pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
    return layout;
  }

  static double height_of(PangoLayout* layout) {
    int w = 0;
    int h = 0;
    pango_layout_get_size(layout, &w, &h);
    return to_points(h);
  }

  // Lays a row out (in `font`: the column headers are bold and never cached); returns its height with
  // padding. draw_measured draws it.
  double measure(const std::vector<std::string_view>& row, const FontDescription& font, bool cached) {
    double height = 0;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const std::string_view cell = i < row.size() ? row[i] : std::string_view{};
      if (cached) {
        auto& column = cache[i];
        const auto it = column.find(std::string{cell});
        if (it != column.end()) {
          current[i] = it->second.layout;
          height = std::max(height, it->second.height);
          continue;
        }
        if (column.size() < kCachedValuesPerColumn) {
          auto* layout = cell_layout(widths[i]);
          pango_layout_set_text(layout, cell.data(), static_cast<int>(cell.size()));
          const double h = height_of(layout);
          column.emplace(std::string{cell}, CachedCell{layout, h});
          current[i] = layout;
          height = std::max(height, h);
          continue;
        }
      }
      pango_layout_set_font_description(cells[i], font.value);
      pango_layout_set_text(cells[i], cell.data(), static_cast<int>(cell.size()));
      current[i] = cells[i];
      height = std::max(height, height_of(cells[i]));
    }
    return height + 2 * kCellPad;
  }

  // Draws the row measured last at y.
  void draw_measured(double height, bool shaded) {
    if (shaded) {
      cairo_set_source_rgb(cr, 0.88, 0.90, 0.94);
      cairo_rectangle(cr, kMargin, y, kWidth - 2 * kMargin, height);
      cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    double x = kMargin;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      cairo_move_to(cr, x + kCellPad, y + kCellPad);
      pango_cairo_show_layout(cr, current[i]);
      x += widths[i];
    }
    cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
    cairo_set_line_width(cr, 0.3);
    cairo_move_to(cr, kMargin, y + height);
    cairo_line_to(cr, kWidth - kMargin, y + height);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    y += height;
  }

  void column_headers() {
    std::vector<std::string_view> names(columns.begin(), columns.end());
    draw_measured(measure(names, bold, false), true);
  }

  void new_table_page() {
    end_page();
    begin_page();
    column_headers();
  }
};

PdfReport::PdfReport(std::function<void(std::string_view)> emit, const PdfReportHeading& heading,
                     std::vector<std::string> columns)
    : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  m.output.emit = std::move(emit);
  m.heading = heading;
  m.columns = std::move(columns);
  m.surface = cairo_pdf_surface_create_for_stream(write_bytes, &m.output, kWidth, kHeight);
  cairo_pdf_surface_set_metadata(m.surface, CAIRO_PDF_METADATA_TITLE, heading.title.c_str());
  cairo_pdf_surface_set_metadata(m.surface, CAIRO_PDF_METADATA_CREATOR, "portcullis-audit");
  if (!heading.creation_date_rfc3339.empty()) {
    // cairo wants ISO 8601 "YYYY-MM-DDThh:mm:ss[Z]": without the fraction.
    const auto& t = heading.creation_date_rfc3339;
    cairo_pdf_surface_set_metadata(m.surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                   (t.substr(0, 19) + "Z").c_str());
  }
  m.cr = cairo_create(m.surface);
  m.context = pango_cairo_create_context(m.cr);
  // Layout in unhinted font units: what is measured is what is drawn, at any zoom.
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(m.context, options);
  pango_cairo_context_set_resolution(m.context, 72);  // PDF user space is in points: 1 pt = 1 unit
  // Glyphs where the font puts them, not rounded to whole points: rounding leaves gaps inside words that
  // text extraction (pdftotext, copy and paste) reads as spaces, most visibly in joined Arabic script.
  pango_context_set_round_glyph_positions(m.context, FALSE);
  cairo_font_options_destroy(options);
  m.check();

  // Column widths: nominal widths scaled to the page.
  double total = 0;
  for (const auto& c : m.columns) total += nominal_chars(c);
  const double usable = kWidth - 2 * kMargin;
  for (const auto& c : m.columns) m.widths.push_back(usable * nominal_chars(c) / total);
  for (double w : m.widths) m.cells.push_back(m.cell_layout(w));
  m.cache.resize(m.cells.size());
  m.current.resize(m.cells.size(), nullptr);
  m.text = m.new_layout(m.body, usable);

  m.begin_page();
  m.y += m.paragraph(heading.title, m.title_font) + 6;
  for (const auto& fact : heading.facts) m.y += m.paragraph(fact, m.facts_font) + 1.5;
  m.y += 8;
  m.check();
}

PdfReport::~PdfReport() = default;

void PdfReport::add_figure(double height,
                           const std::function<void(void* cairo, double x, double y, double width)>& draw) {
  auto& m = *impl_;
  if (m.finished || m.table_started) throw std::logic_error("PdfReport: figures come before the table");
  if (m.y + height > m.bottom()) {
    m.end_page();
    m.begin_page();
  }
  cairo_save(m.cr);
  draw(m.cr, kMargin, m.y, kWidth - 2 * kMargin);
  cairo_restore(m.cr);
  m.y += height;
  m.check();
}

void PdfReport::add_row(const std::vector<std::string_view>& row) {
  auto& m = *impl_;
  if (m.finished) throw std::logic_error("PdfReport: add_row after finish");
  if (!m.table_started) {
    m.table_started = true;
    if (m.y + 40 > m.bottom()) {
      m.end_page();
      m.begin_page();
    }
    m.column_headers();
  }
  double height = m.measure(row, m.body, true);
  if (m.y + height > m.bottom()) {
    m.new_table_page();
    height = m.measure(row, m.body, true);  // the headers reused the layouts
  }
  m.draw_measured(height, false);
  m.check();
}

void PdfReport::add_paragraph(std::string_view text) {
  auto& m = *impl_;
  if (m.finished) throw std::logic_error("PdfReport: add_paragraph after finish");
  if (m.y + 20 > m.bottom()) {
    m.end_page();
    m.begin_page();
  }
  m.y += 6;
  m.y += m.paragraph(text, m.facts_font) + 2;
  m.check();
}

void PdfReport::finish() {
  auto& m = *impl_;
  if (m.finished) return;
  m.finished = true;
  m.end_page();
  cairo_destroy(m.cr);
  m.cr = nullptr;
  cairo_surface_finish(m.surface);  // fonts, page tree, cross-reference table, trailer
  const auto status = cairo_surface_status(m.surface);
  if (m.output.failure) std::rethrow_exception(m.output.failure);
  if (status != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(std::string{"PDF: "} + cairo_status_to_string(status));
}

int PdfReport::pages() const noexcept {
  return impl_->page;
}

}  // namespace portcullis::audit
