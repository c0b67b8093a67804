// Database failover: portcullisd on a pg_auto_failover formation (a monitor, a primary and its synchronous
// standby on this machine, started by tests/scripts/database_failover_test.sh) through a multi-host
// connection string. Devices post events while the primary dies (its keeper and PostgreSQL killed at once,
// as when its machine fails) and, once the old primary is back as standby, while the two trade places on
// purpose (a switchover). Afterwards every acknowledged event is stored exactly once, the chain verifies
// with portcullis-audit, and no device went longer than 10 s without an answer.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "portcullis/client/https_client.hpp"
#include "server_process.hpp"

namespace portcullis {
namespace {

using SteadyClock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

constexpr auto kLongestAllowedSilence = std::chrono::seconds(10);

std::string formation_dir() {
  const char* dir = std::getenv("PORTCULLIS_TEST_FAILOVER_DIR");
  return dir ? dir : "";
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a bash command; returns its output (trailing newlines removed), throws with the output when it fails.
std::string run_command(const std::string& command) {
  FILE* pipe = popen(("bash -c " + shell_quote(command) + " 2>&1").c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed");
  std::string out;
  std::array<char, 4096> buf{};
  while (auto n = fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
  const int status = pclose(pipe);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  if (status != 0) throw std::runtime_error("'" + command + "' failed: " + out);
  return out;
}

// Runs a command with scripts/lib/pg_auto_failover.sh loaded.
std::string on_formation(const std::string& command) {
  return run_command("source " + shell_quote(testing::source_dir() + "/scripts/lib/pg_auto_failover.sh") +
                     " && " + command);
}

std::string formation_call(const std::string& function, const std::string& args = "") {
  return on_formation(function + " " + shell_quote(formation_dir()) + (args.empty() ? "" : " " + args));
}

// How many standbys the primary waits for at commit (pg_stat_replication's sync or quorum members), asked
// through the same multi-host connection string, so of whichever node is primary now.
std::size_t synchronous_standbys(const testing::TestDatabase& db) {
  pqxx::connection c{db.admin()};
  pqxx::read_transaction tx{c};
  return tx.exec1("SELECT count(*) FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum')")[0]
      .as<std::size_t>();
}

int ready_status(const testing::ServerProcess& server) {
  client::HttpsClient c{"localhost", server.port(), client::ClientTls{testing::test_tls().ca, "", ""}};
  return c.get("/health/ready").status;
}

// Door controllers posting heartbeats: each event is retried until it is acknowledged (as a controller keeps
// it in its buffer), then the next one follows. The time of every acknowledgement is kept.
class Devices {
 public:
  Devices(std::vector<std::string> tokens, unsigned short port) : tokens_(std::move(tokens)), port_(port) {
    acks_.resize(tokens_.size());
    for (std::size_t d = 0; d < tokens_.size(); ++d) threads_.emplace_back([this, d] { post_events(d); });
  }
  ~Devices() {
    abandoning_ = true;  // a test that failed early may have left the server unable to answer
    stop();
  }

  // Each device finishes the event in hand (until it is acknowledged), then stops.
  void stop() {
    stopping_ = true;
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

  std::size_t acknowledged() const {
    std::lock_guard lock{mutex_};
    std::size_t n = 0;
    for (const auto& device : acks_) n += device.size();
    return n;
  }

  // Waits until `more` events beyond `from` are acknowledged; false when `limit` passes first.
  bool wait_for_acknowledged(std::size_t from, std::size_t more, std::chrono::seconds limit) const {
    const auto deadline = SteadyClock::now() + limit;
    while (acknowledged() < from + more) {
      if (SteadyClock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }

  // The longest any device waited between two acknowledgements, over the waits that end after `from`.
  Seconds longest_silence_since(SteadyClock::time_point from) const {
    std::lock_guard lock{mutex_};
    Seconds longest{0};
    for (const auto& device : acks_) {
      for (std::size_t i = 1; i < device.size(); ++i) {
        if (device[i] < from) continue;
        longest = std::max(longest, Seconds(device[i] - std::max(device[i - 1], from)));
      }
    }
    return longest;
  }

  // (device index, seq) of every acknowledged event.
  std::set<std::pair<int, std::int64_t>> acknowledged_events() const {
    std::lock_guard lock{mutex_};
    std::set<std::pair<int, std::int64_t>> events;
    for (std::size_t d = 0; d < acks_.size(); ++d)
      for (std::size_t seq = 1; seq <= acks_[d].size(); ++seq)
        events.emplace(static_cast<int>(d), static_cast<std::int64_t>(seq));
    return events;
  }

  std::size_t refused_or_failed() const { return failures_.load(); }

 private:
  void post_events(std::size_t d) {
    std::optional<client::HttpsClient> c;
    for (std::int64_t seq = 1; !stopping_; ++seq) {
      const std::string body = R"({"device_id":"failover-)" + std::to_string(d) + R"(","seq":)" +
                               std::to_string(seq) + R"(,"time":")" + testing::device_time_now() +
                               R"(","type":"heartbeat"})";
      for (;;) {  // the event in hand is retried until acknowledged, even while stopping
        try {
          if (!c) c.emplace("localhost", port_, client::ClientTls{testing::test_tls().ca, "", ""});
          if (c->post_json("/api/v1/events", body, tokens_[d]).status == 200) break;
        } catch (const std::exception&) {
          c.reset();
        }
        ++failures_;
        if (abandoning_) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      {
        std::lock_guard lock{mutex_};
        acks_[d].push_back(SteadyClock::now());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  std::vector<std::string> tokens_;
  unsigned short port_;
  mutable std::mutex mutex_;
  std::vector<std::vector<SteadyClock::time_point>> acks_;  // per device: acks_[d][seq - 1]
  std::atomic<bool> stopping_{false};
  std::atomic<bool> abandoning_{false};  // only when the test has failed: the event in hand is given up
  std::atomic<std::size_t> failures_{0};
  std::vector<std::thread> threads_;
};

TEST(DatabaseFailoverE2E, EveryAcknowledgedEventSurvivesAFailoverAndASwitchoverOnce) {
  if (formation_dir().empty())
    GTEST_SKIP() << "no pg_auto_failover formation (run through tests/scripts/database_failover_test.sh)";
  testing::TestDatabase db;  // on the formation: PORTCULLIS_TEST_PGHOST/PGPORT list both nodes
  testing::ServerProcess server{db};
  constexpr int kDevices = 4;
  std::vector<std::string> tokens;
  tokens.reserve(kDevices);
  for (int d = 0; d < kDevices; ++d) tokens.push_back(server.enrol_device("failover-" + std::to_string(d)));
  server.start();
  Devices devices{tokens, server.port()};
  // Destroyed before the devices: when an assertion ends the test early, the server is killed first, so a
  // device waiting for an answer that will never come gets an error and gives up instead of hanging.
  struct ServerKilledFirstOnFailure {
    testing::ServerProcess& server;
    ~ServerKilledFirstOnFailure() {
      if (::testing::Test::HasFailure()) server.kill_hard();
    }
  } kill_server_first{server};
  ASSERT_TRUE(devices.wait_for_acknowledged(0, 200, std::chrono::seconds(60))) << server.log();
  // The premise of "no acknowledged event lost": a commit is answered only once the standby has it.
  EXPECT_EQ(synchronous_standbys(db), 1U);

  // The primary's machine dies.
  const auto failed_at = SteadyClock::now();
  const auto acknowledged_before_failover = devices.acknowledged();
  const auto old_primary = formation_call("paf_kill_primary");
  const auto new_primary = old_primary == "node1" ? "node2" : "node1";
  ASSERT_TRUE(devices.wait_for_acknowledged(devices.acknowledged(), 200, std::chrono::seconds(60)))
      << "devices got no answers after the failover:\n"
      << server.log();
  const auto failover_silence = devices.longest_silence_since(failed_at);
  EXPECT_EQ(formation_call("paf_primary"), new_primary);

  // The old primary's machine comes back: it rejoins as the synchronous standby (rewound to the new primary's
  // history), then the two trade places on purpose.
  formation_call("paf_restart_node", old_primary);
  formation_call("paf_wait 180 'the old primary to rejoin as standby' paf_standby_joined",
                 std::string(new_primary) + " " + old_primary);
  const auto switched_at = SteadyClock::now();
  const auto acknowledged_before_switchover = devices.acknowledged();
  formation_call("paf_switchover");
  formation_call("paf_wait 120 'the switchover to settle' paf_standby_joined",
                 old_primary + " " + new_primary);
  ASSERT_TRUE(devices.wait_for_acknowledged(devices.acknowledged(), 200, std::chrono::seconds(60)))
      << "devices got no answers after the switchover:\n"
      << server.log();
  const auto switchover_silence = devices.longest_silence_since(switched_at);
  EXPECT_EQ(ready_status(server), 200) << "the server did not resume on its own";
  EXPECT_EQ(synchronous_standbys(db), 1U) << "replication is not synchronous again after the switchover";
  devices.stop();

  const auto acknowledged = devices.acknowledged_events();
  pqxx::connection c{db.admin()};
  pqxx::read_transaction tx{c};
  std::set<std::pair<int, std::int64_t>> stored;
  std::size_t stored_twice = 0;
  for (const auto& row : tx.exec("SELECT device_id, device_seq, count(*) FROM events WHERE source = 'device' "
                                 "GROUP BY 1, 2 ORDER BY 1, 2")) {
    if (row[2].as<int>() != 1) {
      ++stored_twice;
      ADD_FAILURE() << row[0].as<std::string>() << "/" << row[1].as<std::int64_t>() << " stored "
                    << row[2].as<int>() << " times";
    }
    stored.emplace(std::stoi(row[0].as<std::string>().substr(std::string("failover-").size())),
                   row[1].as<std::int64_t>());
  }
  std::size_t lost = 0;
  for (const auto& event : acknowledged) {
    if (stored.count(event)) continue;
    ++lost;
    ADD_FAILURE() << "acknowledged event lost: failover-" << event.first << "/" << event.second;
  }
  // Every event sent was retried until acknowledged: none is stored that was not acknowledged either.
  EXPECT_EQ(stored, acknowledged);

  // The chain as an auditor checks it, through the same multi-host connection string.
  std::string chain;
  EXPECT_NO_THROW(chain = run_command(testing::binary_dir() +
                                      "/server/audit/portcullis-audit verify-chain --site main --database " +
                                      shell_quote(db.app())));

  std::cout << "database failover: " << acknowledged.size() << " events acknowledged ("
            << acknowledged_before_failover << " before the primary died, " << acknowledged_before_switchover
            << " before the switchover), " << stored.size() << " stored, " << lost << " lost, "
            << stored_twice << " stored twice; " << devices.refused_or_failed()
            << " attempts unanswered or refused (retried); longest wait without an answer: "
            << failover_silence.count() << " s in the failover, " << switchover_silence.count()
            << " s in the switchover; verify-chain: " << chain << '\n';
  ::testing::Test::RecordProperty("failover_longest_silence_ms",
                                  static_cast<int>(failover_silence.count() * 1000));
  ::testing::Test::RecordProperty("switchover_longest_silence_ms",
                                  static_cast<int>(switchover_silence.count() * 1000));
  EXPECT_LE(failover_silence, kLongestAllowedSilence);
  EXPECT_LE(switchover_silence, kLongestAllowedSilence);
}

}  // namespace
}  // namespace portcullis
