// Ingest benchmark: many simulated devices post events to the real portcullisd over HTTPS and every
// answer waits for a durable group commit. Baseline in the same run: the same kind of rows written
// straight into PostgreSQL by one client with COPY in large batches (no HTTP, no decisions).
// Run through ./scripts/bench (it starts PostgreSQL); prints figures for docs/performance.md.
//
// The load generator shares the machine's cores with the server and PostgreSQL, so it is kept lean: one
// thread drives every simulated device over its own keep-alive TLS connection (non-blocking sockets, epoll,
// OpenSSL directly, a hand-written HTTP/1.1 request and a minimal response parser). Each device has at most
// one request in flight, as a real controller does; the server's certificate is verified against the test CA.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pqxx/pqxx>

#include <fcntl.h>
#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "portcullis/ledger/event_record.hpp"
#include "portcullis/storage/event_store.hpp"
#include "server_process.hpp"

namespace {

using Clock = std::chrono::steady_clock;

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

// One simulated device: a keep-alive TLS connection with at most one request in flight.
struct Device {
  std::string id, token;
  int fd = -1;
  SSL* ssl = nullptr;
  long seq = 0;
  bool busy = false;
  int batch = 1;
  Clock::time_point sent{};
  Clock::time_point next_due{};        // open loop: when this device's next request is due
  std::deque<Clock::time_point> late;  // open loop: requests due while one was in flight
  std::string out;                     // a request SSL_write has not taken yet (WANT_WRITE)
  std::string in;
};

class LoadGenerator {
 public:
  LoadGenerator(unsigned short port, const std::string& ca_file, const std::vector<std::string>& tokens)
      : port_(port) {
    tls_ = SSL_CTX_new(TLS_client_method());
    if (tls_ == nullptr) throw std::runtime_error("SSL_CTX_new failed");
    SSL_CTX_set_min_proto_version(tls_, TLS1_2_VERSION);
    SSL_CTX_set_verify(tls_, SSL_VERIFY_PEER, nullptr);
    if (SSL_CTX_load_verify_locations(tls_, ca_file.c_str(), nullptr) != 1)
      throw std::runtime_error("cannot load the test CA " + ca_file);
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    devices_.resize(tokens.size());
    for (std::size_t d = 0; d < tokens.size(); ++d) {
      devices_[d].id = "bench-" + std::to_string(d);
      devices_[d].token = tokens[d];
      connect(devices_[d], d);
    }
  }
  ~LoadGenerator() {
    for (auto& d : devices_) close_device(d);
    if (epoll_ >= 0) ::close(epoll_);
    SSL_CTX_free(tls_);
  }
  LoadGenerator(const LoadGenerator&) = delete;
  LoadGenerator& operator=(const LoadGenerator&) = delete;

  // rate_per_second == 0: closed loop (each device sends as soon as its answer came back). Otherwise open
  // loop at that total rate, spread evenly over the devices; latency counts from each request's due time,
  // so a stall (or a request queued behind a slow one on the same connection) is not hidden.
  Phase run(int batch, double seconds, double rate_per_second) {
    latencies_.clear();
    events_ = failures_ = 0;
    const auto start = Clock::now();
    end_ = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    open_loop_ = rate_per_second > 0;
    const auto n = static_cast<double>(devices_.size());
    interval_ = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(open_loop_ ? n * batch / rate_per_second : 0.0));
    for (std::size_t d = 0; d < devices_.size(); ++d) {
      auto& dev = devices_[d];
      dev.batch = batch;
      dev.late.clear();
      dev.next_due =
          start + std::chrono::duration_cast<Clock::duration>(interval_ * static_cast<double>(d) / n);
      if (!open_loop_) send(dev, Clock::now());
    }
    std::array<epoll_event, 64> ready{};
    const auto drain_deadline = end_ + std::chrono::seconds(10);
    for (;;) {
      auto now = Clock::now();
      bool in_flight = false;
      for (const auto& dev : devices_) in_flight = in_flight || dev.busy;
      if (now >= end_ && !in_flight) break;
      if (now >= drain_deadline) {
        for (auto& dev : devices_) {
          if (dev.busy) ++failures_;
          dev.busy = false;
        }
        break;
      }
      Clock::time_point wake = now >= end_ ? drain_deadline : end_;
      if (open_loop_ && now < end_) {
        for (auto& dev : devices_) {
          while (dev.next_due <= now && dev.next_due < end_) {
            if (dev.busy)
              dev.late.push_back(dev.next_due);
            else
              send(dev, dev.next_due);
            dev.next_due += interval_;
          }
          wake = std::min(wake, dev.next_due);
        }
      }
      const auto wait = std::max(Clock::duration::zero(), wake - Clock::now());
      timespec ts{};
      ts.tv_sec = static_cast<time_t>(std::chrono::duration_cast<std::chrono::seconds>(wait).count());
      ts.tv_nsec = static_cast<long>((wait - std::chrono::seconds(ts.tv_sec)).count());
      const int got = epoll_pwait2(epoll_, ready.data(), static_cast<int>(ready.size()), &ts, nullptr);
      for (int i = 0; i < got; ++i) on_ready(devices_[ready[static_cast<std::size_t>(i)].data.u64]);
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    Phase p;
    p.events = events_;
    p.failures = failures_;
    p.events_per_second = static_cast<double>(p.events) / elapsed;
    p.p50_ms = percentile(latencies_, 0.50);
    p.p99_ms = percentile(latencies_, 0.99);
    p.max_ms = latencies_.empty() ? 0 : latencies_.back();
    return p;
  }

