// portcullis-audit: the auditor's offline tools.
//   verify-chain   recomputes the hash chain (and, with --checkpoints, checks it against signed checkpoints)
//   export         writes a report (CSV, JSON Lines or PDF) with a signed manifest naming the chain range;
//                  a PDF also carries a PAdES signature its reader shows
//   verify         checks an export against its signed manifest, offline
//   bundle         writes the evidence bundle: one zip with the report as CSV, JSON Lines and PDF, manifests,
//                  chain range, covering checkpoint, keys and a README for offline verification
//   verify-bundle  checks an evidence bundle offline
//   checkpoint     writes a signed checkpoint of the verified chain head to a directory
//   keygen         makes the site's audit key pair and a PDF signing key with a self-issued certificate
//   pdf-identity   makes a PDF signing key and self-issued certificate (for a key made before they existed)
//   pdf-csr        writes a certificate signing request for the PDF signing key (the customer's CA)
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "portcullis/audit/chain_verifier.hpp"
#include "portcullis/audit/checkpoints.hpp"
#include "portcullis/audit/evidence_bundle.hpp"
#include "portcullis/audit/exporter.hpp"
#include "portcullis/audit/pdf_signature.hpp"
#include "portcullis/audit/signing.hpp"

namespace {

namespace audit = portcullis::audit;

int usage() {
  std::cerr
      << "usage:\n"
         "  portcullis-audit verify-chain [--site SITE] [--database CONNINFO] [--checkpoints DIR --pubkey "
         "PUB]\n"
         "  portcullis-audit export --report REPORT --format csv|jsonl|pdf --out FILE\n"
         "         --key KEY [--site SITE] [--database CONNINFO] [--person P] [--portal X] [--zone Z] "
         "[--rack R]\n"
         "         [--group G] [--asset A] [--decision grant|deny|pending] [--from TIME] [--to TIME]\n"
         "         [--hours HH:MM-HH:MM] [--tz ZONE]\n"
         "  REPORT: access, denied, after-hours, alarms, two-person, alarm-response, revoked-use, presence,\n"
         "         custody (docs/audit.md says which filters each one takes)\n"
         "  portcullis-audit verify FILE --pubkey PUB [--manifest FILE.sig.json]\n"
         "  portcullis-audit checkpoint --dir DIR --key KEY [--site SITE] [--database CONNINFO] [--full]\n"
         "         [--response-target SECONDS]   (PDF of alarm-response: the site's target, default 120)\n"
         "         [--pdf-key KEY --pdf-cert CERT]   (PDF: the PAdES signing key and certificate; default:\n"
         "          pdf-signing-key.pem and pdf-signing-cert.pem next to --key, if there)\n"
         "  portcullis-audit bundle --report REPORT --out FILE.zip --key KEY [--checkpoints DIR]\n"
         "         [the filters, PDF and signing options of export]\n"
         "  portcullis-audit verify-bundle FILE.zip --pubkey PUB\n"
         "  portcullis-audit keygen --out DIR [--name COMMON_NAME]\n"
         "  portcullis-audit pdf-identity --dir DIR [--name COMMON_NAME]\n"
         "  portcullis-audit pdf-csr --key PDF_KEY --name COMMON_NAME --out FILE.csr\n"
         "  the database defaults to PORTCULLIS_AUDIT_DATABASE, then PORTCULLIS_DATABASE;\n"
         "  TIME is RFC 3339 (2026-11-27T08:00:00Z, 2026-11-27T09:00:00+01:00) or a date (midnight UTC);\n"
         "  after-hours: outside --hours (default 07:00-19:00) in --tz (IANA name, default UTC).\n"
         "  exit status: 0 ok, 1 verification failed, 2 usage, 3 error\n";
  return 2;
}

// --name value pairs, plus positional arguments.
struct Args {
  std::map<std::string, std::string> options;
  std::vector<std::string> positional;
  bool ok = true;

