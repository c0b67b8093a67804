#include "portcullis/audit/exporter.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "portcullis/audit/pdf_report.hpp"
#include "portcullis/audit/report_charts.hpp"
#include "portcullis/audit/signing.hpp"
#include "portcullis/storage/report_snapshot.hpp"
#include "report_chart_drawing.hpp"

namespace portcullis::audit {
namespace {

constexpr std::size_t kChunk = 1 << 20;
// A selective report may take long to fill a chunk: what it has is passed on at least this often (checked
// as rows arrive), so a REST client sees the first rows at once rather than after a megabyte.
constexpr auto kMaxHold = std::chrono::milliseconds(100);

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ChainRange read_range(storage::ReportSnapshot& snapshot, const std::string& site_id,
                      const ReportFilter& filter) {
  ChainRange range;
  const auto head = snapshot.chain_head(site_id);
  if (!head) return range;
  range.head_seq = head->site_seq;
  range.head_hash = head->hash_hex;
  const auto span = snapshot.seq_span(range_where(filter, site_id));
  if (!span) return range;
  range.first_seq = span->first;
  range.last_seq = span->last;
  for (const auto& row : snapshot.hashes_at(site_id, range.first_seq, range.last_seq)) {
    if (row.site_seq == range.first_seq) range.first_hash = row.hash_hex;
    if (row.site_seq == range.last_seq) range.last_hash = row.hash_hex;
  }
  return range;
}

// The export file: written in large chunks, with writeback started as it grows (sync_file_range) so the
// final fsync does not have to flush a whole multi-GB report at once.
// Evidence is readable by its owner and group only (0640), and always written to a file this call creates:
// whatever was left at the path (a stale partial file, a planted link) is removed first, then O_EXCL.
class OutputFile {
 public:
  explicit OutputFile(const std::string& path) : path_(path) {
    ::unlink(path.c_str());
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd_ < 0) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  }
  ~OutputFile() { close(); }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view bytes) {
    while (!bytes.empty()) {
      const auto n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(errno));
      bytes.remove_prefix(static_cast<std::size_t>(n));
      written_ += n;
    }
    if (written_ - started_ >= kWindow) {
      // Start writing back what the last window added, without waiting for it: the stream never blocks on
      // the disk, and fsync at the end only has the tail left to flush.
      ::sync_file_range(fd_, started_, written_ - started_, SYNC_FILE_RANGE_WRITE);
      started_ = written_;
    }
  }
  void finish() {
    if (::fsync(fd_) != 0) throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(errno));
    close();
  }
  void close() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  static constexpr off_t kWindow = 32 << 20;
  std::string path_;
  int fd_ = -1;
  off_t written_ = 0;
  off_t started_ = 0;
};

// The filters as a reader writes them: "from 2026-11-27T01:00:00.000000Z; person alice".
std::string readable_filters(ReportKind kind, const ReportFilter& filter) {
  const auto filters = nlohmann::json::parse(filters_json(kind, filter));
  std::string out;
  for (const auto& [name, value] : filters.items()) {
    if (!out.empty()) out += "; ";
    out += name + " " + (value.is_string() ? value.get<std::string>() : value.dump());
  }
  return out.empty() ? "none (every row)" : out;
}

PdfReportHeading pdf_heading(const std::string& site_id, ReportKind kind, const ReportFilter& filter,
                             const ChainRange& range, std::int64_t now) {
  PdfReportHeading h;
  h.title = std::string{"Portcullis audit report: "} + to_string(kind);
  h.running_title = "Portcullis " + std::string{to_string(kind)} + " report, site " + site_id;
  h.creation_date_rfc3339 = rfc3339_from_micros(now);
  h.facts.push_back("Site: " + site_id);
  h.facts.push_back("Filters: " + readable_filters(kind, filter));
  if (range.first_seq == 0) {
    h.facts.push_back("Hash chain range: no events in the time range (chain head site_seq " +
                      std::to_string(range.head_seq) + ")");
  } else {
    h.facts.push_back("Hash chain range: site_seq " + std::to_string(range.first_seq) + " (" +
                      range.first_hash + ") to site_seq " + std::to_string(range.last_seq) + " (" +
                      range.last_hash + ")");
    h.facts.push_back("Chain head at generation: site_seq " + std::to_string(range.head_seq) + " (" +
                      range.head_hash + ")");
  }
  h.facts.push_back("Generated at: " + h.creation_date_rfc3339);
  h.facts.push_back(
      "Verify offline with the signed manifest: portcullis-audit verify FILE --pubkey PUB. The CSV and JSON "
      "Lines exports hold the same rows with every cell in full.");
  return h;
}

