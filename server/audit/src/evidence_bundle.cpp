#include "portcullis/audit/evidence_bundle.hpp"

#include <zip.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <list>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "portcullis/audit/pdf_signature.hpp"
#include "portcullis/audit/signing.hpp"

namespace portcullis::audit {
namespace {

namespace fs = std::filesystem;

constexpr const char* kReadme = "README.txt";
constexpr const char* kRange = "chain-range.json";
constexpr const char* kPublicKey = "audit-key.pub.pem";
constexpr const char* kPdfCertificate = "pdf-signing-cert.pem";
constexpr std::int64_t kMaxEntryBytes = std::int64_t{64} << 30;  // a bundle entry larger than this is refused

// A private scratch directory, removed with everything in it.
class ScratchDir {
 public:
  explicit ScratchDir(const fs::path& near) {
    std::string pattern = (near / ".portcullis-bundle-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("cannot make a directory in " + near.string());
    path = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  fs::path path;
};

std::string zip_problem(zip_t* archive) {
  return archive == nullptr ? std::string{"unknown"} : std::string{zip_strerror(archive)};
}

// The newest-first choice of a checkpoint for the range: the one at the chain head of the export (its hash is
// then the manifests' head_hash), else the first at or after the range's last row.
std::optional<fs::path> covering_checkpoint(const fs::path& dir, const std::string& site,
                                            const ChainRange& range) {
  std::optional<std::pair<std::int64_t, fs::path>> best;
  const std::int64_t needed = range.first_seq == 0 ? range.head_seq : range.last_seq;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    const std::string prefix = site + "-";
    const std::string suffix = ".checkpoint.json";
    if (name.size() != prefix.size() + 20 + suffix.size() || name.rfind(prefix, 0) != 0 ||
        name.substr(name.size() - suffix.size()) != suffix)
      continue;
    const auto digits = name.substr(prefix.size(), 20);
    if (digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::int64_t seq = std::stoll(digits);
    if (seq < needed) continue;
    if (seq == range.head_seq) return entry.path();
    if (!best || seq < best->first) best = std::pair{seq, entry.path()};
  }
  if (best) return best->second;
  return std::nullopt;
}

std::string readme(const ExportManifest& m, const std::string& checkpoint, const std::string& fingerprint,
                   const std::vector<std::string>& reports, bool pdf_certificate) {
  const auto& r = m.chain_range;
  std::string t;
  t += "Portcullis evidence bundle\n==========================\n\n";
  t += "Report:  " + m.report + ", site " + m.site + ", " + std::to_string(m.rows) + " rows\n";
  t += "Filters: " + m.filters_json + "\n";
  if (r.first_seq == 0) {
    t += "Chain:   no event in the time range; chain head site_seq " + std::to_string(r.head_seq) + "\n";
  } else {
    t += "Chain:   site_seq " + std::to_string(r.first_seq) + " (" + r.first_hash +
         ")\n         to site_seq " + std::to_string(r.last_seq) + " (" + r.last_hash + ")\n";
    t += "         chain head at the export: site_seq " + std::to_string(r.head_seq) + " (" + r.head_hash +
         ")\n";
  }
  t += "Created: " + rfc3339_from_micros(m.created_us) + "\n";
  t += "Key:     " + fingerprint + " (the site's public audit key, " + kPublicKey + ")\n\n";
  t += "Files\n-----\n";
  for (const auto& f : reports) t += "  " + f + "  and its signed manifest " + f + ".sig.json\n";
  t += "  " + std::string{kRange} + "  the chain range above, as the signed manifests name it\n";
  if (!checkpoint.empty())
    t += "  " + checkpoint + "  the signed checkpoint of the chain that covers the range\n";
  t += "  " + std::string{kPublicKey} + "  the public key that checks the manifests and the checkpoint\n";
  if (pdf_certificate)
    t += "  " + std::string{kPdfCertificate} + "  the certificate of the PDF's own (PAdES) signature\n";
  t += R"README(
How to verify this bundle offline
---------------------------------
1. The key. The bundle carries the key that signed it, so first make sure it is your site's: its
   fingerprint must be the one the site handed you (and the one in every manifest):
     printf 'sha256:%s\n' "$(openssl pkey -pubin -in audit-key.pub.pem -outform DER | tail -c 32 | sha256sum | cut -d' ' -f1)"

2. Everything at once, with Portcullis's auditor tool (it needs no database for this):
     portcullis-audit verify-bundle THIS.zip --pubkey YOUR-COPY-OF/audit-key.pub.pem
   or one file at a time, after unzipping:
     portcullis-audit verify REPORT.csv --pubkey audit-key.pub.pem

3. Without Portcullis's tools. Each FILE.sig.json signs FILE's size and SHA-256 (file_bytes, file_sha256):
     sha256sum REPORT.csv
   and the manifest itself is signed with Ed25519 over its canonical form: the JSON without "signature",
   compact, keys sorted, e.g.
     jq -jcS 'del(.signature)' REPORT.csv.sig.json > signed.bin
     jq -r .signature REPORT.csv.sig.json | base64 -d > signature.bin
     openssl pkeyutl -verify -pubin -inkey audit-key.pub.pem -rawin -in signed.bin -sigfile signature.bin

4. The PDF also carries a signature a PDF reader shows (PAdES): open it, or run
     pdfsig REPORT.pdf
   which must say "Signature is Valid" and "Total document signed". The signer's certificate is
   pdf-signing-cert.pem (self-issued unless your site had its CA issue it).

5. The chain. The manifests name the hash-chain range the rows came from. The checkpoint (if present) is
   the site's signed statement of the chain head at or after that range. With read access to the
   database, prove that the history up to it is whole and unchanged:
     portcullis-audit verify-chain --checkpoints DIR-WITH-THE-CHECKPOINT --pubkey audit-key.pub.pem
   Every row in CSV and JSON Lines carries its chain hash, so any row can be looked up in the chain.
)README";
  return t;
}

}  // namespace

BundleResult export_bundle(const BundleRequest& request) {
  if (request.out_path.empty()) throw std::invalid_argument("no output file");
  const fs::path out{request.out_path};
  const auto dir = out.has_parent_path() ? out.parent_path() : fs::path{"."};
  const auto name = std::string{to_string(request.report.kind)};
  ScratchDir scratch{dir};
  const std::vector<std::pair<OutputFormat, std::string>> files = {
      {OutputFormat::Csv, (scratch.path / (name + ".csv")).string()},
      {OutputFormat::JsonLines, (scratch.path / (name + ".jsonl")).string()},
      {OutputFormat::Pdf, (scratch.path / (name + ".pdf")).string()}};
  const auto exported = export_reports(request.report, files);
  const auto& stream = exported.front().stream;

  BundleResult result;
  result.path = request.out_path;
  result.rows = stream.rows;
  result.range = stream.range;
  std::optional<fs::path> checkpoint;
  if (request.checkpoints_dir)
    checkpoint = covering_checkpoint(*request.checkpoints_dir, request.report.site_id, stream.range);
  if (checkpoint) result.checkpoint = checkpoint->filename().string();

  const auto key_dir = fs::path{request.report.key_path}.parent_path();
  const auto public_key = key_dir / kPublicKey;
  if (!fs::exists(public_key))
    throw std::runtime_error("no public key " + public_key.string() + " next to the audit key");
  const auto pdf_certificate = request.report.pdf_signing
                                   ? fs::path{request.report.pdf_signing->certificate_path}
                                   : fs::path{pdf_signing_files_in(key_dir.string()).certificate_path};
  const bool with_certificate = !exported[2].pdf_signer.empty() && fs::exists(pdf_certificate);

  const auto manifest =
      manifest_from_document(nlohmann::json::parse(read_file(exported.front().manifest_path)));
  if (!manifest) throw std::runtime_error("the export's manifest cannot be read back");
  std::vector<std::string> reports;
  for (const auto& [format, path] : files) reports.push_back(fs::path{path}.filename().string());

  std::list<std::string> texts;  // in-memory entries: libzip reads them at zip_close
  const auto& r = stream.range;
  nlohmann::json range = {
      {"site", request.report.site_id},
      {"report", name},
      {"rows", stream.rows},
      {"first_seq", r.first_seq},
      {"first_hash", r.first_hash},
      {"last_seq", r.last_seq},
      {"last_hash", r.last_hash},
      {"head_seq", r.head_seq},
      {"head_hash", r.head_hash},
      {"checkpoint", result.checkpoint.empty() ? nlohmann::json(nullptr) : nlohmann::json(result.checkpoint)},
      {"note", "a copy of chain_range in the signed manifests; the manifests are what is signed"}};
  texts.push_back(readme(*manifest, result.checkpoint,
                         AuditKey::load_public(public_key.string()).fingerprint(), reports,
                         with_certificate));
  const std::string& readme_text = texts.back();
  texts.push_back(range.dump(2) + "\n");
  const std::string& range_text = texts.back();

  const std::string partial = request.out_path + ".partial";
  fs::remove(partial);
  int error = 0;
  zip_t* archive = zip_open(partial.c_str(), ZIP_CREATE | ZIP_EXCL, &error);
  if (archive == nullptr)
    throw std::runtime_error("cannot create " + partial + " (libzip error " + std::to_string(error) + ")");
  auto add = [&](const std::string& entry, zip_source_t* source) {
    if (source == nullptr || zip_file_add(archive, entry.c_str(), source, ZIP_FL_ENC_UTF_8) < 0) {
      if (source != nullptr) zip_source_free(source);
      const auto why = zip_problem(archive);
      zip_discard(archive);
      fs::remove(partial);
      throw std::runtime_error("cannot add " + entry + " to " + request.out_path + ": " + why);
    }
    result.entries.push_back(entry);
  };
  auto add_file = [&](const std::string& entry, const fs::path& path) {
    add(entry, zip_source_file(archive, path.c_str(), 0, -1));  // -1: to the end of the file
  };
  auto add_text = [&](const std::string& entry, const std::string& text) {
    add(entry, zip_source_buffer(archive, text.data(), text.size(), 0));
  };
  add_text(kReadme, readme_text);
  for (std::size_t i = 0; i < files.size(); ++i) {
    add_file(reports[i], files[i].second);
    add_file(reports[i] + ".sig.json", exported[i].manifest_path);
  }
  add_text(kRange, range_text);
  if (checkpoint) add_file(result.checkpoint, *checkpoint);
  add_file(kPublicKey, public_key);
  if (with_certificate) add_file(kPdfCertificate, pdf_certificate);
  // zip_close streams the files from disk into the archive (deflate), then the scratch directory goes.
  if (zip_close(archive) != 0) {
    const auto why = zip_problem(archive);
    zip_discard(archive);
    fs::remove(partial);
    throw std::runtime_error("cannot write " + request.out_path + ": " + why);
  }
  fs::permissions(partial, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  fs::rename(partial, request.out_path);
  return result;
}

BundleCheck verify_bundle(const std::string& zip_path, const std::string& public_key_path) {
  BundleCheck check;
  auto problem = [&](std::string text) { check.problems.push_back(std::move(text)); };
  const auto key = AuditKey::load_public(public_key_path);
  int error = 0;
  zip_t* archive = zip_open(zip_path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (archive == nullptr) {
    problem(zip_path + " is not a readable zip file (libzip error " + std::to_string(error) + ")");
    return check;
  }
  ScratchDir scratch{fs::temp_directory_path()};
  std::vector<std::string> names;
  const auto entries = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < entries; ++i) {
    const char* raw = zip_get_name(archive, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS);
    const std::string name = raw == nullptr ? "" : raw;
    // Only plain names are unpacked: nothing can land outside the scratch directory.
    if (name.empty() || name.find('/') != std::string::npos || name.find('\\') != std::string::npos ||
        name == "." || name == "..") {
      problem("entry \"" + name + "\" is not a plain file name");
      continue;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &st) != 0 ||
        static_cast<std::int64_t>(st.size) > kMaxEntryBytes) {
      problem("entry " + name + " cannot be read or is too large");
      continue;
    }
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    std::ofstream out{scratch.path / name, std::ios::binary | std::ios::trunc};
    char buffer[1 << 16];
    zip_int64_t n = 0;
    while (file != nullptr && (n = zip_fread(file, buffer, sizeof buffer)) > 0)
      out.write(buffer, static_cast<std::streamsize>(n));
    const bool read_ok = file != nullptr && n == 0;
    if (file != nullptr) zip_fclose(file);
    if (!read_ok || !out) {
      problem("entry " + name + " cannot be unpacked (damaged archive?)");
      continue;
    }
    names.push_back(name);
  }
  zip_close(archive);

  std::optional<ExportManifest> first;
  int reports = 0;
  for (const auto& name : names) {
    const std::string suffix = ".sig.json";
    if (name.size() <= suffix.size() || name.substr(name.size() - suffix.size()) != suffix) continue;
    const auto report = name.substr(0, name.size() - suffix.size());
    const auto result =
        verify_export((scratch.path / report).string(), public_key_path, (scratch.path / name).string());
    if (!result.ok) {
      problem(report + ": " + result.problem);
      continue;
    }
    ++reports;
    const auto& m = result.manifest;
    check.verified.push_back(report + ": " + std::to_string(m.file_bytes) + " bytes, " +
                             std::to_string(m.rows) + " rows, as signed (" + m.format + ")");
    if (!first) {
      first = m;
    } else if (m.report != first->report || m.site != first->site || m.filters_json != first->filters_json ||
               m.rows != first->rows || m.chain_range.first_seq != first->chain_range.first_seq ||
               m.chain_range.last_seq != first->chain_range.last_seq ||
               m.chain_range.head_hash != first->chain_range.head_hash) {
      problem(report + " is not the same report, filters, rows and chain range as the others");
    }
  }
  if (reports == 0) problem("no signed report in the bundle");

  for (const auto& name : names) {
    const std::string suffix = ".checkpoint.json";
    if (name.size() <= suffix.size() || name.substr(name.size() - suffix.size()) != suffix) continue;
    nlohmann::json doc;
    if (auto why = check_signed_document(read_file((scratch.path / name).string()), key, doc); !why.empty()) {
      problem("checkpoint " + name + ": " + why);
      continue;
    }
    const auto cp = checkpoint_from_document(doc);
    if (!cp || !first) {
      problem("checkpoint " + name + " cannot be read");
      continue;
    }
    const auto& range = first->chain_range;
    const std::int64_t needed = range.first_seq == 0 ? range.head_seq : range.last_seq;
    if (cp->site != first->site || cp->site_seq < needed) {
      problem("checkpoint " + name + " (site " + cp->site + ", site_seq " + std::to_string(cp->site_seq) +
              ") does not cover the range up to site_seq " + std::to_string(needed));
    } else if (cp->site_seq == range.head_seq && cp->hash != range.head_hash) {
      problem("checkpoint " + name + " names another hash for site_seq " + std::to_string(cp->site_seq) +
              " than the manifests' chain head");
    } else if (cp->site_seq == range.last_seq && cp->hash != range.last_hash) {
      problem("checkpoint " + name + " names another hash for site_seq " + std::to_string(cp->site_seq) +
              " than the manifests' last row");
    } else {
      check.verified.push_back("checkpoint " + name + ": signed, site_seq " + std::to_string(cp->site_seq) +
                               " covers the chain range");
    }
  }
  check.ok = check.problems.empty();
  return check;
}

}  // namespace portcullis::audit