  [[nodiscard]] std::optional<std::string> get(const std::string& name) const {
    const auto it = options.find(name);
    if (it == options.end()) return std::nullopt;
    return it->second;
  }
};

Args parse(const std::vector<std::string>& args, const std::vector<std::string>& known) {
  Args out;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a.rfind("--", 0) == 0) {
      bool is_known = false;
      for (const auto& k : known) is_known = is_known || k == a.substr(2);
      if (a == "--full" && is_known) {  // the one flag without a value
        out.options["full"] = "";
        continue;
      }
      if (!is_known || i + 1 >= args.size() || out.options.count(a.substr(2)) != 0) {
        std::cerr << "portcullis-audit: unknown, repeated or incomplete option " << a << '\n';
        out.ok = false;
        return out;
      }
      out.options[a.substr(2)] = args[++i];
    } else {
      out.positional.push_back(a);
    }
  }
  return out;
}

std::string database_of(const Args& a) {
  if (auto d = a.get("database")) return *d;
  if (const char* env = std::getenv("PORTCULLIS_AUDIT_DATABASE")) return env;
  if (const char* app = std::getenv("PORTCULLIS_DATABASE")) return app;
  return {};
}

int verify_chain_command(const Args& a) {
  const std::string site = a.get("site").value_or("main");
  const std::string database = database_of(a);
  if (database.empty() || !a.positional.empty() ||
      a.get("checkpoints").has_value() != a.get("pubkey").has_value()) {
    return usage();
  }
  const auto report = audit::verify_chain(database, site);
  bool ok = report.intact;
  if (report.intact) {
    std::cout << "chain intact: site " << site << ", " << report.rows << " events, head " << report.head_hash
              << '\n';
  } else {
    std::cout << "chain BROKEN: site " << site << ", first bad row site_seq " << *report.first_bad_seq << ": "
              << report.problem << '\n';
  }
  if (auto dir = a.get("checkpoints")) {
    const auto cps = audit::check_checkpoints(database, site, *dir, *a.get("pubkey"));
    for (const auto& p : cps.problems) std::cout << "checkpoint FAILED: " << p << '\n';
    if (cps.ok) {
      std::cout << "checkpoints hold: " << cps.checked << " signed checkpoints, newest at site_seq "
                << cps.newest_seq << ", database head " << cps.database_head << '\n';
    }
    ok = ok && cps.ok;
  }
  return ok ? 0 : 1;
}

// The report, filters, keys and PDF options export and bundle share; 0 when they are all well formed.
int report_request(const Args& a, audit::ExportRequest& r) {
  r.database = database_of(a);
  r.site_id = a.get("site").value_or("main");
  const auto kind = audit::report_from_string(a.get("report").value_or(""));
  if (!kind || r.database.empty() || !a.get("out") || !a.get("key") || !a.positional.empty()) return usage();
  r.kind = *kind;
  r.key_path = *a.get("key");
  if (a.get("pdf-key").has_value() != a.get("pdf-cert").has_value()) {
    std::cerr << "portcullis-audit: give --pdf-key and --pdf-cert together\n";
    return 2;
  }
  if (a.get("pdf-key")) r.pdf_signing = audit::PdfSigningFiles{*a.get("pdf-key"), *a.get("pdf-cert")};
  if (auto target = a.get("response-target")) {
    char* end = nullptr;
    const double seconds = std::strtod(target->c_str(), &end);
    if (target->empty() || *end != '\0' || !(seconds > 0) || seconds > 86400 * 30) {
      std::cerr << "portcullis-audit: --response-target must be a number of seconds above 0\n";
      return 2;
    }
    r.pdf_options.response_target_seconds = seconds;
  }
  auto& f = r.filter;
  f.person = a.get("person");
  f.portal = a.get("portal");
  f.zone = a.get("zone");
  f.rack = a.get("rack");
  f.decision = a.get("decision");
  f.group = a.get("group");
  f.asset = a.get("asset");
  for (const char* name : {"from", "to"}) {
    if (auto t = a.get(name)) {
      const auto micros = audit::parse_time(*t);
      if (!micros) {
        std::cerr << "portcullis-audit: --" << name << " is not an RFC 3339 time or a date: " << *t << '\n';
        return 2;
      }
      (std::string{name} == "from" ? f.from_us : f.to_us) = *micros;
    }
  }
  if (auto h = a.get("hours")) {
    const auto w = audit::parse_window(*h);
    if (!w) {
      std::cerr << "portcullis-audit: --hours must look like 07:00-19:00\n";
      return 2;
    }
    f.window = *w;
  }
  if (auto tz = a.get("tz")) f.time_zone = *tz;
  if (auto problem = audit::validate(r.kind, f)) {
    std::cerr << "portcullis-audit: " << *problem << '\n';
    return 2;
  }
  return 0;
}