// The charts' pass: the report's rows (with their local times) counted by ChartBuilder. Memory is the
// charts' bins, not the rows.
ReportCharts chart_pass(storage::ReportSnapshot& snapshot, ReportKind kind, const ReportFilter& filter,
                        const std::string& site_id, const PdfOptions& options) {
  ChartBuilder charts{kind, options.response_target_seconds};
  std::vector<CopyField> fields;
  std::string storage;
  const auto columns = report_columns(kind).size();
  auto integer = [](const CopyField& f, std::int64_t& value) {
    const auto r = std::from_chars(f.text.data(), f.text.data() + f.text.size(), value);
    return !f.null && r.ec == std::errc{} && r.ptr == f.text.data() + f.text.size();
  };
  snapshot.copy_out(chart_select(kind, filter, site_id), [&](const std::string& line) {
    std::int64_t weekday = 0;
    std::int64_t hour = 0;
    LocalTime local;
    bool ok = decode_copy_row(line, fields, storage) && fields.size() == columns + 3 &&
              integer(fields[columns], weekday) && integer(fields[columns + 1], hour) &&
              integer(fields[columns + 2], local.day);
    if (ok) {
      local.iso_weekday = static_cast<int>(weekday);
      local.hour = static_cast<int>(hour);
      fields.resize(columns);
      ok = charts.add(fields, local);
    }
    if (!ok) throw std::runtime_error("unexpected row from the chart query: " + line.substr(0, 200));
  });
  return charts.result();
}

// Splits a Pdf row from format_row into its cells (views into `row`).
void split_cells(std::string_view row, std::vector<std::string_view>& cells) {
  cells.clear();
  for (;;) {
    const auto at = row.find(kPdfCellSeparator);
    cells.push_back(row.substr(0, at));
    if (at == std::string_view::npos) return;
    row.remove_prefix(at + 1);
  }
}

}  // namespace

StreamResult stream_report(storage::ReportConnection& connection, const std::string& site_id, ReportKind kind,
                           const ReportFilter& filter, OutputFormat format,
                           const std::function<void(std::string_view)>& sink, const PdfOptions& pdf_options) {
  return stream_report(connection, site_id, kind, filter, {FormatSink{format, sink}}, pdf_options);
}

