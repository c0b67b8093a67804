// A signed PDF report, checked with tools no one here wrote (qpdf, poppler's pdffonts and pdftotext): it is
// a well-formed PDF with every font embedded, names the site, report, filters, chain range and generation
// time on page one, gives back names in any script exactly, verifies offline like every export, and a
// one-byte change fails.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "audit_history.hpp"
#include "cli.hpp"
#include "portcullis/audit/exporter.hpp"
#include "portcullis/audit/signing.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

using testing::kDay;
using testing::kHour;
using testing::shell_quote;

// Names in Latin with diacritics, Greek, Cyrillic, Arabic (right to left), Chinese and Japanese: an
// auditor in any country must read them back as they were stored.
const std::vector<std::string> kNames = {"alice",           "o(brien)\\",    "Zoë Müller", "Νίκος Παππάς",
                                         "Наталья Иванова", "فاطمة الزهراء", "王小明",     "山田太郎"};

std::string pdftotext(const std::string& pdf, int page = 0) {
  const std::string pages = page > 0 ? " -f " + std::to_string(page) + " -l " + std::to_string(page) : "";
  const auto r = testing::run_command("pdftotext -q -enc UTF-8" + pages + " " + shell_quote(pdf) + " -");
  EXPECT_EQ(r.status, 0) << r.output;
  return r.output;
}

int page_count(const std::string& pdf) {
  const auto r = testing::run_command("pdfinfo " + shell_quote(pdf));
  const auto at = r.output.find("Pages:");
  if (r.status != 0 || at == std::string::npos) {
    ADD_FAILURE() << r.output;
    return 0;
  }
  return std::stoi(r.output.substr(at + 6));
}

// pdffonts' table: one line per font; the "emb" column must say "yes" on every one.
void expect_every_font_embedded(const std::string& pdf) {
  const auto r = testing::run_command("pdffonts " + shell_quote(pdf));
  ASSERT_EQ(r.status, 0) << r.output;
  const auto lines = testing::lines_of(r.output, "\n");
  ASSERT_GE(lines.size(), 3U) << "no font at all: " << r.output;
  // The dashes line gives the columns: name, type, encoding, emb, ...
  const auto& dashes = lines[1];
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < dashes.size(); ++i) {
    if (dashes[i] == '-' && (i == 0 || dashes[i - 1] == ' ')) starts.push_back(i);
  }
  ASSERT_GE(starts.size(), 4U) << r.output;
  for (std::size_t i = 2; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].substr(starts[3], 3), "yes") << "font not embedded: " << lines[i];
  }
}

class PdfExport : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    std::vector<testing::HistoryEvent> h;
    for (int i = 0; i < 150; ++i) {  // enough rows for several pages
      h.push_back(testing::access(kDay + i * kHour / 10, i % 3 == 0 ? "deny" : "grant",
                                  i % 3 == 0 ? "no_grant" : "granted",
                                  kNames[static_cast<std::size_t>(i) % kNames.size()], "p-lobby", "z-hall"));
    }
    testing::append_history(db->app(), "main", h);
    keys = audit::generate_key_files(dir.file("keys"));
    audit::generate_pdf_signing_identity(dir.file("keys"), "Portcullis audit, Zoë's site");
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

TEST_F(PdfExport, IsAWellFormedPdfWithTheEvidenceHeaderOnPageOne) {
  const auto out = dir.file("access.pdf");
  const auto result = export_pdf(out);
  EXPECT_EQ(result.stream.rows, 140);
  EXPECT_EQ(static_cast<std::int64_t>(std::filesystem::file_size(out)), result.stream.bytes);
  const auto qpdf = testing::run_command("qpdf --check " + shell_quote(out));
  EXPECT_EQ(qpdf.status, 0) << qpdf.output;
  EXPECT_NE(qpdf.output.find("No syntax or stream encoding errors found"), std::string::npos) << qpdf.output;

  const auto first = pdftotext(out, 1);
  EXPECT_NE(first.find("Portcullis audit report: access"), std::string::npos) << first;
  EXPECT_NE(first.find("Site: main"), std::string::npos) << first;
  EXPECT_NE(first.find("from 2026-11-27T01:00:00.000000Z"), std::string::npos) << first;
  EXPECT_NE(first.find("site_seq 11 (" + result.stream.range.first_hash.substr(0, 16)), std::string::npos)
      << first;
  EXPECT_NE(first.find("Generated at: 20"), std::string::npos) << first;

  // Several pages, each with the column headers and its number.
  const int pages = page_count(out);
  ASSERT_GE(pages, 3);
  for (int p = 2; p <= pages; ++p) {
    const auto text = pdftotext(out, p);
    EXPECT_NE(text.find("destination"), std::string::npos) << "page " << p << ": " << text;
    EXPECT_NE(text.find("Page " + std::to_string(p)), std::string::npos) << "page " << p << ": " << text;
  }
  EXPECT_NE(pdftotext(out, pages).find("End of report: 140 rows."), std::string::npos);

  const auto check = audit::verify_export(out, keys.public_path);
  ASSERT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.manifest.format, "pdf");
  EXPECT_EQ(check.manifest.file, "access.pdf");
  EXPECT_EQ(check.manifest.chain_range.first_seq, 11);
}

// The report opens with its charts, drawn from the same rows as the table (the same SELECT in the same
// snapshot): the heat map and the per-day chart count all 140 rows, 46 of them denials.
TEST_F(PdfExport, ChartsOpenTheReportFromTheSameRowsAsTheTable) {
  const auto out = dir.file("access.pdf");
  const auto result = export_pdf(out);
  EXPECT_EQ(result.stream.chart_rows, result.stream.rows);
  const auto first = pdftotext(out, 1);
  EXPECT_NE(first.find("Charts of the 140 rows in the table below"), std::string::npos) << first;
  EXPECT_NE(first.find("Access to z-hall by hour and weekday (UTC), 140 rows"), std::string::npos) << first;
  EXPECT_NE(first.find("granted: 94"), std::string::npos) << first;
  EXPECT_NE(first.find("denied: 46"), std::string::npos) << first;
}

