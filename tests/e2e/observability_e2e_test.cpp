// What a load balancer, systemd and Prometheus see: liveness, readiness, and metrics scraped with a
// credential of their own that opens nothing else. Real portcullisd, real TLS, real PostgreSQL.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

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

}  // namespace
}  // namespace portcullis