int export_command(const Args& a) {
  audit::ExportRequest r;
  const auto format = audit::format_from_string(a.get("format").value_or(""));
  if (!format) return usage();
  if (const int status = report_request(a, r); status != 0) return status;
  r.format = *format;
  r.out_path = *a.get("out");
  const auto result = audit::export_report(r);
  const auto& range = result.stream.range;
  std::cout << "exported " << result.stream.rows << " rows (" << result.stream.bytes << " bytes) to "
            << r.out_path << "\nchain range site_seq " << range.first_seq << ".." << range.last_seq
            << " (head " << range.head_seq << "), sha256 " << result.sha256 << "\nsigned manifest "
            << result.manifest_path << '\n';
  if (r.format == audit::OutputFormat::Pdf) std::cout << "PDF: " << result.stream.pages << " pages\n";
  if (!result.pdf_signer.empty()) std::cout << "PDF signed (PAdES) by " << result.pdf_signer << '\n';
  return 0;
}

int bundle_command(const Args& a) {
  audit::BundleRequest b;
  if (const int status = report_request(a, b.report); status != 0) return status;
  b.out_path = *a.get("out");
  b.checkpoints_dir = a.get("checkpoints");
  const auto result = audit::export_bundle(b);
  std::cout << "evidence bundle " << result.path << ": " << result.rows << " rows, chain range site_seq "
            << result.range.first_seq << ".." << result.range.last_seq << " (head " << result.range.head_seq
            << ")\n";
  for (const auto& e : result.entries) std::cout << "  " << e << '\n';
  if (b.checkpoints_dir && result.checkpoint.empty()) {
    std::cout << "no checkpoint in " << *b.checkpoints_dir << " covers the range yet: the bundle has none\n";
  }
  return 0;
}

int verify_bundle_command(const Args& a) {
  if (a.positional.size() != 1 || !a.get("pubkey")) return usage();
  const auto check = audit::verify_bundle(a.positional[0], *a.get("pubkey"));
  for (const auto& v : check.verified) std::cout << "verified: " << v << '\n';
  for (const auto& p : check.problems) std::cout << "REJECTED: " << p << '\n';
  std::cout << (check.ok ? "bundle verified: " : "bundle REJECTED: ") << a.positional[0] << '\n';
  return check.ok ? 0 : 1;
}

int verify_command(const Args& a) {
  if (a.positional.size() != 1 || !a.get("pubkey")) return usage();
  const auto check = audit::verify_export(a.positional[0], *a.get("pubkey"), a.get("manifest").value_or(""));
  if (!check.ok) {
    std::cout << "evidence REJECTED: " << check.problem << '\n';
    return 1;
  }
  const auto& m = check.manifest;
  std::cout << "evidence verified: " << a.positional[0] << ", report " << m.report << " of site " << m.site
            << ", filters " << m.filters_json << ", " << m.rows << " rows, chain range site_seq "
            << m.chain_range.first_seq << ".." << m.chain_range.last_seq << " (" << m.chain_range.first_hash
            << " .. " << m.chain_range.last_hash << "), head " << m.chain_range.head_seq << ", created "
            << audit::rfc3339_from_micros(m.created_us) << '\n';
  return 0;
}

int checkpoint_command(const Args& a) {
  const std::string database = database_of(a);
  if (database.empty() || !a.get("dir") || !a.get("key") || !a.positional.empty()) return usage();
  const auto written = audit::write_checkpoint(database, a.get("site").value_or("main"), *a.get("dir"),
                                               *a.get("key"), a.get("full").has_value());
  std::cout << (written.unchanged ? "checkpoint already present: " : "checkpoint written: ") << written.path
            << " (site_seq " << written.checkpoint.site_seq << ", hash " << written.checkpoint.hash
            << "; chain verified from site_seq " << written.verified_from << ")\n";
  return 0;
}

