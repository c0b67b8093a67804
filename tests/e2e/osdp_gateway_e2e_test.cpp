// The gateway as OSDP Control Panel against the simulated PD over a pseudo-terminal, with the real server:
// the Secure Channel is set up, a card read reaches portcullisd and its verdict comes back to the PD as a
// door strike and a green LED; a PD with a wrong key and a plaintext read injected on a secure channel are
// refused and alarmed (tamper events the server stores).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "child_process.hpp"
#include "server_process.hpp"

namespace portcullis {
namespace {

using testing::Child;
using testing::slurp;
using testing::wait_for;

constexpr const char* kSiteKeyHex = "1032547698badcfe0123456789abcdef";
constexpr const char* kOtherKeyHex = "0102030405060708090a0b0c0d0e0f10";

struct Rig {
  testing::TestDatabase db;
  testing::ServerProcess server{db, testing::example_site_env()};
  std::string dir;
  std::string token_file;

  Rig() {
    dir = testing::test_tls().dir + "/osdp-" + db.name();
    std::filesystem::create_directories(dir);
    token_file = dir + "/ctl-lobby.token";
    std::ofstream(token_file) << server.enrol_device("ctl-lobby");
    std::filesystem::permissions(token_file,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    server.start();
  }

  // The map file: the gateway is the Control Panel of PD 1 on the simulator's pseudo-terminal.
  std::string map_file(const std::string& key_hex) {
    const auto path = dir + "/gateway.map.json";
    std::ofstream(path) << R"({"readers": {"1": "rdr-lobby-in"},
      "control_panel": {"transport": "serial:)"
                        << dir << R"(/pd1", "reply_timeout_ms": 300,
                        "pds": {"1": {"scbk": ")"
                        << key_hex << R"("}}}})";
    std::filesystem::permissions(path,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    return path;
  }

  Child pd(const std::string& key_hex, std::vector<std::string> extra) {
    std::ofstream(dir + "/pd.key") << key_hex;
    std::vector<std::string> argv{testing::binary_dir() + "/simulators/osdp-pd/portcullis-osdp-pd",
                                  "--link",
                                  dir + "/pd1",
                                  "--address",
                                  "1",
                                  "--scbk-file",
                                  dir + "/pd.key",
                                  "--log",
                                  dir + "/pd.log"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    Child child{argv, dir + "/pd.out"};
    wait_for([&] { return std::filesystem::exists(dir + "/pd1"); }, std::chrono::seconds(5));
    return child;
  }

  Child gateway(const std::string& gateway_key_hex) {
    return Child{{testing::binary_dir() + "/device-adapters/gateway/portcullis-gateway", "--server",
                  "https://localhost:" + std::to_string(server.port()), "--ca", testing::test_tls().ca,
                  "--token-file", token_file, "--device-id", "ctl-lobby", "--map", map_file(gateway_key_hex),
                  "--state-dir", dir, "--drain-seconds", "5"},
                 dir + "/gateway.log"};
  }

  int count(const std::string& where) {
    pqxx::connection c{db.admin()};
    pqxx::read_transaction tx{c};
    return tx.exec("SELECT count(*) FROM events WHERE device_id = 'ctl-lobby' AND " + where)[0][0].as<int>();
  }

  std::string logs() {
    return "gateway:\n" + slurp(dir + "/gateway.log") + "\npd:\n" + slurp(dir + "/pd.log");
  }
};

TEST(OsdpGateway, ACardReadOverTheSecureChannelOpensTheDoorOnTheServersVerdict) {
  PORTCULLIS_REQUIRE_DATABASE();
  Rig rig;
  auto pd = rig.pd(kSiteKeyHex, {"--card", "42:10001", "--first-card-ms", "500"});
  auto gateway = rig.gateway(kSiteKeyHex);
  // osdp_OUT is command 0x68 = 104: the door strike, sent only after the server granted.
  ASSERT_TRUE(wait_for([&] { return slurp(rig.dir + "/pd.log").find(R"("code":104)") != std::string::npos; },
                       std::chrono::seconds(20)))
      << rig.logs();
  const auto log = slurp(rig.dir + "/pd.log");
  EXPECT_NE(log.find(R"({"event":"secure_channel"})"), std::string::npos);
  EXPECT_NE(log.find(R"({"event":"command","code":104,"data":"0005)"), std::string::npos) << log;
  // osdp_LED 0x69 = 105, temporary colour green (2).
  EXPECT_NE(log.find(R"("code":105,"data":"000002)"), std::string::npos) << log;
  EXPECT_EQ(log.find(R"("secure":false)"), std::string::npos) << "a command went in clear: " << log;
  EXPECT_EQ(rig.count("type = 'credential' AND payload LIKE '%10001%' AND outcome LIKE '%grant%'"), 1)
      << rig.logs();
  EXPECT_EQ(rig.count("type = 'tamper'"), 0) << rig.logs();
  EXPECT_EQ(slurp(rig.dir + "/gateway.log").find(kSiteKeyHex), std::string::npos) << "the key was logged";
}

TEST(OsdpGateway, APdWithAWrongKeyIsRefusedAndAlarmed) {
  PORTCULLIS_REQUIRE_DATABASE();
  Rig rig;
  auto pd = rig.pd(kOtherKeyHex, {"--card", "42:10001", "--first-card-ms", "0"});
  auto gateway = rig.gateway(kSiteKeyHex);
  ASSERT_TRUE(wait_for(
      [&] { return rig.count("type = 'tamper' AND payload LIKE '%osdp-wrong-key:rdr-lobby-in%'") == 1; },
      std::chrono::seconds(20)))
      << rig.logs();
  // The server raises it as a high-severity tamper alarm for the operators.
  EXPECT_EQ(rig.count("type = 'tamper' AND payload LIKE '%osdp-wrong-key%' AND outcome LIKE '%\"tamper\"%'"),
            1)
      << rig.logs();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(rig.count("type = 'credential'"), 0) << rig.logs();
  EXPECT_EQ(slurp(rig.dir + "/pd.log").find(R"("event":"command")"), std::string::npos) << rig.logs();
}

TEST(OsdpGateway, APlaintextReadInjectedOnTheSecureChannelIsDroppedAndAlarmed) {
  PORTCULLIS_REQUIRE_DATABASE();
  Rig rig;
  // The second card is sent in clear while the session is up, as an attacker on the wire would inject it.
  auto pd = rig.pd(kSiteKeyHex, {"--card", "42:10001", "--card", "42:10002", "--inject-plaintext-card", "2",
                                 "--first-card-ms", "500", "--card-interval-ms", "1500"});
  auto gateway = rig.gateway(kSiteKeyHex);
  ASSERT_TRUE(wait_for(
      [&] { return rig.count("type = 'tamper' AND payload LIKE '%osdp-downgrade:rdr-lobby-in%'") >= 1; },
      std::chrono::seconds(20)))
      << rig.logs();
  EXPECT_EQ(rig.count("type = 'tamper' AND payload LIKE '%osdp-downgrade%' AND outcome LIKE '%\"tamper\"%'"),
            1)
      << rig.logs();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(rig.count("type = 'credential' AND payload LIKE '%10001%'"), 1) << rig.logs();
  EXPECT_EQ(rig.count("type = 'credential' AND payload LIKE '%10002%'"), 0)
      << "the injected read got through";
}

}  // namespace
}  // namespace portcullis