  [[nodiscard]] long max_seq() const {
    long m = 0;
    for (const auto& d : devices_) m = std::max(m, d.seq);
    return m;
  }

 private:
  void connect(Device& dev, std::size_t index) {
    dev.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(dev.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
    const int one = 1;
    ::setsockopt(dev.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    dev.ssl = SSL_new(tls_);
    SSL_set_fd(dev.ssl, dev.fd);
    // SSL_set_tlsext_host_name is a macro with a C-style cast: call the control function directly.
    static char host[] = "localhost";
    SSL_ctrl(dev.ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, host);
    SSL_set1_host(dev.ssl, "localhost");
    if (SSL_connect(dev.ssl) != 1) {
      throw std::runtime_error("TLS handshake failed: " +
                               std::string(ERR_reason_error_string(ERR_get_error())));
    }
    ::fcntl(dev.fd, F_SETFL, ::fcntl(dev.fd, F_GETFL) | O_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = index;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, dev.fd, &ev);
    dev.in.clear();
    dev.out.clear();
  }

  static void close_device(Device& dev) {
    if (dev.ssl != nullptr) SSL_free(dev.ssl);
    if (dev.fd >= 0) ::close(dev.fd);
    dev.ssl = nullptr;
    dev.fd = -1;
  }

  void fail(Device& dev) {
    ++failures_;
    dev.busy = false;
    const auto index = static_cast<std::size_t>(&dev - devices_.data());
    epoll_ctl(epoll_, EPOLL_CTL_DEL, dev.fd, nullptr);
    close_device(dev);
    connect(dev, index);
  }

  void send(Device& dev, Clock::time_point due) {
    const std::string body = body_for(dev.id, dev.seq + 1, dev.batch);
    dev.out = "POST /api/v1/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + dev.token +
              "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
              "\r\n\r\n" + body;
    dev.busy = true;
    dev.sent = due;
    flush(dev);
  }

  void flush(Device& dev) {
    if (dev.out.empty()) return;
    const int n = SSL_write(dev.ssl, dev.out.data(), static_cast<int>(dev.out.size()));
    const auto index = static_cast<std::size_t>(&dev - devices_.data());
    epoll_event ev{};
    ev.data.u64 = index;
    if (n > 0) {
      dev.out.clear();
      ev.events = EPOLLIN;
      epoll_ctl(epoll_, EPOLL_CTL_MOD, dev.fd, &ev);
      return;
    }
    const int error = SSL_get_error(dev.ssl, n);
    if (error == SSL_ERROR_WANT_WRITE || error == SSL_ERROR_WANT_READ) {
      ev.events = EPOLLIN | EPOLLOUT;  // retried with the same bytes when the socket can take them
      epoll_ctl(epoll_, EPOLL_CTL_MOD, dev.fd, &ev);
      return;
    }
    fail(dev);
  }

  void on_ready(Device& dev) {
    if (!dev.out.empty()) flush(dev);
    if (dev.ssl == nullptr) return;
    char chunk[16 * 1024];
    for (;;) {
      const int n = SSL_read(dev.ssl, chunk, sizeof chunk);
      if (n > 0) {
        dev.in.append(chunk, static_cast<std::size_t>(n));
        continue;
      }
      const int error = SSL_get_error(dev.ssl, n);
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) break;
      return fail(dev);
    }
    while (dev.busy && parse_response(dev)) {
    }
  }

  // One complete response at the front of dev.in: account for it and start the next request.
  bool parse_response(Device& dev) {
    const auto header_end = dev.in.find("\r\n\r\n");
    if (header_end == std::string::npos) return false;
    std::size_t length = 0;
    for (std::size_t line = dev.in.find("\r\n") + 2; line < header_end;) {
      const auto eol = dev.in.find("\r\n", line);
      if (eol - line > 15 && strncasecmp(dev.in.data() + line, "content-length:", 15) == 0)
        length = std::strtoul(dev.in.data() + line + 15, nullptr, 10);
      line = eol + 2;
    }
    if (dev.in.size() < header_end + 4 + length) return false;
    const int status = std::atoi(dev.in.data() + 9);
    dev.in.erase(0, header_end + 4 + length);
    const auto now = Clock::now();
    dev.busy = false;
    if (status == 200) {
      latencies_.push_back(std::chrono::duration<double, std::milli>(now - dev.sent).count());
      events_ += dev.batch;
      dev.seq += dev.batch;
    } else {
      ++failures_;
    }
    if (now < end_) {
      if (!open_loop_) {
        send(dev, now);
      } else if (!dev.late.empty()) {
        const auto due = dev.late.front();
        dev.late.pop_front();
        send(dev, due);
      }
    }
    return true;
  }

  unsigned short port_;
  SSL_CTX* tls_ = nullptr;
  int epoll_ = -1;
  std::vector<Device> devices_;
  std::vector<double> latencies_;
  long events_ = 0, failures_ = 0;
  Clock::time_point end_{};
  Clock::duration interval_{};
  bool open_loop_ = false;
};

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

// Each phase starts from a checkpointed database (as pgbench does): otherwise the kernel's delayed
// writeback of what the previous, faster phase dirtied (up to 250 MB here, flushed 30 s later in one
// burst) lands in the middle of the next phase and stalls its commits' fsync for 100-350 ms, which
// measures the phase order rather than the server. docs/performance.md shows both.
void checkpoint(const std::string& database) {
  if (std::getenv("INGEST_BENCH_NO_CHECKPOINT") != nullptr) return;
  pqxx::connection c{database};
  pqxx::nontransaction tx{c};
  tx.exec0("CHECKPOINT");
}

// How the group commits went, from PostgreSQL's statistics (committed transactions of the database and
// stored rows): /metrics holds the same but is for administrators.
struct CommitStats {
  double commits = 0, events = 0;
};

CommitStats commit_stats(const std::string& database) {
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // backends report statistics each second
  pqxx::connection c{database};
  pqxx::nontransaction tx{c};
  const auto row = tx.exec1(
      "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()), "
      "(SELECT count(*) FROM events WHERE site_id <> 'baseline')");
  return {row[0].as<double>(), row[1].as<double>()};
}

void print(const std::string& name, const Phase& p, double baseline) {
  std::printf(
      "%-44s %9.0f events/s  (%.2fx baseline)  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  failures %ld\n",
      name.c_str(), p.events_per_second, p.events_per_second / baseline, p.p50_ms, p.p99_ms, p.max_ms,
      p.failures);
  std::fflush(stdout);
}

void print_commits(const CommitStats& before, const CommitStats& after) {
  const double commits = after.commits - before.commits;
  if (commits <= 0) return;
  std::printf("%-44s %9.0f transactions committed, %.1f events each\n", "", commits,
              (after.events - before.events) / commits);
}

double load_average() {
  double one = 0;
  if (std::FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &one) != 1) one = 0;
    std::fclose(f);
  }
  return one;
}

}  // namespace