// "Zoë Müller" used to be printed as "Zo? M?ller": the report must give back every script exactly.
TEST_F(PdfExport, NamesInEveryScriptComeBackExactlyWithEveryFontEmbedded) {
  const auto out = dir.file("access.pdf");
  export_pdf(out);
  expect_every_font_embedded(out);
  const auto text = pdftotext(out);
  for (const auto& name : kNames) EXPECT_NE(text.find(name), std::string::npos) << name;
}

std::string pdfsig(const std::string& pdf) {
  return testing::run_command("pdfsig " + shell_quote(pdf)).output;
}

// The auditor's own PDF reader must show who signed and that nothing changed since: poppler's pdfsig checks
// the PAdES signature (a CMS signature over the byte range), valid as exported and broken by any one byte.
TEST_F(PdfExport, CarriesAPadesSignatureThatPdfsigValidatesAndFindsBrokenAfterOneByteChanges) {
  const auto out = dir.file("access.pdf");
  const auto result = export_pdf(out);
  EXPECT_NE(result.pdf_signer.find("Zoë's site"), std::string::npos) << result.pdf_signer;
  const auto valid = pdfsig(out);
  EXPECT_NE(valid.find("Signature #1"), std::string::npos) << valid;
  EXPECT_EQ(valid.find("Signature #2"), std::string::npos) << valid;
  EXPECT_NE(valid.find("Signature Validation: Signature is Valid."), std::string::npos) << valid;
  EXPECT_NE(valid.find("Total document signed"), std::string::npos) << valid;
  EXPECT_NE(valid.find("Signer Certificate Common Name: Portcullis audit, Zoë's site"), std::string::npos)
      << valid;
  EXPECT_NE(valid.find("adbe.pkcs7.detached"), std::string::npos) << valid;
  const auto qpdf = testing::run_command("qpdf --check " + shell_quote(out));
  EXPECT_EQ(qpdf.status, 0) << qpdf.output;
  EXPECT_TRUE(audit::verify_export(out, keys.public_path).ok);  // the Ed25519 manifest covers the signed file

  const auto original = audit::read_file(out);
  // In the report's pages, and in the signature's own dictionary (its date, after the signature value).
  const auto date = original.rfind("/M (D:");
  ASSERT_NE(date, std::string::npos);
  for (std::size_t i : {original.size() / 3, date + 8}) {
    auto changed = original;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    std::ofstream{out, std::ios::binary | std::ios::trunc} << changed;
    const auto broken = pdfsig(out);
    EXPECT_NE(broken.find("Signature #1"), std::string::npos) << "byte " << i << ": " << broken;
    EXPECT_EQ(broken.find("Signature is Valid."), std::string::npos) << "byte " << i << ": " << broken;
  }
}

// What docs/audit.md tells a customer to do: a signing request for the PDF key, a certificate from their
// CA (here a CA made with the openssl command), the certificate and the CA's in one PEM file.
TEST_F(PdfExport, ACertificateIssuedByTheCustomersCaSignsThePdf) {
  const auto ca = dir.file("ca");
  std::filesystem::create_directories(ca);
  const auto pdf_dir = dir.file("pdf");
  auto r = testing::run_audit("pdf-identity --dir " + shell_quote(pdf_dir) + " --name 'Site AMS'");
  ASSERT_EQ(r.status, 0) << r.output;
  const auto files = audit::pdf_signing_files_in(pdf_dir);
  r = testing::run_audit("pdf-csr --key " + shell_quote(files.key_path) +
                         " --name 'Portcullis evidence, Amsterdam campus' --out " +
                         shell_quote(ca + "/site.csr"));
  ASSERT_EQ(r.status, 0) << r.output;
  r = testing::run_command(
      "cd " + shell_quote(ca) +
      " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj '/CN=Customer "
      "Root CA' && openssl x509 -req -in site.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -out "
      "site.pem && cat site.pem ca.pem > chain.pem");
  ASSERT_EQ(r.status, 0) << r.output;

  const auto out = dir.file("ca-signed.pdf");
  r = testing::run_audit("export --report access --format pdf --out " + shell_quote(out) + " --key " +
                         shell_quote(keys.private_path) + " --database " + shell_quote(db->app()) +
                         " --pdf-key " + shell_quote(files.key_path) + " --pdf-cert " +
                         shell_quote(ca + "/chain.pem"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("PDF signed (PAdES) by CN=Portcullis evidence\\, Amsterdam campus"),
            std::string::npos)
      << r.output;
  const auto sig = pdfsig(out);
  EXPECT_NE(sig.find("Signer Certificate Common Name: Portcullis evidence, Amsterdam campus"),
            std::string::npos)
      << sig;
  EXPECT_NE(sig.find("Signature Validation: Signature is Valid."), std::string::npos) << sig;

  // A certificate that is not the key's is refused before anything is written.
  r = testing::run_audit("export --report access --format pdf --out " + shell_quote(dir.file("x.pdf")) +
                         " --key " + shell_quote(keys.private_path) + " --database " +
                         shell_quote(db->app()) + " --pdf-key " + shell_quote(files.key_path) +
                         " --pdf-cert " + shell_quote(ca + "/ca.pem"));
  EXPECT_EQ(r.status, 3) << r.output;
  EXPECT_NE(r.output.find("is not the certificate of"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir.file("x.pdf")));
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
