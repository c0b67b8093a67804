// `portcullis-sim load`: N simulated devices, one thread and one keep-alive connection each, post events at a
// total rate R on an open-loop schedule (device i sends every N/R seconds, staggered), for S seconds.
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "commands.hpp"
#include "device_link.hpp"
#include "portcullis/sim/histogram.hpp"

namespace portcullis::sim {
namespace {

using Clock = std::chrono::steady_clock;

struct LoadTotals {
  std::uint64_t sent = 0;  // events generated (each enters the device's buffer)
  std::uint64_t stored = 0, duplicates = 0, refused = 0, dropped = 0, unsent = 0;
  std::uint64_t unavailable = 0, network_errors = 0, retries = 0, late = 0;
  std::string first_refusal;
  LatencyHistogram latency;
};

}  // namespace

int load_command(const std::vector<std::string>& args) {
  Options o{args};
  const auto server = parse_server_url(o.value("--server", "https://localhost:8443"));
  client::ClientTls tls;
  tls.ca_file = o.value("--ca");
  if (tls.ca_file.empty())
    throw std::invalid_argument("--ca FILE is required (the CA that signed the server's certificate)");
  const auto tokens_dir = o.value("--tokens", ".");
  const auto devices = static_cast<int>(o.integer("--devices", 10, 1, 2000));
  const double rate = o.number("--rate", 100.0, 0.001, 1'000'000.0);
  const double seconds = o.number("--seconds", 10.0, 0.1, 86400.0);
  const auto prefix = o.value("--prefix", "load-");
  const auto mix = o.value("--mix", "mixed");
  const auto reader = o.value("--reader", "rdr-load");
  const auto buffer = static_cast<std::size_t>(o.integer("--buffer", 1000, 1, 100'000'000));
  const auto seq_base_text = o.value("--seq-base");
  const bool clock_seq = seq_base_text.empty();
  std::int64_t first_seq = default_first_seq();
  if (!clock_seq) {
    Options base{{"--seq-base", seq_base_text}};
    first_seq = base.integer("--seq-base", 1, 1, (1LL << 53) - (1LL << 40));
  }
  const double drain_s = o.number("--drain-timeout", 10.0, 0.0, 3600.0);
  const auto report_file = o.value("--report");
  if (mix != "mixed" && mix != "heartbeat" && mix != "credential") {
    throw std::invalid_argument("--mix must be mixed, heartbeat or credential");
  }
  if (!o.positional().empty()) throw std::invalid_argument("load takes no positional arguments");

  std::vector<std::string> ids, tokens, missing;
  for (int i = 1; i <= devices; ++i) {
    ids.push_back(prefix + std::to_string(i));
    try {
      tokens.push_back(read_token_file(tokens_dir + "/" + ids.back() + ".token"));
    } catch (const std::exception& e) {
      missing.push_back(e.what());
    }
  }
  if (!missing.empty()) {
    std::cerr << "portcullis-sim: " << missing.size() << " of " << devices
              << " load devices have no token (first: " << missing.front()
              << ")\nenrol them with:\n  for i in $(seq 1 " << devices << "); do portcullisd add-device "
              << prefix << "$i load_generator > " << tokens_dir << "/" << prefix << "$i.token; done\n";
    return 2;
  }

  const auto interval = std::chrono::duration<double>(static_cast<double>(devices) / rate);
  std::cout << "load: " << devices << " devices, " << rate << " events/s in total (one every "
            << interval.count() * 1000.0 << " ms per device) for " << seconds << " s, mix " << mix
            << std::endl;

  LoadTotals totals;
  std::mutex totals_mutex;
  const auto start = Clock::now();
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (int i = 0; i < devices; ++i) {
    threads.emplace_back([&, i] {
      LoadTotals mine;
      try {
        DeviceLink link{ids[static_cast<std::size_t>(i)],
                        tokens[static_cast<std::size_t>(i)],
                        server,
                        tls,
                        first_seq,
                        buffer,
                        clock_seq};
        link.set_notice([](const std::string& m) { std::cerr << "portcullis-sim: " << m << std::endl; });
        auto on_delivery = [&](const Delivery& d) {
          if (d.status == Delivery::Status::Rejected) {
            ++mine.refused;
            if (mine.first_refusal.empty())
              mine.first_refusal = "HTTP " + std::to_string(d.http_status) + " " + d.error;
            return;
          }
          (d.status == Delivery::Status::Stored ? mine.stored : mine.duplicates) += 1;
          mine.latency.record(d.latency_us);
        };
        auto next = start + std::chrono::duration_cast<Clock::duration>(interval *
                                                                        (static_cast<double>(i) / devices));
        std::uint64_t k = 0;
        while (!g_stop.load()) {
          const auto now = Clock::now();
          if (now >= end) break;
          if (now < next) {
            auto until = std::min(next, end);
            if (!link.state().buffer().empty()) until = std::min(until, std::max(now, link.retry_at()));
            std::this_thread::sleep_until(until);
            if (!link.state().buffer().empty() && Clock::now() >= link.retry_at()) link.pump(on_delivery);
            continue;
          }
          if (now - next > interval) ++mine.late;  // could not keep up with the schedule
          nlohmann::json event;
          const bool heartbeat = mix == "heartbeat" || (mix == "mixed" && k % 2 == 1);
          if (heartbeat) {
            event = {{"type", "heartbeat"}};
          } else {
            // A card the example site does not know, at a reader it does not know: exercises the whole path
            // without changing anybody's presence.
            event = {
                {"type", "credential"},
                {"reader", reader},
                {"card",
                 {{"facility", 999}, {"number", static_cast<std::uint64_t>(i) * 1'000'000 + k % 1'000'000}}}};
          }
          ++k;
          ++mine.sent;
          link.enqueue(event, k);
          next += std::chrono::duration_cast<Clock::duration>(interval);
          link.pump(on_delivery);
        }
        const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                 std::chrono::duration<double>(drain_s));
        while (!link.state().buffer().empty() && Clock::now() < deadline) {
          std::this_thread::sleep_until(std::min(deadline, std::max(Clock::now(), link.retry_at())));
          link.pump(on_delivery);
        }
        mine.dropped = link.state().buffer().dropped();
        mine.unsent = link.state().buffer().size();
        mine.unavailable = link.unavailable;
        mine.network_errors = link.network_errors;
        mine.retries = link.retries;
      } catch (const std::exception& e) {
        std::cerr << "portcullis-sim: device " << ids[static_cast<std::size_t>(i)] << ": " << e.what()
                  << std::endl;
      }
      std::lock_guard lock{totals_mutex};
      totals.sent += mine.sent;
      totals.stored += mine.stored;
      totals.duplicates += mine.duplicates;
      totals.refused += mine.refused;
      totals.dropped += mine.dropped;
      totals.unsent += mine.unsent;
      totals.unavailable += mine.unavailable;
      totals.network_errors += mine.network_errors;
      totals.retries += mine.retries;
      totals.late += mine.late;
      if (totals.first_refusal.empty()) totals.first_refusal = mine.first_refusal;
      totals.latency.merge(mine.latency);
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const auto acknowledged = totals.stored + totals.duplicates;

  std::printf(
      "\ngenerated %llu events in %.2f s: %llu acknowledged (%llu stored, %llu duplicate), %llu refused, "
      "%llu "
      "dropped at "
      "buffer overflow, %llu never sent\n",
      static_cast<unsigned long long>(totals.sent), elapsed, static_cast<unsigned long long>(acknowledged),
      static_cast<unsigned long long>(totals.stored), static_cast<unsigned long long>(totals.duplicates),
      static_cast<unsigned long long>(totals.refused), static_cast<unsigned long long>(totals.dropped),
      static_cast<unsigned long long>(totals.unsent));
  std::printf("busy (503) answers %llu, network errors %llu, retries %llu, sends behind schedule %llu\n",
              static_cast<unsigned long long>(totals.unavailable),
              static_cast<unsigned long long>(totals.network_errors),
              static_cast<unsigned long long>(totals.retries), static_cast<unsigned long long>(totals.late));
  std::printf("achieved %.1f events/s acknowledged (target %.1f)\n",
              static_cast<double>(acknowledged) / elapsed, rate);
  if (!totals.first_refusal.empty()) std::printf("first refusal: %s\n", totals.first_refusal.c_str());
  std::cout << "request latency (send to answer, acknowledged events):\n" << totals.latency.render();
  if (!report_file.empty()) {
    const auto& h = totals.latency;
    write_report(report_file, {{"devices", devices},
                               {"target_rate", rate},
                               {"seconds", elapsed},
                               {"generated", totals.sent},
                               {"stored", totals.stored},
                               {"duplicate", totals.duplicates},
                               {"refused", totals.refused},
                               {"dropped", totals.dropped},
                               {"never_sent", totals.unsent},
                               {"busy_503", totals.unavailable},
                               {"network_errors", totals.network_errors},
                               {"retries", totals.retries},
                               {"behind_schedule", totals.late},
                               {"achieved_rate", static_cast<double>(acknowledged) / elapsed},
                               {"latency_us",
                                {{"count", h.count()},
                                 {"min", h.min()},
                                 {"mean", h.mean()},
                                 {"p50", h.percentile(50)},
                                 {"p90", h.percentile(90)},
                                 {"p99", h.percentile(99)},
                                 {"max", h.max()}}}});
  }
  return totals.refused == 0 && totals.dropped == 0 && totals.unsent == 0 ? 0 : 1;
}

}  // namespace portcullis::sim
