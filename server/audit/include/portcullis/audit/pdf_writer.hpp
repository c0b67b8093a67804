#pragma once
// A minimal PDF 1.4 writer for the human-readable reports: text pages in the standard Helvetica font (no
// embedded font, no new dependency), A4 landscape, wrapped and paginated, streamed.
//
// Objects are written as they are finished: the catalog, font and document information first, then each
// page's content stream and page object, then the page tree (which lists the pages, so it comes last), the
// cross-reference table with every object's byte offset, and the trailer. Memory holds one page of text and
// 8 bytes of offset per object, whatever the length of the report.
//
// Text is reduced to printable ASCII: other UTF-8 characters become '?', control characters a space, and
// '(', ')' and '\' are escaped inside PDF strings.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::audit {

class PdfWriter {
 public:
  // `emit` receives the document's bytes in order. `title` is the document title (Info and the running
  // header of every page); `header` are the lines printed at the top of the first page.
  PdfWriter(std::function<void(std::string_view)> emit, std::string title, std::vector<std::string> header,
            std::string creation_date_utc /* "YYYYMMDDHHMMSS" */);

  // One logical line; lines longer than a page is wide are wrapped, continuation lines indented.
  void add_line(std::string_view text);
  // Writes the last page, the page tree, the cross-reference table and the trailer.
  void finish();

  [[nodiscard]] std::int64_t bytes() const noexcept { return offset_; }
  [[nodiscard]] int pages() const noexcept { return page_count_; }

  // The text as it appears inside a PDF string literal (without the parentheses).
  [[nodiscard]] static std::string escape(std::string_view text);

  static constexpr std::size_t kLineChars = 170;  // characters per printed line before wrapping

 private:
  void write(std::string_view bytes);
  void begin_object(int number);
  void printed_line(std::string_view text, bool heading);
  void start_page();
  void end_page();

  std::function<void(std::string_view)> emit_;
  std::string title_;
  std::vector<std::int64_t> offsets_;  // byte offset of object n at index n (0 unused)
  std::int64_t offset_ = 0;
  std::string page_;  // the content stream of the current page
  int lines_on_page_ = 0;
  int page_count_ = 0;
  bool page_open_ = false;
  bool finished_ = false;
};

}  // namespace portcullis::audit
