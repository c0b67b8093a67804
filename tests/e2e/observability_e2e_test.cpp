// What a load balancer, systemd and Prometheus see: liveness, readiness, and metrics scraped with a
// credential of their own that opens nothing else. Real portcullisd, real TLS, real PostgreSQL.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "operator_support.hpp"
#include "portcullis/client/https_client.hpp"
#include "portcullis/operators/crypto/digest.hpp"
#include "server_process.hpp"

namespace portcullis {
namespace {

using nlohmann::json;

constexpr const char* kScrapeToken = "scrape-token-for-the-tests-0123456789abcdef";

class ObservabilityE2E : public ::testing::Test {
 protected:
  void start(std::map<std::string, std::string> env) {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    server = std::make_unique<testing::ServerProcess>(*db, std::move(env));
    server->start();
    client = std::make_unique<client::HttpsClient>("localhost", server->port(),
                                                   client::ClientTls{testing::test_tls().ca, "", ""});
  }
  void start_with_scrape_token() {
    start({{"PORTCULLIS_METRICS_TOKEN_SHA256", operators::crypto::sha256_hex(kScrapeToken)}});
  }

  std::unique_ptr<testing::TestDatabase> db;
  std::unique_ptr<testing::ServerProcess> server;
  std::unique_ptr<client::HttpsClient> client;
};

TEST_F(ObservabilityE2E, PrometheusScrapesMetricsWithItsOwnTokenWithoutAnOperatorSession) {
  start_with_scrape_token();
  const auto scraped = client->get("/metrics", kScrapeToken);
  ASSERT_EQ(scraped.status, 200) << scraped.body;
  EXPECT_NE(scraped.body.find("# TYPE portcullis_events_accepted_total counter"), std::string::npos)
      << scraped.body;
  EXPECT_EQ(client->get("/metrics").status, 401);
  EXPECT_EQ(client->get("/metrics", "some-other-token").status, 401);
}

TEST_F(ObservabilityE2E, TheScrapeTokenOpensNothingButMetrics) {
  start_with_scrape_token();
  for (const char* path : {"/api/v1/site", "/api/v1/alarms", "/api/v1/people", "/api/v1/audit/reports",
                           "/api/v1/devices/me/commands"}) {
    EXPECT_EQ(client->get(path, kScrapeToken).status, 403) << path;
  }
  const auto posted = client->post_json(
      "/api/v1/events", R"({"device_id":"x","seq":1,"time":"2026-11-27T10:00:00.000Z","type":"heartbeat"})",
      kScrapeToken);
  EXPECT_EQ(posted.status, 403) << posted.body;
}

TEST_F(ObservabilityE2E, WithoutAScrapeTokenConfiguredNoBearerReadsMetrics) {
  start({});
  EXPECT_EQ(client->get("/metrics", kScrapeToken).status, 401);
}

TEST_F(ObservabilityE2E, TheMetricsPassPromtoolsOwnCheck) {
  start_with_scrape_token();
  const auto scraped = client->get("/metrics", kScrapeToken);
  ASSERT_EQ(scraped.status, 200);
  const std::string file = testing::binary_dir() + "/observability-metrics.txt";
  std::ofstream{file} << scraped.body;
  // promtool (Debian's prometheus package) lints names, types, help and units the way Prometheus expects.
  const std::string cmd = "promtool check metrics < " + file + " 2>&1";
  std::FILE* pipe = ::popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string said;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) said += buffer;
  const int status = ::pclose(pipe);
  EXPECT_EQ(status, 0) << said;
  EXPECT_EQ(said, "") << "promtool's findings";
}

TEST_F(ObservabilityE2E, LivenessAndReadinessAnswerWithoutCredentials) {
  start({});
  const auto live = client->get("/health/live");
  ASSERT_EQ(live.status, 200) << live.body;
  EXPECT_EQ(json::parse(live.body).at("status"), "live");
  const auto ready = client->get("/health/ready");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(json::parse(ready.body).at("status"), "ready");
}

TEST_F(ObservabilityE2E, AFollowerIsLiveButNotReadyForDevices) {
  PORTCULLIS_REQUIRE_DATABASE();
  db = std::make_unique<testing::TestDatabase>();
  testing::ServerProcess owner{*db};
  owner.start();
  server = std::make_unique<testing::ServerProcess>(
      *db, std::map<std::string, std::string>{{"PORTCULLIS_ROLE", "follower"}});
  server->start();
  client = std::make_unique<client::HttpsClient>("localhost", server->port(),
                                                 client::ClientTls{testing::test_tls().ca, "", ""});
  EXPECT_EQ(client->get("/health/live").status, 200);
  const auto ready = client->get("/health/ready");
  EXPECT_EQ(ready.status, 503) << ready.body;
  EXPECT_EQ(json::parse(ready.body).at("reason"), "follower");
}

// A load balancer must stop sending doors to an instance whose commits fail, and send them again once it is
// back: PostgreSQL refuses the instance's connections (the database closed to new connections, its
// sessions ended), a device event is not acknowledged, readiness says why, and both recover when the
// database is open again, without a restart. The event's retry (same seq) is then stored once.
TEST_F(ObservabilityE2E, AnInstanceThatLosesItsDatabaseIsNotReadyUntilItIsBack) {
  PORTCULLIS_REQUIRE_DATABASE();
  db = std::make_unique<testing::TestDatabase>();
  server = std::make_unique<testing::ServerProcess>(*db);
  const auto token = server->enrol_device("obs-door-controller");
  server->start();
  client = std::make_unique<client::HttpsClient>("localhost", server->port(),
                                                 client::ClientTls{testing::test_tls().ca, "", ""});
  ASSERT_EQ(client->get("/health/ready").status, 200);

  // To the maintenance database (a database cannot close itself to connections), as the superuser; libpq
  // takes the last of a repeated keyword.
  pqxx::connection admin{db->admin() + " dbname=postgres"};
  const auto set_open = [&](bool open) {
    pqxx::nontransaction tx{admin};
    tx.exec0("ALTER DATABASE " + tx.quote_name(db->name()) + " ALLOW_CONNECTIONS " +
             (open ? "true" : "false"));
    if (!open) {
      tx.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " +
              tx.quote(db->name()) + " AND pid <> pg_backend_pid()");
    }
  };
  set_open(false);

