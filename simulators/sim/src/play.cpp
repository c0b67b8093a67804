// `portcullis-sim play`: one DeviceLink per scenario device; steps are played in timeline order from a single
// thread, so the server sees them in the order the scenario describes (each post waits for its answer).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include "commands.hpp"
#include "device_link.hpp"
#include "portcullis/sim/scenario.hpp"

namespace portcullis::sim {
namespace {

using Clock = std::chrono::steady_clock;

struct StepRecord {
  std::int64_t round = 0;
  std::size_t step = 0;
  std::int64_t seq = 0;
};

std::string token_path(const DeviceSpec& d, const std::string& dir) {
  if (!d.token_file.empty()) return d.token_file.front() == '/' ? d.token_file : dir + "/" + d.token_file;
  return dir + "/" + d.id + ".token";
}

std::string elapsed_text(Clock::time_point start) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%8.3fs", std::chrono::duration<double>(Clock::now() - start).count());
  return buf;
}

}  // namespace

int play_command(const std::vector<std::string>& args) {
  Options o{args};
  const auto server = parse_server_url(o.value("--server", "https://localhost:8443"));
  client::ClientTls tls;
  tls.ca_file = o.value("--ca");
  if (tls.ca_file.empty())
    throw std::invalid_argument("--ca FILE is required (the CA that signed the server's certificate)");
  const auto tokens_dir = o.value("--tokens", ".");
  const bool loop = o.flag("--loop");
  const bool check = o.flag("--check");
  const bool quiet = o.flag("--quiet");
  const double speed = o.number("--speed", 1.0, 0.001, 100000.0);
  const auto rounds = o.integer("--rounds", loop ? 0 : 1, 0, 1'000'000'000);
  const auto buffer = static_cast<std::size_t>(o.integer("--buffer", 1000, 1, 100'000'000));
  const auto seq_base_text = o.value("--seq-base");
  const bool clock_seq = seq_base_text.empty();
  std::int64_t first_seq = default_first_seq();
  if (!clock_seq) {
    Options base{{"--seq-base", seq_base_text}};
    first_seq = base.integer("--seq-base", 1, 1, (1LL << 53) - (1LL << 40));
  }
  const double drain_s = o.number("--drain-timeout", 30.0, 0.0, 86400.0);
  const auto report_file = o.value("--report");
  const auto files = o.positional();
  if (files.size() != 1) throw std::invalid_argument("play needs exactly one SCENARIO file");

  std::ifstream in(files[0]);
  if (!in) throw std::runtime_error("cannot read scenario " + files[0]);
  std::stringstream text;
  text << in.rdbuf();
  Scenario scenario;
  try {
    scenario = parse_scenario(text.str());
  } catch (const ScenarioError& e) {
    std::cerr << "portcullis-sim: scenario " << files[0] << ": " << e.what() << '\n';
    return 2;
  }

  // Tokens: token_env (when set), else token_file, else DIR/<id>.token. Report every missing one at once.
  std::map<std::string, std::unique_ptr<DeviceLink>> links;
  std::vector<std::string> missing;
  for (const auto& d : scenario.devices) {
    std::string token;
    if (!d.token_env.empty()) {
      if (const char* v = std::getenv(d.token_env.c_str()); v != nullptr && *v != '\0') token = v;
    }
    if (token.empty()) {
      try {
        token = read_token_file(token_path(d, tokens_dir));
      } catch (const std::exception& e) {
        missing.push_back(d.id + " (" + e.what() +
                          (d.token_env.empty() ? "" : ", and $" + d.token_env + " is not set") + ")");
        continue;
      }
    }
    links[d.id] = std::make_unique<DeviceLink>(d.id, token, server, tls, first_seq, buffer, clock_seq);
    links[d.id]->set_notice([](const std::string& m) { std::cerr << "portcullis-sim: " << m << std::endl; });
  }
  if (!missing.empty()) {
    std::cerr << "portcullis-sim: no token for " << missing.size() << " device(s):\n";
    for (const auto& m : missing) std::cerr << "  " << m << '\n';
    std::cerr << "enrol each with: portcullisd add-device ID KIND > " << tokens_dir << "/ID.token\n";
    return 2;
  }

  const auto timeline = build_timeline(scenario);
  const auto round_ms = round_length_ms(scenario);
  const auto steps_per_round = scenario.steps.size();
  std::map<std::uint64_t, StepRecord> records;  // by tag: the step's position in the order played
  std::vector<std::string> failures;            // the first kMaxListed; failure_count counts them all
  std::uint64_t failure_count = 0;
  constexpr std::size_t kMaxListed = 1000;
  auto fail = [&](std::string line) {
    ++failure_count;
    if (failures.size() < kMaxListed) failures.push_back(std::move(line));
  };
  std::uint64_t played = 0;
  std::uint64_t expected = 0;  // played steps that carry an expectation
  std::uint64_t stored = 0, duplicates = 0, refused = 0, checked = 0, matched = 0;
  const auto start = Clock::now();

  auto on_delivery = [&](const Delivery& d) {
    auto& r = records[d.tag];
    const Step& step = scenario.steps[r.step];
    std::string where = "round " + std::to_string(r.round + 1) + " step " + std::to_string(step.index) +
                        " (at " + std::to_string(step.at_ms) + " ms, " + step.device + " " +
                        describe_event(step.event) + ")";
    std::string verdict;
    if (d.status == Delivery::Status::Rejected) {
      ++refused;
      verdict = "REFUSED " + std::to_string(d.http_status) + " " + d.error;
      fail(where + ": refused by the server: HTTP " + std::to_string(d.http_status) + " " + d.error);
    } else {
      (d.status == Delivery::Status::Stored ? stored : duplicates) += 1;
      verdict = summarize_outcome(d.outcome);
      if (d.status == Delivery::Status::Duplicate) verdict += " (duplicate)";
      if (check && !step.expect.empty()) {
        ++checked;
        const auto problems = check_outcome(step.expect, d.outcome);
        if (problems.empty()) {
          ++matched;
          verdict += "  ok";
        } else {
          for (const auto& p : problems) fail(where + ": " + p);
          verdict += "  MISMATCH";
        }
      }
    }
    if (!quiet || d.status == Delivery::Status::Rejected || verdict.find("MISMATCH") != std::string::npos) {
      char head[96];
      std::snprintf(head, sizeof head, "[r%lld %s] %-16s seq %lld  ", static_cast<long long>(r.round + 1),
                    elapsed_text(start).c_str(), step.device.c_str(), static_cast<long long>(d.seq));
      std::cout << head << describe_event(step.event) << " -> " << verdict;
      if (d.attempts > 1) std::cout << " [after " << d.attempts << " attempts]";
      if (!step.note.empty() && !quiet) std::cout << "   # " << step.note;
      std::cout << std::endl;
    }
    records.erase(d.tag);  // only unanswered steps stay, so looping forever keeps memory flat
  };

  // Sends buffered events in the order the steps happened, across all devices: after an outage the backlog
  // reaches the server in timeline order, so the decisions (attempts, anti-passback) are the scenario's.
  // When the oldest event's device is waiting for its retry, nothing newer is sent meanwhile.
  auto pump_all = [&] {
    while (!g_stop.load()) {
      DeviceLink* oldest = nullptr;
      for (auto& [id, link] : links) {
        if (link->front_tag() != UINT64_MAX && (oldest == nullptr || link->front_tag() < oldest->front_tag()))
          oldest = link.get();
      }
      if (oldest == nullptr || Clock::now() < oldest->retry_at()) return;
      const auto before = oldest->front_tag();
      oldest->pump(on_delivery, 1);
      if (oldest->front_tag() == before) return;  // failed: wait for the backoff
    }
  };
  auto buffered = [&] {
    std::size_t n = 0;
    for (auto& [id, link] : links) n += link->state().buffer().size();
    return n;
  };
  // Waits until `t`, retrying buffered events as their backoff allows.
  auto wait_until = [&](Clock::time_point t) {
    while (!g_stop.load()) {
      pump_all();
      const auto now = Clock::now();
      if (now >= t) return;
      auto next = t;
      for (auto& [id, link] : links) {
        if (!link->state().buffer().empty() && link->retry_at() > now)
          next = std::min(next, link->retry_at());
      }
      std::this_thread::sleep_for(std::min<Clock::duration>(next - now, std::chrono::milliseconds{50}));
    }
  };

  std::cout << "playing '" << (scenario.name.empty() ? files[0] : scenario.name) << "': " << steps_per_round
            << " steps on " << links.size() << " devices, "
            << (static_cast<double>(round_ms) / 1000.0 / speed) << " s per round at speed " << speed
            << (loop ? (rounds == 0 ? ", looping until stopped" : ", " + std::to_string(rounds) + " rounds")
                     : "")
            << std::endl;
  std::int64_t round = 0;
  for (; !g_stop.load() && (rounds == 0 || round < rounds); ++round) {
    for (const auto& entry : timeline) {
      wait_until(start + due_offset(entry.at_ms, round, round_ms, speed));
      if (g_stop.load()) break;
      const Step& step = scenario.steps[entry.step];
      const std::uint64_t tag = played;
      auto& link = *links.at(step.device);
      records[tag] = StepRecord{round, entry.step, 0};
      records[tag].seq = link.enqueue(step.event, tag);
      ++played;
      if (!step.expect.empty()) ++expected;
      pump_all();
    }
    if (loop && check && !g_stop.load()) {
      std::cout << "round " << round + 1 << " done: " << matched << "/" << checked
                << " expectations met so far, " << failure_count << " failures" << std::endl;
    }
  }

  // Drain: give buffered events a chance to reach the server (a second Ctrl-C stops waiting).
  const bool stopped = g_stop.exchange(false);
  if (buffered() > 0) {
    std::cerr << "portcullis-sim: " << buffered() << " events still buffered; draining for up to " << drain_s
              << " s" << std::endl;
    const auto deadline =
        Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(drain_s));
    while (buffered() > 0 && Clock::now() < deadline && !g_stop.load()) {
      wait_until(std::min(deadline, Clock::now() + std::chrono::milliseconds{100}));
    }
  }

  std::uint64_t dropped = 0, unavailable = 0, network = 0, retries = 0;
  for (auto& [id, link] : links) {
    dropped += link->state().buffer().dropped();
    unavailable += link->unavailable;
    network += link->network_errors;
    retries += link->retries;
  }
  for (const auto& [tag, r] : records) {
    const Step& step = scenario.steps[r.step];
    if (check && !step.expect.empty()) {
      fail("round " + std::to_string(r.round + 1) + " step " + std::to_string(step.index) + " (" +
           step.device + " " + describe_event(step.event) + "): no answer (event " +
           (buffered() > 0 ? "still buffered or dropped" : "dropped") + ")");
    }
  }
  std::cout << "\nplayed " << played << " events (" << round << " round" << (round == 1 ? "" : "s")
            << (stopped ? ", stopped" : "") << ") on " << links.size() << " devices in "
            << std::chrono::duration<double>(Clock::now() - start).count() << " s: " << stored << " stored, "
            << duplicates << " duplicate, " << refused << " refused, " << dropped
            << " dropped at buffer overflow, " << buffered() << " still buffered; " << unavailable
            << " busy (503) answers, " << network << " network errors, " << retries << " retries\n";
  if (!report_file.empty()) {
    nlohmann::json report = {{"scenario", scenario.name},
                             {"rounds", round},
                             {"stopped", stopped},
                             {"played", played},
                             {"stored", stored},
                             {"duplicate", duplicates},
                             {"refused", refused},
                             {"dropped", dropped},
                             {"still_buffered", buffered()},
                             {"busy_503", unavailable},
                             {"network_errors", network},
                             {"retries", retries},
                             {"checked", check},
                             {"expectations", expected},
                             {"met", matched},
                             {"failure_count", failure_count},
                             {"failures", failures}};
    write_report(report_file, report);
  }
  if (check) {
    std::cout << "expectations: " << matched << " of " << expected << " met; " << failure_count << " failure"
              << (failure_count == 1 ? "" : "s") << " (mismatches, refused or unanswered events)\n";
    for (const auto& f : failures) std::cout << "  FAIL " << f << '\n';
    if (failure_count > failures.size())
      std::cout << "  ... and " << failure_count - failures.size() << " more\n";
    return failure_count == 0 ? 0 : 1;
  }
  return 0;
}

}  // namespace portcullis::sim
