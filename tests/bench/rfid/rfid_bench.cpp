// RFID benchmark: readers post batches of tag reads to the real portcullisd over HTTPS; the
// server de-duplicates them per (tag, reader), applies them to the asset book and durably stores only the
// changes of location before it answers. Baseline in the same run: the same number of movement records
// written straight into PostgreSQL with COPY (no HTTP, no de-duplication, no asset book).
// Run through ./scripts/bench (it starts PostgreSQL); prints figures for docs/performance.md.
#include <pqxx/pqxx>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "portcullis/client/https_client.hpp"
#include "portcullis/ledger/event_record.hpp"
#include "portcullis/storage/event_store.hpp"
#include "server_process.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using portcullis::client::ClientTls;
using portcullis::client::HttpsClient;

std::string epc_of(int asset) {
  return "urn:epc:id:giai:4012345.BENCH-" + std::to_string(asset);
}

// EPCIS 2.0 commissioning of assets [first, last): registers them (no home rack: no missing/wrong-rack
// alarms).
std::string commissioning(int first, int last) {
  std::string events;
  for (int a = first; a < last; ++a) {
    char id[64];
    std::snprintf(id, sizeof id, "urn:uuid:00000000-0000-4000-8000-%012d", a);
    if (!events.empty()) events += ',';
    events += R"({"type":"ObjectEvent","eventID":")" + std::string(id) +
              R"(","eventTime":"2026-11-27T10:00:00Z","eventTimeZoneOffset":"+00:00","epcList":[")" +
              epc_of(a) + R"("],"action":"ADD","bizStep":"commissioning"})";
  }
  return R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-27T10:00:00Z","epcisBody":{"eventList":[)" +
         events + "]}}";
}

