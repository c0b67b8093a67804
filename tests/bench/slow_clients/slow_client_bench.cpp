// Slow-client benchmark: a door controller posts badge events at a steady rate to the real portcullisd, first
// alone, then while hundreds of connections from one address (and then from eight) hold TLS handshakes open
// without starting them and trickle request headers a byte at a time, reconnecting whenever the server drops
// them. Prints the controller's latency p50/p99 in each phase and the ratio to the phase without them.
//
//   slow_client_bench [SECONDS_PER_PHASE] [SLOW_CONNECTIONS_PER_ADDRESS]
// With PORTCULLIS_BENCH_PORT, PORTCULLIS_BENCH_TOKEN (the token of ctl-lobby) and PORTCULLIS_BENCH_CA it is
// pointed at a server already running on 127.0.0.1; otherwise it starts one (run through ./scripts/bench,
// which starts PostgreSQL).
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "portcullis/client/https_client.hpp"
#include "raw_tls.hpp"
#include "server_process.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct Latency {
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  long answers = 0, failures = 0;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// The lobby controller badging Alice's card at `rate` events per second, one request at a time over one
// keep-alive connection, as a controller does.
Latency measure_door(unsigned short port, const std::string& ca, const std::string& token, long& seq,
                     double rate, double seconds) {
  portcullis::client::HttpsClient door{"127.0.0.1", port, portcullis::client::ClientTls{ca, "", ""}};
  std::vector<double> ms;
  Latency out;
  const auto interval =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / rate));
  const auto end =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  auto due = Clock::now();
  while (Clock::now() < end) {
    std::this_thread::sleep_until(due);
    due += interval;
    const auto body =
        R"({"device_id":"ctl-lobby","seq":)" + std::to_string(++seq) + R"(,"time":")" +
        portcullis::testing::device_time_now() +
        R"(","type":"credential","reader":"rdr-lobby-in","card":{"facility":42,"number":10001}})";
    const auto started = Clock::now();
    try {
      const auto r = door.post_json("/api/v1/events", body, token);
      if (r.status != 200) ++out.failures;
    } catch (const std::exception&) {
      ++out.failures;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
  }
  out.answers = static_cast<long>(ms.size());
  out.p50_ms = percentile(ms, 0.5);
  out.p99_ms = percentile(ms, 0.99);
  out.max_ms = ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end());
  return out;
}

// Slow clients from the given addresses: half of each address's connections never start their TLS handshake,
// the other half complete it and send a request header one byte every 500 ms. A connection the server closes
// or refuses is opened again 200 ms later, so the pressure stays on for the whole phase.
class SlowClients {
 public:
  SlowClients(unsigned short port, std::string ca, std::vector<std::string> addresses, int per_address)
      : port_(port), ca_(std::move(ca)) {
    for (const auto& a : addresses)
      for (int i = 0; i < per_address; ++i)
        slots_.push_back(Slot{a, i % 2 == 1, std::nullopt, Clock::now(), 0});
    thread_ = std::thread([this] { run(); });
  }
  ~SlowClients() {
    stop_ = true;
    thread_.join();
  }
  [[nodiscard]] long attempts() const { return attempts_; }
  [[nodiscard]] long refused() const { return refused_; }
  [[nodiscard]] long held() const { return held_; }

 private:
  struct Slot {
    std::string address;
    bool trickles = false;
    std::optional<portcullis::testing::HeldConnection> connection;
    Clock::time_point next;
    std::size_t sent = 0;
  };

  void run() {
    const std::string header =
        "POST /api/v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        "X-Padding: " +
        std::string(4000, 'x');
    while (!stop_) {
      long held = 0;
      for (auto& slot : slots_) {
        const auto now = Clock::now();
        if (!slot.connection) {
          if (now < slot.next) continue;
          ++attempts_;
          try {
            slot.connection.emplace(port_, slot.address);
          } catch (const std::exception&) {
            ++refused_;
            slot.next = now + 200ms;
            continue;
          }
          if (slot.trickles && !slot.connection->handshake(ca_, 2s)) {
            ++refused_;
            slot.connection.reset();
            slot.next = now + 200ms;
            continue;
          }
          slot.sent = 0;
          slot.next = now + 500ms;
        }
        bool gone = slot.connection->closed_by_server(0ms);
        if (!gone && slot.trickles && now >= slot.next) {
          gone = !slot.connection->send(header.substr(slot.sent++ % header.size(), 1));
          slot.next = now + 500ms;
        }
        if (gone) {
          slot.connection.reset();
          slot.next = now + 200ms;
        } else {
          ++held;
        }
      }
      held_ = held;
      std::this_thread::sleep_for(20ms);
    }
  }

