#pragma once
// The human-readable PDF report, drawn with cairo and laid out with pango: fonts embedded (DejaVu Sans, and
// fontconfig's fallback for the scripts DejaVu lacks, e.g. WenQuanYi Micro Hei for CJK), any Unicode text
// shaped and ordered right (Arabic and Hebrew right to left, CJK), a table whose cells wrap, whose column
// headers repeat on every page, and a page number in every page's footer.
//
// Streaming: cairo's PDF surface writes each page's content when the page is finished (show_page), so
// memory holds one page, the font subsets and a few bytes per page; rows are added one at a time as they
// come from the database. Only the fonts and the page tree are written at finish().
//
// Rows are drawn as given: no row is kept after its page is written.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::audit {

struct PdfReportHeading {
  std::string title;                  // "Portcullis audit report: access": large, first page
  std::string running_title;          // top of every page
  std::vector<std::string> facts;     // first page, under the title: site, filters, chain range, time
  std::string creation_date_rfc3339;  // document metadata
};

class PdfReport {
 public:
  // `emit` receives the document's bytes in order; an exception it throws is rethrown by the call that
  // made cairo write.
  PdfReport(std::function<void(std::string_view)> emit, const PdfReportHeading& heading,
            std::vector<std::string> columns);
  ~PdfReport();
  PdfReport(const PdfReport&) = delete;
  PdfReport& operator=(const PdfReport&) = delete;

  // Draws on the current page (the first page's free space, or a page of its own when `height` points
  // do not fit). Used for the charts before the table; `draw` gets the cairo context (cairo_t*), the
  // top-left corner and the width it may use.
  void add_figure(double height,
                  const std::function<void(void* cairo, double x, double y, double width)>& draw);

  // One table row: one cell per column (missing cells are empty). Cells wrap inside their column.
  void add_row(const std::vector<std::string_view>& cells);

  // A paragraph after the table ("End of report: N rows.").
  void add_paragraph(std::string_view text);

  // Writes the last page, the fonts and the page tree. Nothing can be added after.
  void finish();

  [[nodiscard]] int pages() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portcullis::audit
