#pragma once
// Runs a report against PostgreSQL as one streamed query and writes it, signed, to a file.
//
// The report's SELECT runs as `COPY (SELECT ...) TO STDOUT` inside one REPEATABLE READ, read-only
// transaction: rows arrive one at a time as the server produces them (the first bytes are written at
// once), memory stays constant on both sides whatever the size of the history, and the chain range named
// in the manifest comes from the same snapshot as the rows.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "portcullis/audit/pdf_signature.hpp"
#include "portcullis/audit/report.hpp"
#include "portcullis/audit/signed_document.hpp"

namespace portcullis::storage {
class ReportConnection;  // storage/report_snapshot.hpp
}

namespace portcullis::audit {

struct StreamResult {
  std::int64_t rows = 0;
  std::int64_t chart_rows =
      0;          // PDF: the rows the charts were drawn from (equal to `rows`: same SELECT, same snapshot)
  int pages = 0;  // PDF
  std::int64_t bytes = 0;
  ChainRange range;
};

// How a PDF is drawn (not filters: they change no row).
struct PdfOptions {
  double response_target_seconds =
      120;  // alarm-response chart: the site's target (the server's escalation time)
};

// Streams the report (header first for CSV) to `sink` in chunks of about 1 MiB. Throws on database or
// validation errors. A PDF of a report with charts (report_charts.hpp) runs the report's SELECT twice in the
// same snapshot: once for the charts on its first pages, once for the table.
StreamResult stream_report(storage::ReportConnection& connection, const std::string& site_id, ReportKind kind,
                           const ReportFilter& filter, OutputFormat format,
                           const std::function<void(std::string_view)>& sink,
                           const PdfOptions& pdf_options = {});

// One output of a report streamed in several formats at once.
struct FormatSink {
  OutputFormat format;
  std::function<void(std::string_view)> sink;
};
// The same rows in several formats from one pass over the database (one snapshot): what an evidence bundle
// holds. `bytes` is the sum over the outputs.
StreamResult stream_report(storage::ReportConnection& connection, const std::string& site_id, ReportKind kind,
                           const ReportFilter& filter, const std::vector<FormatSink>& outputs,
                           const PdfOptions& pdf_options = {});

struct ExportRequest {
  std::string database;  // libpq connection string; any role that can SELECT events
  std::string site_id = "main";
  ReportKind kind = ReportKind::Access;
  ReportFilter filter;
  OutputFormat format = OutputFormat::Csv;
  std::string out_path;  // the report; the signed manifest goes to out_path + ".sig.json"
  std::string key_path;  // the site's private audit key (PEM)
  // PDF only: the key and certificate of the PAdES signature inside the PDF. Unset: the ones keygen puts
  // next to the audit key (pdf_signing_files_in(dir of key_path)) if both are there, else none.
  std::optional<PdfSigningFiles> pdf_signing;
  PdfOptions pdf_options;
};

struct ExportResult {
  StreamResult stream;
  std::string manifest_path;
  std::string sha256;
  std::string pdf_signer;  // the PAdES signing certificate's subject; empty when the PDF carries none
};

ExportResult export_report(const ExportRequest& request);

// The report in several formats (`files`: format and path; request.format and out_path are not used), from
// one pass in one snapshot, each file with its signed manifest (and a PDF with its PAdES signature).
std::vector<ExportResult> export_reports(const ExportRequest& request,
                                         const std::vector<std::pair<OutputFormat, std::string>>& files);

// What `portcullis-audit verify FILE` checks: FILE.sig.json is in canonical form and signed by
// `public_key_path`, and FILE has the size and SHA-256 the manifest names. `problem` is empty when it all
// holds.
struct EvidenceCheck {
  bool ok = false;
  std::string problem;
  ExportManifest manifest;
};
EvidenceCheck verify_export(const std::string& file, const std::string& public_key_path,
                            const std::string& manifest_path = {});

}  // namespace portcullis::audit
