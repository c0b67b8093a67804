// Store-and-forward: the simulator plays the day scenario while the server is stopped mid-run and started
// again. Devices buffer with their sequence numbers and replay on reconnect: every event arrives exactly
// once and the chain verifies.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "portcullis/audit/chain_verifier.hpp"
#include "server_process.hpp"

namespace portcullis {
namespace {

unsigned short free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST(StoreAndForward, EveryEventArrivesExactlyOnceAcrossAnOutage) {
  PORTCULLIS_REQUIRE_DATABASE();
  testing::TestDatabase db;
  const auto port = free_port();
  testing::ServerProcess server{db, portcullis::testing::example_site_env(
                                        {{"PORTCULLIS_LISTEN", "127.0.0.1:" + std::to_string(port)}})};
  const auto dir = testing::test_tls().dir + "/tokens-" + db.name();
  std::filesystem::create_directories(dir);
  for (const auto* device :
       {"ctl-lobby", "ctl-office", "ctl-mantrap", "ctl-cage", "rack-ctl-w01", "rfid-loading-dock"}) {
    std::ofstream(dir + "/" + device + ".token") << server.enrol_device(device);
  }
  server.start();

  const auto report = dir + "/report.json";
  int sim_status = -1;
  std::thread sim([&] {
    const auto cmd =
        testing::binary_dir() +
        "/simulators/sim/portcullis-sim play --server https://localhost:" + std::to_string(port) + " --ca " +
        testing::test_tls().ca + " --tokens " + dir + " --speed 10 --quiet --report " + report + " " +
        testing::source_dir() + "/simulators/scenarios/day-in-a-datacenter.json > " + dir + "/sim.log 2>&1";
    sim_status = std::system(cmd.c_str());
  });
  std::this_thread::sleep_for(std::chrono::seconds(4));  // a good part of the 14.5 s round
  server.kill_hard();
  std::this_thread::sleep_for(std::chrono::seconds(3));  // devices keep playing and buffer
  server.start();
  sim.join();

  std::ifstream in(report);
  ASSERT_TRUE(in) << "no simulator report";
  const auto summary = nlohmann::json::parse(in);
  const int played = summary.at("played");
  EXPECT_GT(played, 50);
  EXPECT_EQ(summary.at("dropped").get<int>(), 0);
  EXPECT_EQ(summary.at("still_buffered").get<int>(), 0);
  EXPECT_EQ(summary.at("stored").get<int>() + summary.at("duplicate").get<int>(), played) << summary.dump();
  EXPECT_GT(summary.at("network_errors").get<int>() + summary.at("retries").get<int>(), 0)
      << "the outage was not noticed: " << summary.dump();

  pqxx::connection c{db.admin()};
  pqxx::read_transaction tx{c};
  const auto stored =
      tx.exec("SELECT count(*), count(DISTINCT (device_id, device_seq)) FROM events WHERE source = 'device'");
  EXPECT_EQ(stored[0][0].as<int>(), played) << "not every event arrived exactly once";
  EXPECT_EQ(stored[0][1].as<int>(), played);
  const auto chain = audit::verify_chain(db.app(), "ams-dc1");
  EXPECT_TRUE(chain.intact) << chain.problem;
}

TEST(DayScenario, PassesItsOwnChecksAgainstTheServer) {
  PORTCULLIS_REQUIRE_DATABASE();
  testing::TestDatabase db;
  testing::ServerProcess server{db, portcullis::testing::example_site_env()};
  const auto dir = testing::test_tls().dir + "/tokens-" + db.name();
  std::filesystem::create_directories(dir);
  for (const auto* device :
       {"ctl-lobby", "ctl-office", "ctl-mantrap", "ctl-cage", "rack-ctl-w01", "rfid-loading-dock"}) {
    std::ofstream(dir + "/" + device + ".token") << server.enrol_device(device);
  }
  server.start();
  const auto cmd =
      testing::binary_dir() +
      "/simulators/sim/portcullis-sim play --check --quiet --speed 3 --server https://localhost:" +
      std::to_string(server.port()) + " --ca " + testing::test_tls().ca + " --tokens " + dir + " " +
      testing::source_dir() + "/simulators/scenarios/day-in-a-datacenter.json > " + dir + "/check.log 2>&1";
  const int status = std::system(cmd.c_str());
  std::ifstream log(dir + "/check.log");
  const std::string text{std::istreambuf_iterator<char>(log), {}};
  EXPECT_EQ(status, 0) << text;
}

}  // namespace
}  // namespace portcullis
