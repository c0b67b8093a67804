// Restart benchmark: N stored device events (default 1,000,000: badge grants in and out, door contacts and
// heartbeats at the example data center, sealed into the chain and written with COPY), then the time from
// Sequencer::start() to serving, replaying the whole history, against starting from an engine snapshot at
// N plus a tail of T records written after it. Both in the same run, on the same database.
// Run through ./scripts/bench, or with PORTCULLIS_TEST_PGHOST/PORT.
//   restart_bench [N] [TAIL] [AGAIN]   (AGAIN = 0 skips the second replay from zero, of N + TAIL)
#include <pqxx/pqxx>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/ledger/event_record.hpp"
#include "portcullis/site_file/site_file.hpp"
#include "portcullis/storage/event_store.hpp"
#include "portcullis/storage/site_versions.hpp"
#include "server_process.hpp"
#include "test_database.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace portcullis;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Alice badges in and out at the lobby, the door opens and closes behind her, the controller beats.
ledger::EventRecord make_event(std::int64_t seq) {
  ledger::EventRecord r;
  r.site_id = "ams-dc1";
  r.site_seq = seq;
  r.source = ledger::Source::Device;
  r.device_id = "ctl-lobby";
  r.device_seq = seq;
  r.received_us = 1'795'600'800'000'000 + seq * 10'000;
  r.device_time_us = r.received_us;
  switch (seq % 5) {
    case 0:
      r.type = "credential";
      r.payload =
          R"({"card":{"facility":42,"format":"facility_number","number":10001},"reader":"rdr-lobby-in","type":"credential"})";
      break;
    case 1:
      r.type = "door_contact";
      r.payload = R"({"portal":"main-entrance","state":"open","type":"door_contact"})";
      break;
    case 2:
      r.type = "door_contact";
      r.payload = R"({"portal":"main-entrance","state":"closed","type":"door_contact"})";
      break;
    case 3:
      r.type = "credential";
      r.payload =
          R"({"card":{"facility":42,"format":"facility_number","number":10001},"reader":"rdr-lobby-out","type":"credential"})";
      break;
    default: r.type = "heartbeat"; r.payload = R"({"type":"heartbeat"})";
  }
  r.outcome = R"({"alarms":[],"decision":null})";
  return r;
}

void seed(const std::string& database, std::int64_t from, std::int64_t to, ledger::Hash& prev) {
  pqxx::connection c{database};
  std::vector<ledger::EventRecord> batch;
  for (std::int64_t seq = from; seq <= to;) {
    pqxx::work tx{c};
    for (int in_tx = 0; in_tx < 20 && seq <= to; ++in_tx) {
      batch.clear();
      for (; batch.size() < 50'000 && seq <= to; ++seq) {
        batch.push_back(make_event(seq));
        prev = ledger::seal(batch.back(), prev);
      }
      storage::EventStore::append(tx, batch);
    }
    tx.commit();
  }
}

struct Started {
  double seconds = 0;
  std::int64_t replayed = 0;
  std::int64_t snapshot_seq = 0;
};

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t n = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
  const std::int64_t tail = argc > 2 ? std::atoll(argv[2]) : 100'000;
  const bool again = argc > 3 ? std::atoi(argv[3]) != 0 : true;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  if (!testing::TestDatabase::available()) {
    std::fprintf(stderr, "run through ./scripts/bench, which starts PostgreSQL\n");
    return 2;
  }
  testing::TestDatabase db;
  std::ifstream in(testing::source_dir() + "/examples/datacenter.site.json");
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = site_file::parse_site_json(text.str());
  const auto definition = std::make_shared<const core::SiteDefinition>(parsed.definition);
  const auto model = core::SiteModel::build(parsed.definition).model;
  const auto hash = storage::site_content_hash_hex(text.str());
  core::SystemClock clock;
  metrics::ServerMetrics metrics;

  auto start = [&](bool load, bool write) {
    ingest::SequencerConfig config;
    config.site_id = "ams-dc1";
    config.database = db.app();
    config.follower = !write;  // a follower writes nothing: every start sees the same rows
    config.snapshots.load = load;
    config.snapshots.every_events = 1;
    Started out;
    const auto t0 = Clock::now();
    ingest::Sequencer s{config, model, clock, metrics};
    s.set_initial_site(definition, hash, text.str());
    s.start();
    out.seconds = seconds_since(t0);
    out.replayed = s.replayed_events();
    out.snapshot_seq = s.snapshot_seq();
    s.stop();
    return out;
  };

  std::printf(
      "restart benchmark: %lld stored events, tail of %lld after the snapshot (%u hardware threads)\n",
      static_cast<long long>(n), static_cast<long long>(tail), std::thread::hardware_concurrency());
  ledger::Hash prev{};
  auto t0 = Clock::now();
  seed(db.app(), 1, n, prev);
  std::printf("seed: %lld events in %.1f s\n", static_cast<long long>(n), seconds_since(t0));
  {
    pqxx::connection admin{db.admin()};
    pqxx::nontransaction ntx{admin};
    ntx.exec("VACUUM (ANALYZE) events");
    ntx.exec("CHECKPOINT");
  }

  const auto zero = start(false, false);
  std::printf("replay from zero: %lld records in %.2f s (%.2f us per record; 10,000,000 records: %.0f s)\n",
              static_cast<long long>(zero.replayed), zero.seconds,
              1e6 * zero.seconds / static_cast<double>(zero.replayed),
              1e7 * zero.seconds / static_cast<double>(zero.replayed));

  t0 = Clock::now();
  const auto writer = start(false, true);  // the owner replays, then stores a snapshot at N
  std::printf("owner start writing the snapshot: %.2f s (replay) + %.2f s until stopped (snapshot stored)\n",
              writer.seconds, seconds_since(t0) - writer.seconds);
  {
    pqxx::connection admin{db.admin()};
    pqxx::nontransaction ntx{admin};
    const auto row =
        ntx.exec("SELECT site_seq, length(body) FROM engine_snapshots ORDER BY site_seq DESC LIMIT 1");
    if (row.empty()) {
      std::fprintf(stderr, "no snapshot was stored\n");
      return 1;
    }
    std::printf("snapshot at site_seq %lld: %lld bytes\n", row[0][0].as<long long>(),
                row[0][1].as<long long>());
  }
  // Appended after the snapshot (continuing the owner's chain, which may have sealed records of its own).
  std::int64_t head = 0;
  {
    pqxx::connection admin{db.admin()};
    pqxx::nontransaction ntx{admin};
    const auto row = ntx.exec("SELECT site_seq, hash FROM events ORDER BY site_seq DESC LIMIT 1");
    head = row[0][0].as<std::int64_t>();
    prev = *ledger::hash_from_bytes(pqxx::binarystring{row[0][1]}.str());
  }
  seed(db.app(), head + 1, head + tail, prev);

  const auto from_snapshot = start(true, false);
  if (!again) {
    std::printf("start from the snapshot at %lld + %lld tail records: %.2f s\n",
                static_cast<long long>(from_snapshot.snapshot_seq),
                static_cast<long long>(from_snapshot.replayed), from_snapshot.seconds);
    return 0;
  }
  const auto zero_again = start(false, false);
  std::printf("start from the snapshot at %lld + %lld tail records: %.2f s\n",
              static_cast<long long>(from_snapshot.snapshot_seq),
              static_cast<long long>(from_snapshot.replayed), from_snapshot.seconds);
  std::printf("replay from zero of the same %lld records: %.2f s\n",
              static_cast<long long>(zero_again.replayed), zero_again.seconds);
  return 0;
}