StreamResult stream_report(storage::ReportConnection& connection, const std::string& site_id, ReportKind kind,
                           const ReportFilter& filter, const std::vector<FormatSink>& outputs,
                           const PdfOptions& pdf_options) {
  if (auto problem = validate(kind, filter)) throw std::invalid_argument(*problem);
  StreamResult result;
  storage::ReportSnapshot snapshot{connection};
  result.range = read_range(snapshot, site_id, filter);

  // One buffer per output; a PDF draws into its buffer through cairo's write callback.
  struct Output {
    OutputFormat format;
    const std::function<void(std::string_view)>* sink;
    std::string buffer;
    std::optional<PdfReport> pdf;
  };
  std::vector<Output> out(outputs.size());
  auto last_flush = std::chrono::steady_clock::now();
  auto flush = [&] {
    last_flush = std::chrono::steady_clock::now();
    for (auto& o : out) {
      if (o.buffer.empty()) continue;
      (*o.sink)(o.buffer);
      result.bytes += static_cast<std::int64_t>(o.buffer.size());
      o.buffer.clear();
    }
  };
  auto full = [&] {
    for (const auto& o : out) {
      if (o.buffer.size() >= kChunk) return true;
    }
    return false;
  };
  const auto now = now_us();
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    auto& o = out[i];
    o.format = outputs[i].format;
    o.sink = &outputs[i].sink;
    o.buffer.reserve(kChunk + 64 * 1024);
    if (o.format == OutputFormat::Pdf) {
      o.pdf.emplace([&o](std::string_view bytes) { o.buffer.append(bytes); },
                    pdf_heading(site_id, kind, filter, result.range, now), report_columns(kind));
    } else {
      o.buffer += header(kind, o.format);
    }
  }
  flush();  // the header leaves at once, before the first row is found

  // With a time range, bound the query by the range's site_seq span too (same snapshot), so PostgreSQL reads
  // that span of the primary key in chain order instead of scanning and sorting: the first rows leave at
  // once and the server needs no sort memory.
  ReportFilter bounded = filter;
  if (filter.from_us || filter.to_us) {
    bounded.first_seq = result.range.first_seq;
    bounded.last_seq = result.range.last_seq;
  }
  const bool any_pdf = std::any_of(out.begin(), out.end(), [](const Output& o) { return o.pdf.has_value(); });
  if (any_pdf && report_has_charts(kind)) {
    const auto charts = chart_pass(snapshot, kind, bounded, site_id, pdf_options);
    for (auto& o : out) {
      if (o.pdf) detail::draw_charts(*o.pdf, charts, filter.time_zone);
    }
    result.chart_rows = charts.rows;
    flush();
  }
  // Chain order straight from the primary key rather than scan-then-sort, even for wide ranges: the first
  // rows leave at once, the server needs no sort memory, and it measured faster too (docs/audit.md).
  if (streams_in_chain_order(kind)) snapshot.disable_sort();
  std::vector<CopyField> fields;
  std::string storage;
  std::string text;  // one PDF row
  std::vector<std::string_view> cells;
  snapshot.copy_out(report_select(kind, bounded, site_id), [&](const std::string& line) {
    bool ok = decode_copy_row(line, fields, storage);
    for (auto& o : out) {
      if (!ok) break;
      if (o.pdf) {
        text.clear();
        ok = format_row(kind, OutputFormat::Pdf, fields, text);
        if (ok) {
          split_cells(text, cells);
          o.pdf->add_row(cells);
        }
      } else {
        ok = format_row(kind, o.format, fields, o.buffer);
      }
    }
    if (!ok) throw std::runtime_error("unexpected row from the report query: " + line.substr(0, 200));
    ++result.rows;
    if (full() || std::chrono::steady_clock::now() - last_flush >= kMaxHold) flush();
  });
  for (auto& o : out) {
    if (!o.pdf) continue;
    o.pdf->add_paragraph("End of report: " + std::to_string(result.rows) + " rows.");
    o.pdf->finish();
    result.pages = o.pdf->pages();
  }
  flush();
  snapshot.commit();
  return result;
}

namespace {

// One file of an export being written: its partial file, digest and, for a PDF, its PAdES signer.
struct ExportFile {
  ExportFile(OutputFormat f, std::string final_path, const std::optional<PdfSigningIdentity>& identity)
      : format(f), path(std::move(final_path)), partial(path + ".partial"), out(partial) {
    if (f == OutputFormat::Pdf && identity) pades.emplace(*identity);
  }
  void write(std::string_view chunk) {
    sha.update(chunk);
    out.write(chunk);
    if (pades) pades->update(chunk);
    bytes += static_cast<std::int64_t>(chunk.size());
  }
  OutputFormat format;
  std::string path;
  std::string partial;
  OutputFile out;
  Sha256 sha;
  std::optional<PadesSigner> pades;
  std::int64_t bytes = 0;
};

std::optional<PdfSigningIdentity> pdf_identity_for(const ExportRequest& request) {
  if (request.pdf_signing) return PdfSigningIdentity::load(*request.pdf_signing);
  const auto next_to_key =
      pdf_signing_files_in(std::filesystem::path{request.key_path}.parent_path().string());
  if (std::filesystem::exists(next_to_key.key_path) && std::filesystem::exists(next_to_key.certificate_path))
    return PdfSigningIdentity::load(next_to_key);
  return std::nullopt;
}

}  // namespace

