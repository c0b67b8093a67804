// Ingest benchmark: many simulated devices post events to the real portcullisd over HTTPS and every
// answer waits for a durable group commit. Baseline in the same run: the same kind of rows written
// straight into PostgreSQL by one client with COPY in large batches (no HTTP, no decisions).
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

struct Phase {
  double events_per_second = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  long events = 0, failures = 0;
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

std::string body_for(const std::string& device, long seq, int batch) {
  auto one = [&](long s) {
    return R"({"device_id":")" + device + R"(","seq":)" + std::to_string(s) +
           R"(,"time":"2026-11-27T10:00:00.000Z","type":"credential","reader":"rdr-lobby-in","card":{"facility":42,"number":10001}})";
  };
  if (batch == 1) return one(seq);
  std::string body = "{\"events\":[";
  for (int i = 0; i < batch; ++i) body += (i ? "," : "") + one(seq + i);
  return body + "]}";
}

// rate_per_second == 0: closed loop (as fast as answers come back). Otherwise open loop at that total
// rate; latency is measured from each event's scheduled time, so a stall is not hidden.
Phase run_devices(unsigned short port, const std::vector<std::string>& tokens, int batch, double seconds,
                  double rate_per_second, std::atomic<long>& next_seq_base) {
  std::mutex mutex;
  std::vector<double> latencies;
  std::atomic<long> events{0}, failures{0};
  const auto start = Clock::now();
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  const auto devices = tokens.size();
  for (std::size_t d = 0; d < devices; ++d) {
    threads.emplace_back([&, d] {
      HttpsClient client{"localhost", port, ClientTls{portcullis::testing::test_tls().ca, "", ""}};
      const std::string device = "bench-" + std::to_string(d);
      std::vector<double> mine;
      long seq = next_seq_base.load() + 1;
      const double interval =
          rate_per_second > 0 ? static_cast<double>(devices * batch) / rate_per_second : 0;
      auto scheduled = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                   interval * static_cast<double>(d) / static_cast<double>(devices)));
      while (Clock::now() < end) {
        if (interval > 0) std::this_thread::sleep_until(scheduled);
        const auto sent = interval > 0 ? scheduled : Clock::now();
        try {
          const auto reply = client.post_json("/api/v1/events", body_for(device, seq, batch), tokens[d]);
          if (reply.status == 200) {
            mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
            events += batch;
            seq += batch;
          } else {
            ++failures;
          }
        } catch (const std::exception&) {
          ++failures;
        }
        if (interval > 0) {
          scheduled += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval));
        }
      }
      std::lock_guard lock{mutex};
      latencies.insert(latencies.end(), mine.begin(), mine.end());
      next_seq_base.store(std::max(next_seq_base.load(), seq));
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  Phase p;
  p.events = events.load();
  p.failures = failures.load();
  p.events_per_second = static_cast<double>(p.events) / elapsed;
  p.p50_ms = percentile(latencies, 0.50);
  p.p99_ms = percentile(latencies, 0.99);
  p.max_ms = latencies.empty() ? 0 : latencies.back();
  return p;
}

double copy_baseline(const std::string& database, long rows) {
  pqxx::connection c{database};
  portcullis::ledger::Hash head{};
  const auto start = Clock::now();
  constexpr long kBatch = 10'000;
  for (long done = 0; done < rows; done += kBatch) {
    std::vector<portcullis::ledger::EventRecord> records;
    records.reserve(kBatch);
    for (long i = 0; i < kBatch; ++i) {
      portcullis::ledger::EventRecord r;
      r.site_id = "baseline";
      r.site_seq = done + i + 1;
      r.device_id = "baseline-device";
      r.device_seq = done + i + 1;
      r.type = "credential";
      r.device_time_us = 1;
      r.received_us = 1;
      r.payload =
          R"({"card":{"facility":42,"format":"facility_number","number":10001},"reader":"rdr-lobby-in","type":"credential"})";
      r.outcome =
          R"({"alarms":[],"decision":{"destination":"reception","person":"alice-nguyen","portal":"main-entrance","reason":"granted","verdict":"grant"}})";
      head = portcullis::ledger::seal(r, head);
      records.push_back(std::move(r));
    }
    pqxx::work tx{c};
    portcullis::storage::EventStore::append(tx, records);
    tx.commit();
  }
  return static_cast<double>(rows) / std::chrono::duration<double>(Clock::now() - start).count();
}

void print(const char* name, const Phase& p, double baseline) {
  std::printf(
      "%-44s %9.0f events/s  (%.2fx baseline)  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  failures %ld\n",
      name, p.events_per_second, p.events_per_second / baseline, p.p50_ms, p.p99_ms, p.max_ms, p.failures);
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 10.0;
  const int devices = argc > 2 ? std::atoi(argv[2]) : 32;
  if (!portcullis::testing::TestDatabase::available()) {
    std::fprintf(stderr, "run through ./scripts/bench, which starts PostgreSQL\n");
    return 2;
  }
  portcullis::testing::TestDatabase db;
  portcullis::testing::ServerProcess server{db, portcullis::testing::example_site_env()};
  std::vector<std::string> tokens;
  for (int d = 0; d < devices; ++d) tokens.push_back(server.enrol_device("bench-" + std::to_string(d)));
  server.start();

  std::printf(
      "machine: %u hardware threads; PostgreSQL on the same machine, fsync=on, synchronous_commit=on\n",
      std::thread::hardware_concurrency());
  const double baseline = copy_baseline(db.admin(), 200'000);
  std::printf("%-44s %9.0f events/s  (1.00x baseline)\n", "baseline: COPY, 10,000 rows per commit", baseline);

  std::atomic<long> seq{0};
  print(("closed loop, " + std::to_string(devices) + " devices, 1 event/request").c_str(),
        run_devices(server.port(), tokens, 1, seconds, 0, seq), baseline);
  print(("closed loop, " + std::to_string(devices) + " devices, 20 events/request").c_str(),
        run_devices(server.port(), tokens, 20, seconds, 0, seq), baseline);
  print("open loop at 5,000 events/s, 1 event/request",
        run_devices(server.port(), tokens, 1, seconds, 5000, seq), baseline);
  server.stop();
  return 0;
}
