// Fault test: while a device posts events, the server is killed with SIGKILL and restarted. Every event
// that was acknowledged is stored exactly once, every event is eventually stored, and the chain verifies.
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "portcullis/audit/chain_verifier.hpp"
#include "portcullis/client/https_client.hpp"
#include "server_process.hpp"

namespace portcullis {
namespace {

TEST(CrashRecovery, AcknowledgedEventsSurviveKillNine) {
  PORTCULLIS_REQUIRE_DATABASE();
  testing::TestDatabase db;
  testing::ServerProcess server{db};
  std::vector<std::string> tokens;
  constexpr int kDevices = 4, kEventsEach = 300;
  for (int d = 0; d < kDevices; ++d) tokens.push_back(server.enrol_device("ctl-" + std::to_string(d)));
  server.start();
  std::atomic<unsigned short> port{server.port()};

  std::mutex acked_mutex;
  std::set<std::pair<int, int>> acknowledged;
  std::atomic<int> failures{0};
  std::vector<std::thread> devices;
  for (int d = 0; d < kDevices; ++d) {
    devices.emplace_back([&, d] {
      std::optional<client::HttpsClient> c;
      unsigned short connected_port = 0;
      for (int seq = 1; seq <= kEventsEach;) {
        const std::string body = R"({"device_id":"ctl-)" + std::to_string(d) + R"(","seq":)" +
                                 std::to_string(seq) +
                                 R"(,"time":"2026-11-27T10:00:00Z","type":"heartbeat"})";
        try {
          if (!c || connected_port != port.load()) {
            connected_port = port.load();
            c.emplace("localhost", connected_port, client::ClientTls{testing::test_tls().ca, "", ""});
          }
          const auto r = c->post_json("/api/v1/events", body, tokens[static_cast<std::size_t>(d)]);
          if (r.status == 200) {
            std::lock_guard lock{acked_mutex};
            acknowledged.emplace(d, seq);
            ++seq;
            continue;
          }
          ++failures;
        } catch (const std::exception&) {
          ++failures;  // server down: the device keeps the event and retries, as a controller buffers
          c.reset();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  }

  // Let some events through, then crash the server mid-stream and bring it back.
  while (true) {
    {
      std::lock_guard lock{acked_mutex};
      if (acknowledged.size() > kDevices * kEventsEach / 3) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  server.kill_hard();
  std::size_t acked_before_crash = 0;
  {
    std::lock_guard lock{acked_mutex};
    acked_before_crash = acknowledged.size();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  server.start();
  port = server.port();
  for (auto& t : devices) t.join();

  EXPECT_GT(failures.load(), 0) << "the crash did not interrupt anyone";
  pqxx::connection c{db.admin()};
  pqxx::read_transaction tx{c};
  const auto rows = tx.exec(
      "SELECT device_id, device_seq, count(*) FROM events WHERE source = 'device' GROUP BY 1, 2 ORDER BY 1, "
      "2");
  std::set<std::pair<int, int>> stored;
  for (const auto& row : rows) {
    EXPECT_EQ(row[2].as<int>(), 1) << row[0].as<std::string>() << "/" << row[1].as<int>() << " stored twice";
    stored.emplace(std::stoi(row[0].as<std::string>().substr(4)), row[1].as<int>());
  }
  for (const auto& a : acknowledged)
    EXPECT_TRUE(stored.count(a)) << "acknowledged event lost: " << a.first << "/" << a.second;
  EXPECT_EQ(stored.size(), static_cast<std::size_t>(kDevices * kEventsEach));
  EXPECT_GT(acked_before_crash, 0U);
  const auto chain = audit::verify_chain(db.app(), "main");
  EXPECT_TRUE(chain.intact) << chain.problem;
}

}  // namespace
}  // namespace portcullis