constexpr const char* kDefaultSignerName = "Portcullis audit evidence";

void print_pdf_identity(const audit::PdfSigningFiles& pdf) {
  std::cout << "PDF signing key " << pdf.key_path << " (mode 0600)\nPDF signing certificate "
            << pdf.certificate_path << " (self-issued; to have your CA issue it: portcullis-audit pdf-csr)\n";
}

int keygen_command(const Args& a) {
  if (!a.get("out") || !a.positional.empty()) return usage();
  const auto files = audit::generate_key_files(*a.get("out"));
  std::cout << "private key " << files.private_path << " (mode 0600: keep it off version control and backups "
            << "anyone can read)\npublic key  " << files.public_path << "\nfingerprint " << files.fingerprint
            << '\n';
  print_pdf_identity(
      audit::generate_pdf_signing_identity(*a.get("out"), a.get("name").value_or(kDefaultSignerName)));
  return 0;
}

int pdf_identity_command(const Args& a) {
  if (!a.get("dir") || !a.positional.empty()) return usage();
  print_pdf_identity(
      audit::generate_pdf_signing_identity(*a.get("dir"), a.get("name").value_or(kDefaultSignerName)));
  return 0;
}

int pdf_csr_command(const Args& a) {
  if (!a.get("key") || !a.get("name") || !a.get("out") || !a.positional.empty()) return usage();
  audit::write_file_atomically(*a.get("out"), audit::pdf_signing_request(*a.get("key"), *a.get("name")));
  std::cout << "certificate signing request " << *a.get("out")
            << ": have your CA issue the certificate, then put it (and its CA certificates after it) in "
               "pdf-signing-cert.pem next to the key\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage();
  const std::string& command = args[0];
  try {
    if (command == "verify-chain") {
      const auto a = parse(args, {"site", "database", "checkpoints", "pubkey"});
      return a.ok ? verify_chain_command(a) : usage();
    }
    if (command == "export") {
      const auto a =
          parse(args, {"site",  "database", "report",   "format",         "out", "key",   "person", "portal",
                       "zone",  "rack",     "decision", "from",           "to",  "hours", "tz",     "group",
                       "asset", "pdf-key",  "pdf-cert", "response-target"});
      return a.ok ? export_command(a) : usage();
    }
    if (command == "bundle") {
      const auto a = parse(args, {"site",
                                  "database",
                                  "report",
                                  "out",
                                  "key",
                                  "person",
                                  "portal",
                                  "zone",
                                  "rack",
                                  "decision",
                                  "from",
                                  "to",
                                  "hours",
                                  "tz",
                                  "group",
                                  "asset",
                                  "pdf-key",
                                  "pdf-cert",
                                  "response-target",
                                  "checkpoints"});
      return a.ok ? bundle_command(a) : usage();
    }
    if (command == "verify-bundle") {
      const auto a = parse(args, {"pubkey"});
      return a.ok ? verify_bundle_command(a) : usage();
    }
    if (command == "verify") {
      const auto a = parse(args, {"pubkey", "manifest"});
      return a.ok ? verify_command(a) : usage();
    }
    if (command == "checkpoint") {
      const auto a = parse(args, {"site", "database", "dir", "key", "full"});
      return a.ok ? checkpoint_command(a) : usage();
    }
    if (command == "keygen") {
      const auto a = parse(args, {"out", "name"});
      return a.ok ? keygen_command(a) : usage();
    }
    if (command == "pdf-identity") {
      const auto a = parse(args, {"dir", "name"});
      return a.ok ? pdf_identity_command(a) : usage();
    }
    if (command == "pdf-csr") {
      const auto a = parse(args, {"key", "name", "out"});
      return a.ok ? pdf_csr_command(a) : usage();
    }
    return usage();
  } catch (const std::exception& e) {
    std::cerr << "portcullis-audit: " << e.what() << '\n';
    return 3;
  }
}
