// Failover between two instances of one site on one PostgreSQL: a follower takes the site when its owner
// dies (SIGKILL) or loses its database session, by itself and without a restart. Devices know both servers
// and try the other one when theirs does not answer or answers 503. Every acknowledged event is stored
// exactly once, the chain verifies, and at no time do two instances write the site.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "child_process.hpp"
#include "portcullis/audit/chain_verifier.hpp"
#include "portcullis/client/https_client.hpp"
#include "server_process.hpp"

namespace portcullis {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// A directory of this test's own for an instance's keys and checkpoints.
std::string new_state_dir(const std::string& name) {
  auto dir = testing::test_tls().dir + "/failover-" + name + "-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// What a follower that may take over needs: its checkpoint directory (it signs what it writes once it owns
// the site) and the site's TOTP key (the same file as the owner's: it opens the secrets the owner sealed).
std::map<std::string, std::string> standby_env(const std::string& dir, const std::string& totp_key) {
  return {{"PORTCULLIS_ROLE", "follower"},
          {"PORTCULLIS_CHECKPOINT_DIR", dir + "/checkpoints"},
          {"PORTCULLIS_CHECKPOINT_INTERVAL", "1"},
          {"PORTCULLIS_TOTP_KEY", totp_key}};
}

client::HttpReply ready_of(unsigned short port) {
  client::HttpsClient c{"localhost", port, client::ClientTls{testing::test_tls().ca, "", ""}};
  return c.get("/health/ready");
}

int ready_status(unsigned short port) {
  try {
    return ready_of(port).status;
  } catch (const std::exception&) {
    return 0;  // not answering at all
  }
}

std::string heartbeat(const std::string& device, int seq) {
  return R"({"device_id":")" + device + R"(","seq":)" + std::to_string(seq) +
         R"(,"time":"2026-11-27T10:00:00Z","type":"heartbeat"})";
}

// Device events per (device, seq) stored in the site's history: each must be there once.
std::map<std::pair<std::string, int>, int> stored_device_events(const testing::TestDatabase& db) {
  pqxx::connection c{db.admin()};
  pqxx::read_transaction tx{c};
  std::map<std::pair<std::string, int>, int> stored;
  for (const auto& row :
       tx.exec("SELECT device_id, device_seq, count(*) FROM events WHERE source = 'device' GROUP BY 1, 2"))
    stored[{row[0].as<std::string>(), row[1].as<int>()}] = row[2].as<int>();
  return stored;
}

TEST(Failover, AFollowerTakesOverWithinSecondsWhenTheOwnerIsKilledAndNoEventIsLostOrDoubled) {
  PORTCULLIS_REQUIRE_DATABASE();
  testing::TestDatabase db;
  const auto owner_dir = new_state_dir("owner");
  const auto standby_dir = new_state_dir("standby");
  const auto totp_key = owner_dir + "/totp.key";
  testing::ServerProcess owner{
      db, {{"PORTCULLIS_CHECKPOINT_DIR", owner_dir + "/checkpoints"}, {"PORTCULLIS_TOTP_KEY", totp_key}}};
  testing::ServerProcess standby{db, standby_env(standby_dir, totp_key)};
  constexpr int kDevices = 3, kEventsEach = 200;
  constexpr std::size_t kEvents = std::size_t{kDevices} * std::size_t{kEventsEach};
  std::vector<std::string> tokens;
  tokens.reserve(kDevices);
  for (int d = 0; d < kDevices; ++d) tokens.push_back(owner.enrol_device("ctl-" + std::to_string(d)));
  owner.start();
  standby.start();
  const std::vector<unsigned short> servers{owner.port(), standby.port()};

  // While the owner lives, the standby keeps trying the site's lock and does not get it.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const auto waiting = ready_of(standby.port());
  ASSERT_EQ(waiting.status, 503) << waiting.body;
  EXPECT_EQ(json::parse(waiting.body).at("reason"), "follower");
  EXPECT_EQ(json::parse(waiting.body).at("takeover"), "standby") << waiting.body;
  ASSERT_EQ(ready_status(owner.port()), 200);

  // Devices are given both servers and move to the other one when theirs fails or answers 503; an event
  // not acknowledged is kept and sent again with the same seq.
  std::mutex acked_mutex;
  std::set<std::pair<int, int>> acknowledged;
  std::atomic<int> unanswered{0};
  std::vector<std::thread> devices;
  devices.reserve(kDevices);
  for (int d = 0; d < kDevices; ++d) {
    devices.emplace_back([&, d] {
      std::size_t server = 0;
      std::optional<client::HttpsClient> c;
      const auto device = "ctl-" + std::to_string(d);
      const auto until = Clock::now() + std::chrono::seconds(120);
      for (int seq = 1; seq <= kEventsEach && Clock::now() < until;) {
        try {
          if (!c) c.emplace("localhost", servers[server], client::ClientTls{testing::test_tls().ca, "", ""});
          const auto r = c->post_json("/api/v1/events", heartbeat(device, seq), tokens[std::size_t(d)]);
          if (r.status == 200) {
            std::lock_guard lock{acked_mutex};
            acknowledged.emplace(d, seq);
            ++seq;
            continue;
          }
        } catch (const std::exception&) {
        }
        ++unanswered;
        c.reset();
        server = (server + 1) % servers.size();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }

  const auto acked_count = [&] {
    std::lock_guard lock{acked_mutex};
    return acknowledged.size();
  };
  ASSERT_TRUE(testing::wait_for([&] { return acked_count() > kEvents / 3; }, std::chrono::seconds(60),
                                std::chrono::milliseconds(5)));
  owner.kill_hard();
  const auto killed_at = Clock::now();
  const auto acked_before_kill = acked_count();
  ASSERT_TRUE(testing::wait_for([&] { return ready_status(standby.port()) == 200; }, std::chrono::seconds(30),
                                std::chrono::milliseconds(50)))
      << standby.log();
  const auto took_over_after = Clock::now() - killed_at;
  std::cerr << "failover: the standby was ready "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took_over_after).count()
            << " ms after the owner was killed\n";
  EXPECT_LT(took_over_after, std::chrono::seconds(10)) << "took over too slowly";
  for (auto& t : devices) t.join();

  EXPECT_GT(unanswered.load(), 0) << "the kill interrupted no device";
  EXPECT_LT(acked_before_kill, kEvents) << "the kill came after every event";
  const auto stored = stored_device_events(db);
  for (const auto& [key, count] : stored)
    EXPECT_EQ(count, 1) << key.first << "/" << key.second << " stored twice";
  for (const auto& [d, seq] : acknowledged)
    EXPECT_TRUE(stored.contains({"ctl-" + std::to_string(d), seq}))
        << "acknowledged event lost: " << d << "/" << seq;
  EXPECT_EQ(acknowledged.size(), kEvents) << "every event was acknowledged in the end";
  EXPECT_EQ(stored.size(), kEvents);
  const auto chain = audit::verify_chain(db.app(), "main");
  EXPECT_TRUE(chain.intact) << chain.problem;
  EXPECT_NE(standby.log().find("took over the site"), std::string::npos) << standby.log();
  // The new owner signs what it writes: its checkpoints appear in its own directory.
  EXPECT_TRUE(testing::wait_for(
      [&] {
        for (const auto& entry : std::filesystem::directory_iterator(standby_dir + "/checkpoints"))
          if (entry.path().filename().string().ends_with(".checkpoint.json")) return true;
        return false;
      },
      std::chrono::seconds(10)))
      << standby.log();
}

TEST(Failover, AFollowerWithoutItsCheckpointKeyDoesNotTakeOverAndSaysWhy) {
  PORTCULLIS_REQUIRE_DATABASE();
  testing::TestDatabase db;
  testing::ServerProcess owner{db};
  testing::ServerProcess standby{db, {{"PORTCULLIS_ROLE", "follower"}}};
  owner.start();
  standby.start();
  owner.kill_hard();
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const auto ready = ready_of(standby.port());
  ASSERT_EQ(ready.status, 503) << ready.body;
  const auto body = json::parse(ready.body);
  EXPECT_EQ(body.at("reason"), "follower");
  EXPECT_EQ(body.at("takeover"), "not_configured") << ready.body;
  EXPECT_NE(body.at("detail").get<std::string>().find("checkpoint_dir"), std::string::npos) << ready.body;
  EXPECT_NE(standby.log().find("will not take over"), std::string::npos) << standby.log();
}

TEST(Failover, AFollowerConfiguredAsAReadReplicaNeverTakesOver) {
  PORTCULLIS_REQUIRE_DATABASE();
  testing::TestDatabase db;
  const auto dir = new_state_dir("replica");
  auto env = standby_env(dir, dir + "/totp.key");
  env["PORTCULLIS_TAKEOVER"] = "off";
  testing::ServerProcess owner{db};
  testing::ServerProcess replica{db, env};
  owner.start();
  replica.start();
  owner.kill_hard();
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const auto ready = ready_of(replica.port());
  ASSERT_EQ(ready.status, 503) << ready.body;
  EXPECT_EQ(json::parse(ready.body).at("takeover"), "off") << ready.body;
}

// The owner's machine is cut off from PostgreSQL: its session is ended and it cannot open another (its own
// login role is refused, as a network partition would). Its lock goes with the session, the standby takes
// the site, and the old owner stops saying it is ready by itself, acknowledges nothing, writes nothing.
TEST(Failover, AnOwnerCutOffFromItsDatabaseStopsWritingAndTheStandbyTakesOver) {
  PORTCULLIS_REQUIRE_DATABASE();
  testing::TestDatabase db;
  // A login role of the owner's own, with the application role's rights, that the test can refuse.
  const auto owner_role = "failover_owner_" + db.name().substr(db.name().rfind('_') + 1);
  const auto as_admin = [&](const std::string& sql) {
    pqxx::connection admin{db.admin()};
    pqxx::nontransaction tx{admin};
    return tx.exec(sql);
  };
  as_admin("DROP ROLE IF EXISTS " + owner_role);
  as_admin("CREATE ROLE " + owner_role + " LOGIN IN ROLE portcullis_app");
  const auto dir = new_state_dir("partition");
  const auto totp_key = dir + "/totp.key";
  {
    testing::ServerProcess owner{
        db, {{"PORTCULLIS_DATABASE", db.app() + " user=" + owner_role}, {"PORTCULLIS_TOTP_KEY", totp_key}}};
    testing::ServerProcess standby{db, standby_env(dir, totp_key)};
    const auto token = owner.enrol_device("ctl-p");
    owner.start();
    standby.start();
    client::HttpsClient at_owner{"localhost", owner.port(),
                                 client::ClientTls{testing::test_tls().ca, "", ""}};
    ASSERT_EQ(at_owner.post_json("/api/v1/events", heartbeat("ctl-p", 1), token).status, 200);

    as_admin("ALTER ROLE " + owner_role + " NOLOGIN");
    const auto ended = as_admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" +
                                owner_role + "'");
    ASSERT_GE(ended.size(), 1U);
    ASSERT_TRUE(testing::wait_for([&] { return ready_status(standby.port()) == 200; },
                                  std::chrono::seconds(10), std::chrono::milliseconds(50)))
        << standby.log();
    // The old owner learns it lost the site by itself (no event needed) and stops saying it is ready.
    EXPECT_TRUE(
        testing::wait_for([&] { return ready_status(owner.port()) == 503; }, std::chrono::seconds(10)))
        << owner.log();
    int status = 0;
    try {
      client::HttpsClient again{"localhost", owner.port(), client::ClientTls{testing::test_tls().ca, "", ""}};
      status = again.post_json("/api/v1/events", heartbeat("ctl-p", 2), token).status;
    } catch (const std::exception&) {
      status = 0;
    }
    EXPECT_NE(status, 200) << "the old owner acknowledged an event while another instance owns the site";
    client::HttpsClient at_standby{"localhost", standby.port(),
                                   client::ClientTls{testing::test_tls().ca, "", ""}};
    EXPECT_EQ(at_standby.post_json("/api/v1/events", heartbeat("ctl-p", 2), token).status, 200);
    EXPECT_EQ(at_standby.post_json("/api/v1/events", heartbeat("ctl-p", 1), token).status, 200)
        << "a retry of an event the old owner stored is answered from history";
    const auto stored = stored_device_events(db);
    EXPECT_EQ(stored.size(), 2U);
    for (const auto& [key, count] : stored) EXPECT_EQ(count, 1) << key.first << "/" << key.second;
    const auto chain = audit::verify_chain(db.app(), "main");
    EXPECT_TRUE(chain.intact) << chain.problem;
  }
  as_admin("DROP ROLE IF EXISTS " + owner_role);
}

}  // namespace
}  // namespace portcullis