// ingest_bench [SECONDS_PER_PHASE] [DEVICES]; PORTCULLIS_THREADS is passed on to portcullisd.
int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 10.0;
  const int devices = argc > 2 ? std::atoi(argv[2]) : 32;
  if (!portcullis::testing::TestDatabase::available()) {
    std::fprintf(stderr, "run through ./scripts/bench, which starts PostgreSQL\n");
    return 2;
  }
  portcullis::testing::TestDatabase db;
  std::map<std::string, std::string> env;
  if (const char* threads = std::getenv("PORTCULLIS_THREADS")) env["PORTCULLIS_THREADS"] = threads;
  env["PORTCULLIS_MAX_CONNECTIONS_PER_ADDRESS"] = "4096";  // every simulated device comes from 127.0.0.1
  portcullis::testing::ServerProcess server{db, portcullis::testing::example_site_env(env)};
  std::vector<std::string> tokens;
  for (int d = 0; d < devices; ++d) tokens.push_back(server.enrol_device("bench-" + std::to_string(d)));
  server.start();

  std::printf(
      "machine: %u hardware threads; PostgreSQL on the same machine, fsync=on, synchronous_commit=on; "
      "load average %.2f\n",
      std::thread::hardware_concurrency(), load_average());
  const double baseline = copy_baseline(db.admin(), 200'000);
  std::printf("%-44s %9.0f events/s  (1.00x baseline)\n", "baseline: COPY, 10,000 rows per commit", baseline);

  LoadGenerator load{server.port(), portcullis::testing::test_tls().ca, tokens};
  const auto n = std::to_string(devices);
  // INGEST_BENCH_PHASES=closed1,closed20,open5000,open10000 (default: all) runs only those phases.
  const char* only = std::getenv("INGEST_BENCH_PHASES");
  auto phase = [&](const std::string& name, int batch, double rate) {
    const std::string key =
        (rate > 0 ? "open" + std::to_string(static_cast<int>(rate)) : "closed" + std::to_string(batch));
    if (only != nullptr && ("," + std::string{only} + ",").find("," + key + ",") == std::string::npos) return;
    checkpoint(db.admin());
    const auto before = commit_stats(db.admin());
    print(name, load.run(batch, seconds, rate), baseline);
    print_commits(before, commit_stats(db.admin()));
  };
  phase("closed loop, " + n + " devices, 1 event/request", 1, 0);
  phase("closed loop, " + n + " devices, 20 events/request", 20, 0);
  phase("open loop at 5,000 events/s, 1 event/request", 1, 5000);
  phase("open loop at 10,000 events/s, 1 event/request", 1, 10000);
  std::printf("load average %.2f\n", load_average());
  server.stop();
  return 0;
}