  unsigned short port_;
  std::string ca_;
  std::vector<Slot> slots_;
  std::atomic<bool> stop_{false};
  std::atomic<long> attempts_{0}, refused_{0}, held_{0};
  std::thread thread_;
};

void print(const char* phase, const Latency& l, const Latency& alone) {
  std::printf("%-58s %6ld answers, %ld failed, p50 %6.2f ms, p99 %6.2f ms, max %7.2f ms, p99 %.2fx alone\n",
              phase, l.answers, l.failures, l.p50_ms, l.p99_ms, l.max_ms,
              alone.p99_ms > 0 ? l.p99_ms / alone.p99_ms : 0.0);
}

double load_average() {
  double load[1] = {0};
  return getloadavg(load, 1) == 1 ? load[0] : -1;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 10.0;
  const int per_address = argc > 2 ? std::atoi(argv[2]) : 300;
  const double rate = 50.0;  // a busy door controller

  std::unique_ptr<portcullis::testing::TestDatabase> db;
  std::unique_ptr<portcullis::testing::ServerProcess> server;
  unsigned short port = 0;
  std::string token;
  std::string ca;
  if (const char* given = std::getenv("PORTCULLIS_BENCH_PORT")) {
    port = static_cast<unsigned short>(std::atoi(given));
    token = std::getenv("PORTCULLIS_BENCH_TOKEN") != nullptr ? std::getenv("PORTCULLIS_BENCH_TOKEN") : "";
    ca = std::getenv("PORTCULLIS_BENCH_CA") != nullptr ? std::getenv("PORTCULLIS_BENCH_CA") : "";
  } else {
    if (!portcullis::testing::TestDatabase::available()) {
      std::fprintf(stderr,
                   "run through ./scripts/bench, which starts PostgreSQL (or set PORTCULLIS_BENCH_PORT)\n");
      return 2;
    }
    db = std::make_unique<portcullis::testing::TestDatabase>();
    std::map<std::string, std::string> env;
    if (const char* threads = std::getenv("PORTCULLIS_THREADS")) env["PORTCULLIS_THREADS"] = threads;
    server =
        std::make_unique<portcullis::testing::ServerProcess>(*db, portcullis::testing::example_site_env(env));
    token = server->enrol_device("ctl-lobby");
    server->start();
    port = server->port();
    ca = portcullis::testing::test_tls().ca;
  }
  std::printf(
      "machine: %u hardware threads, load average %.2f; the door posts %.0f badge events/s for %.0f s per "
      "phase\n",
      std::thread::hardware_concurrency(), load_average(), rate, seconds);
  long seq = 0;
  measure_door(port, ca, token, seq, rate, 2.0);  // warm-up: connection, caches, the first commits
  const auto alone = measure_door(port, ca, token, seq, rate, seconds);
  print("door alone", alone, alone);

  rlimit files{};  // every slow client is a descriptor here
  if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  const auto under = [&](const char* name, std::vector<std::string> addresses, int each) {
    SlowClients slow{port, ca, std::move(addresses), each};
    std::this_thread::sleep_for(3s);  // every slow client has tried once
    const auto latency = measure_door(port, ca, token, seq, rate, seconds);
    print(name, latency, alone);
    std::printf("%-58s %ld connection attempts, %ld refused, %ld held at the end\n",
                "  slow clients:", slow.attempts(), slow.refused(), slow.held());
    return latency;
  };
  const auto one = under("door with slow clients from one address", {"127.0.0.2"}, per_address);
  const auto eight = under("door with slow clients from eight addresses",
                           {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7",
                            "127.0.0.8", "127.0.0.9"},
                           per_address / 4);
  const auto alone_again = measure_door(port, ca, token, seq, rate, seconds);
  print("door alone again", alone_again, alone);
  const bool met = one.p99_ms <= 2 * alone.p99_ms && one.failures == 0;
  std::printf("target (p99 with slow clients from one address within 2x of alone, no failures): %s\n",
              met ? "met" : "not met");
  std::printf("eight addresses: p99 %.2fx alone, %ld failed\n",
              alone.p99_ms > 0 ? eight.p99_ms / alone.p99_ms : 0.0, eight.failures);
  if (server) server->stop();
  return 0;
}