  const std::string event =
      R"({"device_id":"obs-door-controller","seq":1,"time":"2026-11-27T10:00:00.000Z","type":"heartbeat"})";
  const auto refused = client->post_json("/api/v1/events", event, token);
  EXPECT_NE(refused.status, 200) << "acknowledged without a durable commit: " << refused.body;
  const auto not_ready = client->get("/health/ready");
  EXPECT_EQ(not_ready.status, 503) << not_ready.body;
  if (not_ready.status == 503) {
    EXPECT_EQ(json::parse(not_ready.body).at("reason"), "event_store_unreachable");
  }
  EXPECT_EQ(client->get("/health/live").status, 200) << "the process itself stays up";

  set_open(true);
  int stored_status = 0;
  std::string stored_body;
  bool ready_again = false;
  for (int attempt = 0; attempt < 60 && !(ready_again && stored_status == 200); ++attempt) {
    const auto retried = client->post_json("/api/v1/events", event, token);
    stored_status = retried.status;
    stored_body = retried.body;
    ready_again = client->get("/health/ready").status == 200;
    if (!(ready_again && stored_status == 200)) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_TRUE(ready_again) << "still not ready 30 s after the database opened again";
  ASSERT_EQ(stored_status, 200) << stored_body;
  pqxx::connection site_db{db->admin()};
  pqxx::read_transaction tx{site_db};
  EXPECT_EQ(
      tx.exec1("SELECT count(*) FROM events WHERE device_id = 'obs-door-controller' AND device_seq = 1")[0]
          .as<int>(),
      1)
      << "the retried event is stored exactly once";
}

}  // namespace
}  // namespace portcullis
