// The minimal PDF 1.4 writer: structure (header, xref offsets, trailer), escaping, pagination, wrapping.
#include <gtest/gtest.h>

#include "pdf_check.hpp"
#include "portcullis/audit/pdf_writer.hpp"

namespace portcullis::audit {
namespace {

std::string render(const std::vector<std::string>& lines,
                   std::vector<std::string> header = {"Report: test"}) {
  std::string out;
  PdfWriter pdf{[&](std::string_view b) { out += b; }, "Portcullis test", std::move(header),
                "20261127100000"};
  for (const auto& l : lines) pdf.add_line(l);
  pdf.finish();
  EXPECT_EQ(pdf.bytes(), static_cast<std::int64_t>(out.size()));
  return out;
}

TEST(PdfWriter, EmptyReportIsAValidOnePageDocument) {
  const auto pdf = render({}, {});
  EXPECT_EQ(testing::check_pdf_structure(pdf), 7);  // catalog, pages, font, info, one content, one page
  EXPECT_NE(pdf.find("/Type /Pages /Count 1 /Kids [6 0 R ]"), std::string::npos);
  EXPECT_NE(pdf.find("/BaseFont /Helvetica"), std::string::npos);
  EXPECT_NE(pdf.find("/CreationDate (D:20261127100000Z)"), std::string::npos);
}

TEST(PdfWriter, EscapesParenthesesAndBackslashes) {
  EXPECT_EQ(PdfWriter::escape("a(b)c\\d"), "a\\(b\\)c\\\\d");
  EXPECT_EQ(PdfWriter::escape("caf\xC3\xA9\t!"), "caf? !");  // UTF-8 to '?', control characters to spaces
  const auto pdf = render({"person=o(brien) \\ x", "unbalanced ) ( ("});
  EXPECT_NE(pdf.find("(person=o\\(brien\\) \\\\ x) Tj"), std::string::npos);
  EXPECT_NE(pdf.find("(unbalanced \\) \\( \\() Tj"), std::string::npos);
  testing::check_pdf_structure(pdf);
}

TEST(PdfWriter, PaginatesAndWrapsLongLines) {
  std::vector<std::string> lines;
  for (int i = 0; i < 500; ++i) lines.push_back("row " + std::to_string(i));
  lines.push_back(std::string(PdfWriter::kLineChars * 2 + 10, 'x'));
  const auto pdf = render(lines);
  const int objects = testing::check_pdf_structure(pdf);
  const int pages = (objects - 5) / 2;
  EXPECT_GT(pages, 5);
  EXPECT_NE(pdf.find("/Count " + std::to_string(pages) + " "), std::string::npos);
  EXPECT_NE(pdf.find("(Portcullis test  -  page " + std::to_string(pages) + ") Tj"), std::string::npos);
  EXPECT_NE(pdf.find("(row 499) Tj"), std::string::npos);
  // The long line became three printed lines, continuation lines indented.
  EXPECT_NE(pdf.find("(" + std::string(PdfWriter::kLineChars, 'x') + ") Tj"), std::string::npos);
  EXPECT_NE(pdf.find("(    " + std::string(PdfWriter::kLineChars - 4, 'x') + ") Tj"), std::string::npos);
  EXPECT_NE(pdf.find("(    " + std::string(14, 'x') + ") Tj"), std::string::npos);
}

}  // namespace
}  // namespace portcullis::audit
