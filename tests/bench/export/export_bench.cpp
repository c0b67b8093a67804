// Evidence export benchmark: N stored events (default 10,000,000, sealed into the chain and written with
// COPY through EventStore::append), then the access report of all of them exported as CSV by the real
// `portcullis-audit export` (streamed, formula-neutralized, SHA-256, fsync, Ed25519-signed manifest) against
// `psql -c "\copy (the same SELECT) TO file CSV"` in the same run. Both run as child processes; their wall
// time and peak RSS (wait4) are reported. Run through ./scripts/bench, or with PORTCULLIS_TEST_PGHOST/PORT.
//   export_bench [N] [RUNS]
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <pqxx/pqxx>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "portcullis/audit/pdf_signature.hpp"
#include "portcullis/audit/report.hpp"
#include "portcullis/audit/signing.hpp"
#include "portcullis/ledger/event_record.hpp"
#include "portcullis/storage/event_store.hpp"
#include "test_database.hpp"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

struct ChildRun {
  double seconds = 0;
  long peak_rss_kb = 0;
  double cpu_seconds = 0;  // user + system of the child itself
  int status = -1;
};

// Runs argv[0] with argv (no shell), stdout to `log`; wall time and the child's own peak RSS.
ChildRun run(const std::vector<std::string>& args, const std::string& log) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  ChildRun r;
  const auto start = Clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
    posix_spawn_file_actions_destroy(&actions);
    std::fprintf(stderr, "cannot start %s\n", argv[0]);
    return r;
  }
  posix_spawn_file_actions_destroy(&actions);
  // The child's own peak RSS: VmHWM of its address space, sampled until it exits. (wait4's ru_maxrss would
  // also count this process, whose memory the child had before exec.)
  int status = 0;
  for (;;) {
    if (FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/status").c_str(), "r")) {
      char line[256];
      while (std::fgets(line, sizeof line, f) != nullptr) {
        long kb = 0;
        if (std::sscanf(line, "VmHWM: %ld kB", &kb) == 1 && kb > r.peak_rss_kb) r.peak_rss_kb = kb;
      }
      std::fclose(f);
    }
    struct rusage usage {};
    if (::wait4(pid, &status, WNOHANG, &usage) == pid) {
      r.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                      static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  r.seconds = seconds_since(start);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// A realistic mix: 70 % badge decisions (1 in 6 denied), 25 % door contacts and heartbeats without a
// decision, 5 % with an alarm; a few values that need CSV quoting or neutralization.
portcullis::ledger::EventRecord make_event(std::int64_t seq, std::mt19937_64& rng) {
  static const char* persons[] = {"alice-nguyen", "bob-okafor", "carol-smith",
                                  "dan-o'brien",  "=eve",       "frank, jr."};
  static const char* portals[] = {"main-entrance", "hall-a-door", "cage-7", "mantrap-1", "loading-dock"};
  portcullis::ledger::EventRecord r;
  r.site_id = "main";
  r.site_seq = seq;
  r.source = portcullis::ledger::Source::Device;
  r.device_id = "rdr-" + std::to_string(seq % 500);
  r.device_seq = seq;
  r.received_us = 1'795'737'600'000'000 + seq * 8'640;  // ~100 days for 10 M events
  r.device_time_us = r.received_us - 1500;
  const auto roll = rng() % 100;
  const char* person = persons[rng() % 6];
  const char* portal = portals[rng() % 5];
  if (roll < 70) {
    const bool deny = rng() % 6 == 0;
    r.type = "credential";
    r.payload = std::string{R"({"card":{"facility":42,"number":)"} + std::to_string(10000 + rng() % 5000) +
                R"(},"reader":")" + portal + R"(-in","type":"credential"})";
    r.outcome = std::string{R"({"alarms":[],"decision":{"destination":"zone-)"} + std::to_string(rng() % 40) +
                R"(","person":")" + (person[0] == '=' ? std::string{"=eve"} : std::string{person}) +
                R"(","portal":")" + portal + R"(","reason":")" + (deny ? "no_grant" : "granted") +
                R"(","verdict":")" + (deny ? "deny" : "grant") + R"("}})";
  } else if (roll < 95) {
    r.type = roll < 85 ? "door_contact" : "heartbeat";
    r.payload = roll < 85
                    ? std::string{R"({"portal":")"} + portal + R"(","state":"closed","type":"door_contact"})"
                    : std::string{R"({"type":"heartbeat"})"};
    r.outcome = R"({"alarms":[],"decision":null})";
  } else {
    r.type = "door_contact";
    r.payload = std::string{R"({"portal":")"} + portal + R"(","state":"open","type":"door_contact"})";
    r.outcome = std::string{R"({"alarms":[{"kind":"door_forced","severity":"high","subject":")"} + portal +
                R"("}],"decision":null})";
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 10'000'000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 2;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  if (!portcullis::testing::TestDatabase::available()) {
    std::fprintf(stderr, "run through ./scripts/bench, which starts PostgreSQL\n");
    return 2;
  }
  portcullis::testing::TestDatabase db;
  const std::string psql = env_or("PORTCULLIS_PSQL", "/usr/lib/postgresql/15/bin/psql");
  const fs::path work = fs::temp_directory_path() / ("portcullis-export-bench-" + db.name());
  fs::create_directories(work);
  std::printf(
      "export benchmark: %ld events, %d runs each; PostgreSQL on the same machine (%u hardware threads)\n", n,
      runs, std::thread::hardware_concurrency());

  // Seed: sealed records, COPY in batches of 50,000, a commit every 1,000,000.
  {
    const auto start = Clock::now();
    pqxx::connection c{db.app()};
    std::mt19937_64 rng{42};
    portcullis::ledger::Hash prev{};
    std::vector<portcullis::ledger::EventRecord> batch;
    long seq = 0;
    while (seq < n) {
      pqxx::work tx{c};
      for (long in_tx = 0; in_tx < 1'000'000 && seq < n;) {
        batch.clear();
        for (; batch.size() < 50'000 && seq < n; ++in_tx) {
          batch.push_back(make_event(++seq, rng));
          prev = portcullis::ledger::seal(batch.back(), prev);
        }
        portcullis::storage::EventStore::append(tx, batch);
      }
      tx.commit();
    }
    const double seed_s = seconds_since(start);
    std::printf("seed: %ld events sealed and written with COPY in %.1f s (%.0f events/s)\n", n, seed_s,
                static_cast<double>(n) / seed_s);
    const auto vacuum = Clock::now();
    pqxx::connection admin{db.admin()};
    pqxx::nontransaction ntx{admin};
    ntx.exec("VACUUM (ANALYZE) events");
    ntx.exec("CHECKPOINT");  // the seed's dirty pages are written now, not during the measured exports
    const auto size =
        ntx.exec("SELECT pg_size_pretty(pg_total_relation_size('events'))")[0][0].as<std::string>();
    std::printf("vacuum analyze: %.1f s; events table with indexes: %s\n", seconds_since(vacuum),
                size.c_str());
  }

  const auto keys = portcullis::audit::generate_key_files((work / "keys").string());
  // The PDF export signs as PAdES too, as a site's exports do (keygen makes this pair).
  portcullis::audit::generate_pdf_signing_identity((work / "keys").string(), "Portcullis export bench");
  const std::string select =
      portcullis::audit::report_select(portcullis::audit::ReportKind::Access, {}, "main");
  // psql's \copy takes the query on one line.
  const std::string copy = "\\copy (" + select + ") TO '" + (work / "psql.csv").string() + "' CSV";
  std::string host = env_or("PORTCULLIS_TEST_PGHOST", "");
  std::string port = env_or("PORTCULLIS_TEST_PGPORT", "5432");
  const std::vector<std::string> psql_args = {
      psql, "-X", "-q", "-h", host, "-p", port, "-U", "portcullis_app", "-d", db.name(), "-c", copy};
  auto exporter_args = [&](const std::string& format, const std::string& out) {
    return std::vector<std::string>{
        PORTCULLIS_AUDIT_BIN, "export",     "--report", "access", "--format", format, "--out", out, "--key",
        keys.private_path,    "--database", db.app()};
  };

  ChildRun best_psql, best_export;
  for (int i = 0; i < runs; ++i) {
    // Alternate which goes first, so neither always meets the colder cache.
    ChildRun p, e;
    const auto export_csv = [&] {
      return run(exporter_args("csv", (work / "export.csv").string()), (work / "export.log").string());
    };
    if (i % 2 == 1) e = export_csv();
    p = run(psql_args, (work / "psql.log").string());
    if (i % 2 == 0) e = export_csv();
    if (p.status != 0) {
      std::fprintf(stderr, "psql failed, see %s\n", (work / "psql.log").c_str());
      return 1;
    }
    if (e.status != 0) {
      std::fprintf(stderr, "portcullis-audit export failed, see %s\n", (work / "export.log").c_str());
      return 1;
    }
    std::printf(
        "run %d: psql \\copy %.2f s (CPU %.2f s, peak RSS %ld KiB), portcullis-audit export %.2f s (CPU %.2f "
        "s, "
        "peak RSS %ld KiB)\n",
        i + 1, p.seconds, p.cpu_seconds, p.peak_rss_kb, e.seconds, e.cpu_seconds, e.peak_rss_kb);
    if (i == 0 || p.seconds < best_psql.seconds) best_psql = p;
    if (i == 0 || e.seconds < best_export.seconds) best_export = e;
  }
  // Rows: the data lines of psql's file; the exporter adds one header line.
  long rows = 0;
  {
    FILE* f = std::fopen((work / "psql.csv").c_str(), "rb");
    std::vector<char> buf(1 << 20);
    std::size_t got = 0;
    while ((got = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
      for (std::size_t i = 0; i < got; ++i) rows += buf[i] == '\n' ? 1 : 0;
    }
    std::fclose(f);
  }
  const auto jsonl =
      run(exporter_args("jsonl", (work / "export.jsonl").string()), (work / "export.log").string());
  // The human-readable PDF (charts pass + table, PAdES-signed): pages per second and peak RSS.
  const auto pdf = run(exporter_args("pdf", (work / "export.pdf").string()), (work / "pdf.log").string());
  long pdf_pages = 0;
  {
    std::ifstream log{work / "pdf.log"};
    std::string line;
    while (std::getline(log, line)) {
      if (line.rfind("PDF: ", 0) == 0) pdf_pages = std::atol(line.c_str() + 5);
    }
  }
  auto pdf_tenth_args = exporter_args("pdf", (work / "tenth.pdf").string());
  pdf_tenth_args.push_back("--to");
  pdf_tenth_args.push_back(portcullis::audit::rfc3339_from_micros(1'795'737'600'000'000 + n / 10 * 8'640));
  const auto pdf_tenth = run(pdf_tenth_args, (work / "pdf.log").string());
  // Flat memory: the same export over a tenth of the history.
  auto tenth_args = exporter_args("csv", (work / "tenth.csv").string());
  tenth_args.push_back("--to");
  tenth_args.push_back(portcullis::audit::rfc3339_from_micros(1'795'737'600'000'000 + n / 10 * 8'640));
  const auto tenth = run(tenth_args, (work / "export.log").string());

  const double psql_rate = static_cast<double>(rows) / best_psql.seconds;
  const double export_rate = static_cast<double>(rows) / best_export.seconds;
  std::printf("access report, all %ld decisions of %ld events (best of %d):\n", rows, n, runs);
  std::printf("  psql \\copy (same SELECT) TO file CSV   %10.0f rows/s  %7.2f s  peak RSS %6ld KiB\n",
              psql_rate, best_psql.seconds, best_psql.peak_rss_kb);
  std::printf(
      "  portcullis-audit export --format csv   %10.0f rows/s  %7.2f s  peak RSS %6ld KiB  ratio %.2f "
      "(target >= 0.70)\n",
      export_rate, best_export.seconds, best_export.peak_rss_kb, export_rate / psql_rate);
  std::printf("  portcullis-audit export --format jsonl %10.0f rows/s  %7.2f s  peak RSS %6ld KiB\n",
              static_cast<double>(rows) / jsonl.seconds, jsonl.seconds, jsonl.peak_rss_kb);
  std::printf(
      "  export of a tenth of the history       %7.2f s  peak RSS %6ld KiB (flat memory: same as the "
      "whole)\n",
      tenth.seconds, tenth.peak_rss_kb);
  std::printf(
      "  portcullis-audit export --format pdf   %10.0f rows/s  %7.2f s  %ld pages, %.1f pages/s, %.0f MB, "
      "CPU %.2f s, peak RSS %6ld KiB%s\n",
      static_cast<double>(rows) / pdf.seconds, pdf.seconds, pdf_pages,
      static_cast<double>(pdf_pages) / pdf.seconds,
      fs::exists(work / "export.pdf") ? static_cast<double>(fs::file_size(work / "export.pdf")) / 1e6 : 0.0,
      pdf.cpu_seconds, pdf.peak_rss_kb, pdf.status == 0 ? "" : "  FAILED");
  std::printf("  PDF of a tenth of the history          %7.2f s  peak RSS %6ld KiB%s\n", pdf_tenth.seconds,
              pdf_tenth.peak_rss_kb, pdf_tenth.status == 0 ? "" : "  FAILED");
  std::printf(
      "  file sizes: psql %.0f MB, export %.0f MB (quoted/neutralized cells, RFC 3339 times, header)\n",
      static_cast<double>(fs::file_size(work / "psql.csv")) / 1e6,
      static_cast<double>(fs::file_size(work / "export.csv")) / 1e6);
  // For docs/audit.md: what a checkpoint costs (it verifies the whole chain first).
  const auto checkpoint = run({PORTCULLIS_AUDIT_BIN, "checkpoint", "--dir", (work / "checkpoints").string(),
                               "--key", keys.private_path, "--database", db.app()},
                              (work / "checkpoint.log").string());
  std::printf(
      "  portcullis-audit checkpoint (verifies the chain of %ld events, signs the head) %7.2f s  peak RSS "
      "%6ld KiB%s\n",
      n, checkpoint.seconds, checkpoint.peak_rss_kb, checkpoint.status == 0 ? "" : "  FAILED");
  fs::remove_all(work);
  return 0;
}