struct Phase {
  double reads_per_second = 0;
  double p50_ms = 0, p99_ms = 0;
  long reads = 0, movements = 0, duplicates = 0, failures = 0;
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

long field(const std::string& body, const std::string& name) {
  const auto at = body.find("\"" + name + "\":");
  return at == std::string::npos ? 0 : std::atol(body.c_str() + at + name.size() + 3);
}

// Each reader device owns a slice of the tags and reads them round after round at one of two rack readers;
// every `switch_every` rounds its tags move to the other rack. Readers repeat tags many times a second, as
// real ones do: most reads are duplicates within the de-duplication window.
Phase run_readers(unsigned short port, const std::vector<std::string>& tokens, int assets, int batch,
                  const std::vector<std::string>& readers, int switch_every, double seconds) {
  std::mutex mutex;
  std::vector<double> latencies;
  std::atomic<long> reads{0}, movements{0}, duplicates{0}, failures{0};
  const auto start = Clock::now();
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  const int devices = static_cast<int>(tokens.size());
  for (int d = 0; d < devices; ++d) {
    threads.emplace_back([&, d] {
      HttpsClient client{"localhost", port, ClientTls{portcullis::testing::test_tls().ca, "", ""}};
      const std::string device = "bench-rfid-" + std::to_string(d);
      const int first = assets * d / devices, last = assets * (d + 1) / devices, slice = last - first;
      std::vector<double> mine;
      long k = 0;
      while (Clock::now() < end) {
        std::string body = R"({"device_id":")" + device + R"(","reads":[)";
        for (int i = 0; i < batch; ++i, ++k) {
          const long round = k / slice;
          const auto& reader = readers[static_cast<std::size_t>(round / switch_every) % readers.size()];
          if (i) body += ',';
          body += R"({"reader":")" + reader + R"(","epc":")" + epc_of(first + static_cast<int>(k % slice)) +
                  R"(","count":3})";
        }
        body += "]}";
        const auto sent = Clock::now();
        try {
          const auto reply =
              client.post_json("/api/v1/rfid/reads", body, tokens[static_cast<std::size_t>(d)]);
          if (reply.status == 200) {
            mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
            if (std::getenv("RFID_BENCH_TRACE") != nullptr)
              std::fprintf(stderr, "%.1f ms %s\n", mine.back(), reply.body.c_str());
            reads += batch;
            movements += field(reply.body, "movements");
            duplicates += field(reply.body, "duplicates");
          } else {
            ++failures;
          }
        } catch (const std::exception&) {
          ++failures;
        }
      }
      std::lock_guard lock{mutex};
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  Phase p;
  p.reads = reads.load();
  p.movements = movements.load();
  p.duplicates = duplicates.load();
  p.failures = failures.load();
  p.reads_per_second = static_cast<double>(p.reads) / elapsed;
  p.p50_ms = percentile(latencies, 0.50);
  p.p99_ms = percentile(latencies, 0.99);
  return p;
}

// The same movement records, sealed into a chain, written with COPY in batches of 1,000 (one commit each,
// like the server's group commits under this load).
double copy_baseline(const std::string& database, long rows) {
  pqxx::connection c{database};
  static int run = 0;
  const std::string site = "baseline-" + std::to_string(++run);
  portcullis::ledger::Hash head{};
  const auto start = Clock::now();
  constexpr long kBatch = 1'000;
  for (long done = 0; done < rows; done += kBatch) {
    std::vector<portcullis::ledger::EventRecord> records;
    for (long i = 0; i < kBatch && done + i < rows; ++i) {
      portcullis::ledger::EventRecord r;
      r.source = portcullis::ledger::Source::Server;
      r.site_id = site;
      r.site_seq = done + i + 1;
      r.device_id = "baseline-device";
      r.type = "asset.moved";
      r.received_us = 1;
      r.payload =
          R"({"asset":"urn:epc:id:giai:4012345.BENCH-1","at_us":1,"device":"bench-rfid-0","epc":"urn:epc:id:giai:4012345.BENCH-1","from":{"rack":"rack-c01","zone":"compute-hall"},"reader":"rfid-rack-c02","reads":12,"to":{"rack":"rack-c02","zone":"compute-hall"}})";
      r.outcome = R"({"alarms":[],"changes":[],"decision":null})";
      head = portcullis::ledger::seal(r, head);
      records.push_back(std::move(r));
    }
    pqxx::work tx{c};
    portcullis::storage::EventStore::append(tx, records);
    tx.commit();
  }
  return static_cast<double>(rows) / std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 10.0;
  const int devices = argc > 2 ? std::atoi(argv[2]) : 4;
  const int assets = argc > 3 ? std::atoi(argv[3]) : 40'000;
  const int batch = argc > 4 ? std::atoi(argv[4]) : 1'000;
  if (!portcullis::testing::TestDatabase::available()) {
    std::fprintf(stderr, "run through ./scripts/bench, which starts PostgreSQL\n");
    return 2;
  }
  portcullis::testing::TestDatabase db;
  portcullis::testing::ServerProcess server{db, portcullis::testing::example_site_env()};
  std::vector<std::string> tokens;
  for (int d = 0; d < devices; ++d)
    tokens.push_back(server.enrol_device("bench-rfid-" + std::to_string(d), "rfid-reader"));
  const auto registrar = server.enrol_device("bench-registrar", "rfid-reader");
  server.start();
  {
    HttpsClient client{"localhost", server.port(), ClientTls{portcullis::testing::test_tls().ca, "", ""}};
    for (int a = 0; a < assets; a += 1000) {
      const auto r =
          client.request("POST", "/epcis/capture", commissioning(a, std::min(assets, a + 1000)), registrar);
      if (r.status != 202) {
        std::fprintf(stderr, "commissioning failed: %d %s\n", r.status, r.body.substr(0, 400).c_str());
        return 1;
      }
    }
  }
  std::printf(
      "machine: %u hardware threads; PostgreSQL on the same machine, fsync=on, synchronous_commit=on\n",
      std::thread::hardware_concurrency());
  std::printf("%d reader devices (HTTPS keep-alive), %d reads per request, %d tags registered by EPCIS\n",
              devices, batch, assets);
  auto report = [&](const char* name, const Phase& p, double phase_seconds) {
    const double baseline = copy_baseline(db.admin(), std::max(p.movements, 10'000L));
    const double movements_per_second = static_cast<double>(p.movements) / phase_seconds;
    std::printf("\n%s\n", name);
    std::printf("  %-50s %9.0f movements/s  (1.00x)\n", "baseline: the same movements by COPY, 1,000/commit",
                baseline);
    std::printf("  %-50s %9.0f reads/s      target >= 50,000: %s\n",
                "portcullisd: reads in, de-duplicated, applied", p.reads_per_second,
                p.reads_per_second >= 50'000 ? "met" : "NOT met");
    std::printf("  %-50s %9.0f movements/s  (%.2fx baseline)\n", "portcullisd: movements durably stored",
                movements_per_second, movements_per_second / baseline);
    std::printf(
        "  reads %ld, duplicates %ld (%.0f %%), movements %ld, failures %ld; per request p50 %.1f ms, p99 "
        "%.1f ms\n",
        p.reads, p.duplicates,
        100.0 * static_cast<double>(p.duplicates) / static_cast<double>(std::max(p.reads, 1L)), p.movements,
        p.failures, p.p50_ms, p.p99_ms);
  };
  // Steady: a quarter of the tags, read over and over at their rack (most reads are repeats within the
  // de-duplication window); every 10 passes they move to the other rack.
  report(
      "steady: 1/4 of the tags re-read at their rack, moving every 10 passes",
      run_readers(server.port(), tokens, assets / 4, batch, {"rfid-rack-c01", "rfid-rack-c02"}, 10, seconds),
      seconds);
  // Moving: every tag is read at the next of four rack readers on each pass, so nearly every read is a change
  // of location to store: the worst case for storage.
  report("moving: every tag read at the next of four racks on each pass (nearly every read a movement)",
         run_readers(server.port(), tokens, assets, batch,
                     {"rfid-rack-c01", "rfid-rack-c02", "rfid-rack-w01", "rfid-rack-w02"}, 1, seconds),
         seconds);
  server.stop();
  return 0;
}
