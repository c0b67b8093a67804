// Fan-out benchmark: N consoles hold the live stream while devices post badge events at a fixed rate.
// Reports the delay from the server's receive/commit stamp of each access event to its delivery at every
// console (p50/p99/max), whether any console missed a delta (gap in seq), and the same figures for one
// console as the baseline of the same run. Run through ./scripts/bench.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string_view>
#include <thread>
#include <vector>

#include "operator_support.hpp"
#include "portcullis/client/https_client.hpp"
#include "portcullis/client/wss_client.hpp"
#include "portcullis/json/rfc3339.hpp"
#include "server_process.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;
constexpr std::string_view kBatchPrefix = R"({"type":"batch","messages":[)";
constexpr std::string_view kDeltaPrefix = R"({"type":"delta")";

struct Result {
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  long deliveries = 0, gaps = 0, events = 0, frames = 0;
  long min_per_console = 0, max_per_console = 0;
};

double pct(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

Result run(portcullis::testing::ServerProcess& server, const std::string& token,
           const std::vector<std::string>& device_tokens, int consoles, double rate, double seconds,
           std::atomic<long>& seq_base) {
  const auto ca = portcullis::testing::test_tls().ca;
  std::atomic<bool> stop_reading{false};
  std::mutex mutex;
  std::vector<double> latencies;
  std::vector<long> per_console(static_cast<std::size_t>(consoles), 0);
  std::atomic<long> gaps{0};
  long frames = 0;
  std::atomic<int> ready{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < consoles; ++i) {
    readers.emplace_back([&, i] {
      portcullis::client::WssClient ws{"localhost", server.port(), ca};
      ws.connect("/api/v1/stream?topics=access", token);
      std::int64_t last = -1;
      long my_frames = 0;
      std::vector<double> mine;
      ++ready;
      while (!stop_reading) {
        std::optional<std::string> message;
        try {
          message = ws.read(std::chrono::milliseconds(1500));
        } catch (const std::exception&) {
          break;
        }
        if (!message) break;
        const auto now = std::chrono::system_clock::now();
        // Cheap field extraction: the harness must not spend more CPU per message than the server does.
        const std::string_view text = *message;
        if (text.rfind("{\"type\":\"snapshot\"", 0) == 0) {
          last = std::stoll(std::string(text.substr(text.find("\"seq\":") + 6, 20)));
          continue;
        }
        // A frame is one delta or a batch of them ({"type":"batch","messages":[delta,...]}), in seq order.
        const bool batch = text.rfind(kBatchPrefix, 0) == 0;
        if (!batch && text.rfind(kDeltaPrefix, 0) != 0) continue;
        ++my_frames;
        std::size_t pos = batch ? text.find(kDeltaPrefix, kBatchPrefix.size()) : 0;
        while (pos != std::string_view::npos) {
          const auto next =
              batch ? text.find(kDeltaPrefix, pos + kDeltaPrefix.size()) : std::string_view::npos;
          const auto delta =
              text.substr(pos, next == std::string_view::npos ? text.size() - pos : next - pos);
          pos = next;
          const auto s = delta.find("\"seq\":");
          if (s == std::string_view::npos) continue;
          const std::int64_t seq = std::strtoll(delta.data() + s + 6, nullptr, 10);
          // Topic-filtered streams skip other topics' seqs: a gap is only a seq going backwards or repeating.
          if (last >= 0 && seq <= last) ++gaps;
          last = seq;
          const auto at = delta.find("\"time\":\"");
          if (at != std::string_view::npos && at + 8 + 27 <= delta.size()) {
            if (const auto stamped = portcullis::json::parse_rfc3339(delta.substr(at + 8, 27))) {
              mine.push_back(std::chrono::duration<double, std::milli>(now - *stamped).count());
            }
          }
        }
      }
      std::lock_guard lock{mutex};
      frames += my_frames;
      per_console[static_cast<std::size_t>(i)] = static_cast<long>(mine.size());
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  while (ready < consoles) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  // Devices: each posts batches of 10 badge reads at its share of the rate.
  constexpr int kEventsPerPost = 10;
  std::atomic<long> posted{0};
  std::vector<std::thread> devices;
  const auto start = Clock::now();
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (std::size_t d = 0; d < device_tokens.size(); ++d) {
    devices.emplace_back([&, d] {
      portcullis::client::HttpsClient c{"localhost", server.port(),
                                        portcullis::client::ClientTls{ca, "", ""}};
      const double interval = static_cast<double>(device_tokens.size() * kEventsPerPost) / rate;
      auto next = start;
      long seq = seq_base + 1;
      while (next < end) {
        std::this_thread::sleep_until(next);
        std::string body = "{\"events\":[";
        for (int k = 0; k < kEventsPerPost; ++k) {
          body +=
              (k ? "," : "") + std::string(R"({"device_id":"fan-)") + std::to_string(d) + R"(","seq":)" +
              std::to_string(seq++) +
              R"(,"time":"2026-11-27T10:00:00Z","type":"credential","reader":"rdr-lobby-in","card":{"facility":42,"number":10001}})";
        }
        body += "]}";
        try {
          if (c.post_json("/api/v1/events", body, device_tokens[d]).status == 200) posted += kEventsPerPost;
        } catch (const std::exception&) {
        }
        next += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval));
      }
    });
  }
  for (auto& t : devices) t.join();
  seq_base += 10'000'000;
  std::this_thread::sleep_for(std::chrono::seconds(2));
  stop_reading = true;
  for (auto& t : readers) t.join();
  Result r;
  r.events = posted;
  r.gaps = gaps;
  r.deliveries = static_cast<long>(latencies.size());
  r.frames = frames;
  r.p50_ms = pct(latencies, 0.5);
  r.p99_ms = pct(latencies, 0.99);
  r.max_ms = latencies.empty() ? 0 : latencies.back();
  r.min_per_console = *std::min_element(per_console.begin(), per_console.end());
  r.max_per_console = *std::max_element(per_console.begin(), per_console.end());
  return r;
}

void print(const char* name, int consoles, double rate, const Result& r) {
  std::printf(
      "%-10s %4d consoles at %5.0f events/s: %ld events, %ld deliveries (per console %ld..%ld) in %ld frames "
      "(%.1f deltas/frame), gaps %ld, commit-to-delivery p50 %.2f ms p99 %.2f ms max %.2f ms\n",
      name, consoles, rate, r.events, r.deliveries, r.min_per_console, r.max_per_console, r.frames,
      r.frames ? static_cast<double>(r.deliveries) / static_cast<double>(r.frames) : 0.0, r.gaps, r.p50_ms,
      r.p99_ms, r.max_ms);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const int consoles = argc > 1 ? std::atoi(argv[1]) : 100;
  const double rate = argc > 2 ? std::atof(argv[2]) : 5000;
  const double seconds = argc > 3 ? std::atof(argv[3]) : 10;
  if (!portcullis::testing::TestDatabase::available()) {
    std::fprintf(stderr, "run through ./scripts/bench, which starts PostgreSQL\n");
    return 2;
  }
  portcullis::testing::TestDatabase db;
  // Every console and device here comes from 127.0.0.1: more than one address may hold by default.
  portcullis::testing::ServerProcess server{
      db, portcullis::testing::example_site_env({{"PORTCULLIS_MAX_CONNECTIONS_PER_ADDRESS", "4096"}})};
  std::vector<std::string> device_tokens;
  for (int d = 0; d < 8; ++d) device_tokens.push_back(server.enrol_device("fan-" + std::to_string(d)));
  const auto admin = portcullis::testing::create_operator(server, "bench-admin", "admin");
  server.start();
  portcullis::client::HttpsClient client{
      "localhost", server.port(), portcullis::client::ClientTls{portcullis::testing::test_tls().ca, "", ""}};
  const auto token = portcullis::testing::sign_in(client, admin);
  if (token.empty()) return 1;
  std::atomic<long> seq{0};
  print("baseline", 1, rate, run(server, token, device_tokens, 1, rate, seconds, seq));
  print("fan-out", consoles, rate, run(server, token, device_tokens, consoles, rate, seconds, seq));
  server.stop();
  return 0;
}