std::vector<ExportResult> export_reports(const ExportRequest& request,
                                         const std::vector<std::pair<OutputFormat, std::string>>& files) {
  if (files.empty()) throw std::invalid_argument("no output file");
  for (const auto& [format, path] : files) {
    if (path.empty()) throw std::invalid_argument("no output file");
  }
  const auto key = AuditKey::load_private(request.key_path);  // fail before any work
  if (auto problem = validate(request.kind, request.filter)) throw std::invalid_argument(*problem);
  std::optional<PdfSigningIdentity> pdf_identity;  // loaded before any work, like the audit key
  if (std::any_of(files.begin(), files.end(), [](const auto& f) { return f.first == OutputFormat::Pdf; }))
    pdf_identity = pdf_identity_for(request);

  std::vector<std::unique_ptr<ExportFile>> open;
  std::vector<FormatSink> sinks;
  auto remove_partials = [&] {
    for (auto& f : open) {
      f->out.close();
      std::filesystem::remove(f->partial);
    }
  };
  StreamResult stream;
  try {
    for (const auto& [format, path] : files) {
      open.push_back(std::make_unique<ExportFile>(format, path, pdf_identity));
      ExportFile* file = open.back().get();
      sinks.push_back(FormatSink{format, [file](std::string_view chunk) { file->write(chunk); }});
    }
    storage::ReportConnection connection{request.database};
    stream =
        stream_report(connection, request.site_id, request.kind, request.filter, sinks, request.pdf_options);
    for (auto& f : open) {
      if (f->pades) {
        // The PAdES signature: an incremental update after the report's last byte (pdf_signature.hpp).
        const auto signature = f->pades->signature_update(f->partial, f->bytes, now_us());
        f->sha.update(signature);
        f->out.write(signature);
        f->bytes += static_cast<std::int64_t>(signature.size());
      }
      f->out.finish();
    }
  } catch (...) {
    remove_partials();
    throw;
  }

  std::vector<ExportResult> results;
  for (auto& f : open) {
    std::filesystem::rename(f->partial, f->path);
    ExportResult result;
    result.stream = stream;
    result.stream.bytes = f->bytes;
    result.sha256 = f->sha.hex_final();
    if (f->pades) result.pdf_signer = pdf_identity->subject();
    ExportManifest m;
    m.site = request.site_id;
    m.report = to_string(request.kind);
    m.filters_json = filters_json(request.kind, request.filter);
    m.format = to_string(f->format);
    m.file = std::filesystem::path{f->path}.filename().string();
    m.file_sha256 = result.sha256;
    m.file_bytes = f->bytes;
    m.rows = stream.rows;
    m.chain_range = stream.range;
    m.created_us = now_us();
    auto doc = manifest_document(m);
    sign_document(doc, key);
    result.manifest_path = f->path + ".sig.json";
    write_file_atomically(result.manifest_path, document_text(doc));
    results.push_back(std::move(result));
  }
  return results;
}

ExportResult export_report(const ExportRequest& request) {
  if (request.out_path.empty()) throw std::invalid_argument("no output file");
  return export_reports(request, {{request.format, request.out_path}}).front();
}

EvidenceCheck verify_export(const std::string& file, const std::string& public_key_path,
                            const std::string& manifest_path) {
  EvidenceCheck check;
  const auto key = AuditKey::load_public(public_key_path);
  const std::string path = manifest_path.empty() ? file + ".sig.json" : manifest_path;
  std::string text;
  try {
    text = read_file(path);
  } catch (const std::exception&) {
    check.problem = "no manifest " + path;
    return check;
  }
  nlohmann::json doc;
  if (auto problem = check_signed_document(text, key, doc); !problem.empty()) {
    check.problem = "manifest " + path + ": " + problem;
    return check;
  }
  const auto manifest = manifest_from_document(doc);
  if (!manifest) {
    check.problem = "manifest " + path + " is not an evidence manifest";
    return check;
  }
  check.manifest = *manifest;
  FileDigest digest;
  try {
    digest = digest_file(file);
  } catch (const std::exception& e) {
    check.problem = e.what();
    return check;
  }
  if (digest.bytes != manifest->file_bytes) {
    check.problem = file + " has " + std::to_string(digest.bytes) + " bytes, the signed manifest says " +
                    std::to_string(manifest->file_bytes);
    return check;
  }
  if (digest.sha256 != manifest->file_sha256) {
    check.problem = file + " differs from the signed export (SHA-256 " + digest.sha256 + ", signed " +
                    manifest->file_sha256 + ")";
    return check;
  }
  check.ok = true;
  return check;
}

}  // namespace portcullis::audit
