#include "portcullis/audit/pdf_writer.hpp"

#include <cstdio>
#include <stdexcept>

namespace portcullis::audit {
namespace {

// A4 landscape in points; 7-point Helvetica on a 9-point leading.
constexpr int kWidth = 842;
constexpr int kHeight = 595;
constexpr int kMargin = 36;
constexpr int kFontSize = 7;
constexpr int kLeading = 9;
constexpr int kTop = kHeight - kMargin;                                // baseline of the running header
constexpr int kLinesPerPage = (kHeight - 2 * kMargin) / kLeading - 2;  // below the running header

// Fixed objects: 1 catalog, 2 page tree (written last), 3 font, 4 document information; pages from 5 on.
constexpr int kCatalog = 1;
constexpr int kPages = 2;
constexpr int kFont = 3;
constexpr int kInfo = 4;
constexpr int kFirstPageObject = 5;

// Printable ASCII only: a UTF-8 sequence becomes one '?', a control character a space.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7F) {
      out += ch;
    } else if (c >= 0xC0) {
      out += '?';
    } else if (c < 0x80 || c == 0x7F) {
      out += ' ';
    }  // UTF-8 continuation bytes: dropped, their lead byte already printed '?'
  }
  return out;
}

}  // namespace

PdfWriter::PdfWriter(std::function<void(std::string_view)> emit, std::string title,
                     std::vector<std::string> header, std::string creation_date_utc)
    : emit_(std::move(emit)), title_(printable(title)), offsets_(kFirstPageObject, 0) {
  // The binary comment line marks the file as binary for transfer tools (PDF 1.4, 7.5.2).
  write("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
  begin_object(kCatalog);
  write("<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  begin_object(kFont);
  write("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>\nendobj\n");
  begin_object(kInfo);
  write("<< /Title (" + escape(title_) +
        ") /Producer (portcullis-audit) /CreationDate (D:" + escape(creation_date_utc) + "Z) >>\nendobj\n");
  for (const auto& line : header) printed_line(line, true);
  if (!header.empty()) printed_line("", false);
}

std::string PdfWriter::escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : printable(text)) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

void PdfWriter::write(std::string_view bytes) {
  emit_(bytes);
  offset_ += static_cast<std::int64_t>(bytes.size());
}

void PdfWriter::begin_object(int number) {
  if (static_cast<std::size_t>(number) >= offsets_.size())
    offsets_.resize(static_cast<std::size_t>(number) + 1, 0);
  offsets_[static_cast<std::size_t>(number)] = offset_;
  write(std::to_string(number) + " 0 obj\n");
}

void PdfWriter::start_page() {
  ++page_count_;
  page_open_ = true;
  lines_on_page_ = 0;
  page_ = "BT\n/F1 " + std::to_string(kFontSize) + " Tf\n" + std::to_string(kLeading) + " TL\n" +
          std::to_string(kMargin) + " " + std::to_string(kTop) + " Td\n(" +
          escape(title_ + "  -  page " + std::to_string(page_count_)) + ") Tj\nT*\nT*\n";
}

void PdfWriter::end_page() {
  if (!page_open_) return;
  page_ += "ET\n";
  const int content = kFirstPageObject + 2 * (page_count_ - 1);
  begin_object(content);
  write("<< /Length " + std::to_string(page_.size()) + " >>\nstream\n");
  write(page_);
  write("endstream\nendobj\n");
  begin_object(content + 1);
  write("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + std::to_string(kWidth) + " " +
        std::to_string(kHeight) + "] /Resources << /Font << /F1 3 0 R >> >> /Contents " +
        std::to_string(content) + " 0 R >>\nendobj\n");
  page_.clear();
  page_open_ = false;
}

void PdfWriter::printed_line(std::string_view text, bool /*heading*/) {
  if (!page_open_) start_page();
  page_ += '(';
  page_ += escape(text);
  page_ += ") Tj\nT*\n";
  if (++lines_on_page_ >= kLinesPerPage) end_page();
}

void PdfWriter::add_line(std::string_view text) {
  if (finished_) throw std::logic_error("PdfWriter: add_line after finish");
  const std::string clean = printable(text);
  std::string_view rest = clean;
  bool first = true;
  do {
    const std::size_t room = first ? kLineChars : kLineChars - 4;
    std::size_t take = rest.size();
    if (take > room) {
      take = room;
      // Break at the last space of the line if there is one in its second half.
      const auto space = rest.substr(0, room).rfind(' ');
      if (space != std::string_view::npos && space > room / 2) take = space + 1;
    }
    printed_line(first ? std::string{rest.substr(0, take)} : "    " + std::string{rest.substr(0, take)},
                 false);
    rest.remove_prefix(take);
    first = false;
  } while (!rest.empty());
}

void PdfWriter::finish() {
  if (finished_) return;
  if (page_count_ == 0 || page_open_) {
    if (!page_open_) start_page();
    end_page();
  }
  finished_ = true;
  begin_object(kPages);
  write("<< /Type /Pages /Count " + std::to_string(page_count_) + " /Kids [");
  std::string kids;
  for (int p = 0; p < page_count_; ++p) {
    kids += std::to_string(kFirstPageObject + 2 * p + 1) + " 0 R ";
    if (kids.size() >= 64 * 1024) {
      write(kids);
      kids.clear();
    }
  }
  write(kids);
  write("] >>\nendobj\n");

  const std::int64_t xref = offset_;
  const std::size_t objects = offsets_.size();
  write("xref\n0 " + std::to_string(objects) + "\n0000000000 65535 f \n");
  std::string table;
  char entry[32];
  for (std::size_t n = 1; n < objects; ++n) {
    std::snprintf(entry, sizeof entry, "%010lld 00000 n \n", static_cast<long long>(offsets_[n]));
    table += entry;  // exactly 20 bytes, as the cross-reference format requires
    if (table.size() >= 64 * 1024) {
      write(table);
      table.clear();
    }
  }
  write(table);
  write("trailer\n<< /Size " + std::to_string(objects) + " /Root 1 0 R /Info 4 0 R >>\nstartxref\n" +
        std::to_string(xref) + "\n%%EOF\n");
}

}  // namespace portcullis::audit
