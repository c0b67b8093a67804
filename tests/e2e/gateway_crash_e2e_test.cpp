// Durable store-and-forward: the gateway and the server are both killed with SIGKILL while card reads are
// flowing, then restarted; every read the gateway took is stored exactly once.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <set>
#include <string>

#include "child_process.hpp"
#include "server_process.hpp"

namespace portcullis {
namespace {

using testing::Child;
using testing::slurp;
using testing::wait_for;

// Enough reads (30 batches of 100) that the server is killed with most of them still to deliver, also on an
// idle machine that commits a batch in a few milliseconds.
constexpr int kReads = 3000;
constexpr int kFirstCard = 20000;

std::set<int> card_numbers_in(const std::string& text) {
  std::set<int> numbers;
  for (std::size_t at = text.find("\"number\":"); at != std::string::npos;
       at = text.find("\"number\":", at + 1))
    numbers.insert(std::stoi(text.substr(at + 9)));
  return numbers;
}

TEST(GatewayCrash, EveryReadIsStoredExactlyOnceAcrossKillsOfTheGatewayAndTheServer) {
  PORTCULLIS_REQUIRE_DATABASE();
  testing::TestDatabase db;
  testing::ServerProcess server{db, testing::example_site_env()};
  const auto dir = testing::test_tls().dir + "/crash-" + db.name();
  std::filesystem::create_directories(dir);
  const auto token = dir + "/ctl-lobby.token";
  std::ofstream(token) << server.enrol_device("ctl-lobby");
  std::filesystem::permissions(token,
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::ofstream(dir + "/map.json") << R"({"readers": {"1": "rdr-lobby-in"}})";
  {
    std::ofstream script(dir + "/reads.osdp");
    for (int i = 0; i < kReads; ++i) script << "card 1 H10301 42 " << kFirstCard + i << "\n";
  }
  const auto gateway_exe = testing::binary_dir() + "/device-adapters/gateway/portcullis-gateway";
  ASSERT_EQ(std::system((gateway_exe + " encode " + dir + "/reads.osdp > " + dir + "/bus.bin").c_str()), 0);
  server.start();
  const auto gateway = [&](const std::string& input, const std::string& log) {
    return Child{{gateway_exe, "--server", "https://localhost:" + std::to_string(server.port()), "--ca",
                  testing::test_tls().ca, "--token-file", token, "--device-id", "ctl-lobby", "--map",
                  dir + "/map.json", "--input", input, "--state-dir", dir, "--drain-seconds", "60"},
                 log};
  };
  const auto journal = dir + "/gateway-ctl-lobby.journal";

  auto first = gateway(dir + "/bus.bin", dir + "/gateway-1.log");
  // Killed as soon as the first batch is stored: mid-traffic, perhaps with a commit whose answer is lost.
  pqxx::connection watch{db.admin()};
  ASSERT_TRUE(wait_for(
      [&] {
        pqxx::nontransaction tx{watch};
        return tx.exec1("SELECT count(*) FROM events WHERE device_id = 'ctl-lobby'")[0].as<int>() > 0;
      },
      std::chrono::seconds(30), std::chrono::milliseconds(2)))
      << slurp(dir + "/gateway-1.log");
  server.kill_hard();
  // Every read taken by the gateway is in its journal before it counts as buffered.
  ASSERT_TRUE(wait_for([&] { return card_numbers_in(slurp(journal)).count(kFirstCard + kReads - 1) == 1; },
                       std::chrono::seconds(30)))
      << slurp(dir + "/gateway-1.log");
  first.kill_hard();  // the gateway crashes with events unacknowledged
  const auto pending_at_crash = card_numbers_in(slurp(journal));
  EXPECT_FALSE(pending_at_crash.empty());

  server.start();
  auto second = gateway("/dev/null", dir + "/gateway-2.log");  // no new reads: only the journal to deliver
  ASSERT_EQ(second.wait_exit(std::chrono::seconds(60)), 0) << slurp(dir + "/gateway-2.log");

  pqxx::connection c{db.admin()};
  pqxx::read_transaction tx{c};
  const auto rows = tx.exec(
      "SELECT (payload::json->'card'->>'number')::int AS n, count(*) FROM events "
      "WHERE device_id = 'ctl-lobby' AND type = 'credential' GROUP BY n");
  std::set<int> stored;
  for (const auto& row : rows) {
    EXPECT_EQ(row[1].as<int>(), 1) << "card " << row[0].as<int>() << " stored more than once";
    stored.insert(row[0].as<int>());
  }
  EXPECT_EQ(stored.size(), static_cast<std::size_t>(kReads)) << slurp(dir + "/gateway-2.log");
  EXPECT_EQ(*stored.begin(), kFirstCard);
  EXPECT_EQ(*stored.rbegin(), kFirstCard + kReads - 1);
  EXPECT_NE(slurp(dir + "/gateway-2.log").find("from the journal to deliver first"), std::string::npos);
}

}  // namespace
}  // namespace portcullis
