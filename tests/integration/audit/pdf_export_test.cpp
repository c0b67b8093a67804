// A signed PDF report: it is a well-formed PDF (header, xref offsets), names the site, report, filters,
// chain range and generation time, verifies offline like every export, and a one-byte change fails.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "audit_history.hpp"
#include "cli.hpp"
#include "pdf_check.hpp"
#include "portcullis/audit/exporter.hpp"
#include "portcullis/audit/signing.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

using testing::kDay;
using testing::kHour;

class PdfExport : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    std::vector<testing::HistoryEvent> h;
    for (int i = 0; i < 150; ++i) {  // enough rows for several pages
      h.push_back(testing::access(kDay + i * kHour / 10, i % 3 == 0 ? "deny" : "grant",
                                  i % 3 == 0 ? "no_grant" : "granted", i % 2 == 0 ? "alice" : "o(brien)\\",
                                  "p-lobby", "z-hall"));
    }
    testing::append_history(db->app(), "main", h);
    keys = audit::generate_key_files(dir.file("keys"));
  }

  audit::ExportResult export_pdf(const std::string& out) {
    audit::ExportRequest r;
    r.database = db->app();
    r.kind = audit::ReportKind::Access;
    r.format = audit::OutputFormat::Pdf;
    r.filter.from_us = kDay + kHour;
    r.out_path = out;
    r.key_path = keys.private_path;
    return audit::export_report(r);
  }

  std::unique_ptr<testing::TestDatabase> db;
  testing::TempDir dir;
  audit::KeyFiles keys;
};

TEST_F(PdfExport, IsAWellFormedPdfWithTheEvidenceHeader) {
  const auto out = dir.file("access.pdf");
  const auto result = export_pdf(out);
  EXPECT_EQ(result.stream.rows, 140);
  const auto pdf = audit::read_file(out);
  EXPECT_EQ(static_cast<std::int64_t>(pdf.size()), result.stream.bytes);
  ASSERT_GT(testing::check_pdf_structure(pdf), 9);  // several pages
  EXPECT_NE(pdf.find("(Portcullis audit report: access) Tj"), std::string::npos);
  EXPECT_NE(pdf.find("(Site: main) Tj"), std::string::npos);
  EXPECT_NE(pdf.find("Filters: {\"from\":\"2026-11-27T01:00:00.000000Z\"}"), std::string::npos);
  EXPECT_NE(
      pdf.find("(Hash chain range: site_seq 11 \\(" + result.stream.range.first_hash + "\\) to 150 \\("),
      std::string::npos);
  EXPECT_NE(pdf.find("(Generated at: 20"), std::string::npos);
  EXPECT_NE(pdf.find("person=o\\(brien\\)\\\\  portal=p-lobby"), std::string::npos);
  EXPECT_NE(pdf.find("(End of report: 140 rows.) Tj"), std::string::npos);

  const auto check = audit::verify_export(out, keys.public_path);
  ASSERT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.manifest.format, "pdf");
  EXPECT_EQ(check.manifest.file, "access.pdf");
  EXPECT_EQ(check.manifest.chain_range.first_seq, 11);
}

TEST_F(PdfExport, OneByteChangeFails) {
  const auto out = dir.file("access.pdf");
  export_pdf(out);
  const auto original = audit::read_file(out);
  for (std::size_t i : {std::size_t{0}, original.size() / 3, original.size() - 2}) {
    auto changed = original;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    std::ofstream{out, std::ios::binary | std::ios::trunc} << changed;
    EXPECT_FALSE(audit::verify_export(out, keys.public_path).ok) << "byte " << i;
  }
}

TEST_F(PdfExport, CommandLine) {
  using testing::shell_quote;
  const auto out = dir.file("two-person.pdf");
  auto r =
      testing::run_audit("export --report two-person --format pdf --out " + shell_quote(out) + " --key " +
                         shell_quote(keys.private_path) + " --database " + shell_quote(db->app()));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(audit::read_file(out).rfind("%PDF-", 0), 0U);
  r = testing::run_audit("verify " + shell_quote(out) + " --pubkey " + shell_quote(keys.public_path));
  EXPECT_EQ(r.status, 0) << r.output;
  auto text = audit::read_file(out);
  text[text.size() / 2] = static_cast<char>(text[text.size() / 2] ^ 1);
  std::ofstream{out, std::ios::binary | std::ios::trunc} << text;
  r = testing::run_audit("verify " + shell_quote(out) + " --pubkey " + shell_quote(keys.public_path));
  EXPECT_EQ(r.status, 1) << r.output;
  r = testing::run_audit("export --report presence --from 2026-11-27 --format csv --out x --key " +
                         shell_quote(keys.private_path) + " --database " + shell_quote(db->app()));
  EXPECT_EQ(r.status, 2) << r.output;
}

}  // namespace
}  // namespace portcullis
