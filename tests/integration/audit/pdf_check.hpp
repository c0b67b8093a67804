#pragma once
// Structural checks of a PDF written by audit::PdfWriter: header, trailer, and a cross-reference table whose
// every offset points at the object it names.
#include <gtest/gtest.h>

#include <string>

namespace portcullis::testing {

// Returns the number of objects the xref lists (0 on any failure, with a gtest failure recorded).
inline int check_pdf_structure(const std::string& pdf) {
  EXPECT_EQ(pdf.rfind("%PDF-1.4\n", 0), 0U);
  const std::string eof = "%%EOF\n";
  if (pdf.size() < eof.size() || pdf.compare(pdf.size() - eof.size(), eof.size(), eof) != 0) {
    ADD_FAILURE() << "no %%EOF at the end";
    return 0;
  }
  const auto sx = pdf.rfind("startxref\n");
  if (sx == std::string::npos) {
    ADD_FAILURE() << "no startxref";
    return 0;
  }
  const auto xref = std::stoull(pdf.substr(sx + 10));
  if (pdf.compare(xref, 7, "xref\n0 ") != 0) {
    ADD_FAILURE() << "startxref does not point at the xref table";
    return 0;
  }
  const auto line_end = pdf.find('\n', xref + 5);
  const int count = std::stoi(pdf.substr(xref + 7, line_end - xref - 7));
  std::size_t entry = line_end + 1;
  EXPECT_EQ(pdf.substr(entry, 20), "0000000000 65535 f \n");
  for (int n = 1; n < count; ++n) {
    entry += 20;
    const std::string e = pdf.substr(entry, 20);
    if (e.size() != 20 || e.substr(10, 9) != " 00000 n " || e[19] != '\n') {
      ADD_FAILURE() << "malformed xref entry " << n << ": " << e;
      return 0;
    }
    const auto offset = std::stoull(e.substr(0, 10));
    const std::string header = std::to_string(n) + " 0 obj\n";
    if (pdf.compare(offset, header.size(), header) != 0) {
      ADD_FAILURE() << "xref entry " << n << " points at offset " << offset << ", not at its object";
      return 0;
    }
  }
  EXPECT_EQ(pdf.compare(entry + 20, 8, "trailer\n"), 0);
  EXPECT_NE(pdf.find("/Size " + std::to_string(count) + " /Root 1 0 R", entry), std::string::npos);
  return count;
}

}  // namespace portcullis::testing
