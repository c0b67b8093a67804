// The device API end to end: real portcullisd, real TLS, real PostgreSQL.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "operator_support.hpp"
#include "portcullis/client/https_client.hpp"
#include "server_process.hpp"

namespace portcullis {
namespace {

using nlohmann::json;

std::string event(const std::string& device, int seq, const std::string& type = "heartbeat",
                  const std::string& extra = "") {
  return R"({"device_id":")" + device + R"(","seq":)" + std::to_string(seq) +
         R"(,"time":"2026-11-27T10:00:00.000Z","type":")" + type + "\"" + extra + "}";
}

class DeviceApiE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    server = std::make_unique<testing::ServerProcess>(*db);
    token = server->enrol_device("ctl-lobby");
    server->start();
    client = std::make_unique<client::HttpsClient>("localhost", server->port(),
                                                   client::ClientTls{testing::test_tls().ca, "", ""});
  }
  static json error_of(const client::HttpReply& r) { return json::parse(r.body).at("error"); }
  int rows(const std::string& where = "true") {
    pqxx::connection c{db->admin()};
    pqxx::read_transaction tx{c};
    return tx.exec("SELECT count(*) FROM events WHERE " + where)[0][0].as<int>();
  }

  std::unique_ptr<testing::TestDatabase> db;
  std::unique_ptr<testing::ServerProcess> server;
  std::unique_ptr<client::HttpsClient> client;
  std::string token;
};

TEST_F(DeviceApiE2E, HealthAnswersOverTls) {
  const auto r = client->get("/api/v1/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body).at("status"), "ok");
}

TEST_F(DeviceApiE2E, EventIsStoredThenRetryIsIdempotent) {
  const auto first = client->post_json("/api/v1/events", event("ctl-lobby", 1), token);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(json::parse(first.body).at("status"), "stored");
  const auto again = client->post_json("/api/v1/events", event("ctl-lobby", 1), token);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json::parse(again.body).at("status"), "duplicate");
  EXPECT_EQ(json::parse(again.body).at("outcome"), json::parse(first.body).at("outcome"));
  EXPECT_EQ(rows("source = 'device'"), 1);
}

TEST_F(DeviceApiE2E, BatchIsAnsweredPerEvent) {
  const auto r = client->post_json(
      "/api/v1/events", "{\"events\":[" + event("ctl-lobby", 1) + "," + event("ctl-lobby", 2) + "]}", token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("results").size(), 2U);
  EXPECT_EQ(rows(), 2);
}

TEST_F(DeviceApiE2E, CredentialEventGetsADecision) {
  const auto r = client->post_json(
      "/api/v1/events",
      event("ctl-lobby", 1, "credential", R"(,"reader":"lobby-in","card":{"facility":12,"number":3456})"),
      token);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto decision = json::parse(r.body).at("outcome").at("decision");
  EXPECT_EQ(decision.at("verdict"), "deny");  // no site loaded: default deny
}

TEST_F(DeviceApiE2E, RawWiegandBitsAreParityCheckedDecodedAndKept) {
  // H10301, facility 42, card 10001 (Alice in the example site).
  const auto good = client->post_json(
      "/api/v1/events",
      event("ctl-lobby", 1, "credential",
            R"(,"reader":"lobby-in","card":{"format":"H10301","bits":"00010101000100111000100010"})"),
      token);
  ASSERT_EQ(good.status, 200) << good.body;
  const auto bad_parity = client->post_json(
      "/api/v1/events",
      event("ctl-lobby", 2, "credential",
            R"(,"reader":"lobby-in","card":{"format":"H10301","bits":"10010101000100111000100010"})"),
      token);
  EXPECT_EQ(bad_parity.status, 400);
  EXPECT_EQ(error_of(bad_parity).at("field"), "card.bits") << bad_parity.body;
  pqxx::connection c{db->admin()};
  pqxx::read_transaction tx{c};
  const auto payload = tx.exec("SELECT payload FROM events WHERE source = 'device'")[0][0].as<std::string>();
  EXPECT_NE(payload.find("\"bits\":\"00010101000100111000100010\""), std::string::npos) << payload;
  EXPECT_NE(payload.find("\"number\":10001"), std::string::npos) << payload;
}

TEST_F(DeviceApiE2E, UnknownTokenIsRefusedAndRecorded) {
  const auto r = client->post_json("/api/v1/events", event("ctl-lobby", 1), "not-a-real-token");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(error_of(r).at("field"), "authorization");
  // Recorded as a security event in the chain (asynchronously, right after the answer).
  for (int i = 0; i < 100 && rows("type = 'security.device_auth_failed'") == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(rows("type = 'security.device_auth_failed'"), 1);
  EXPECT_EQ(rows("source = 'device'"), 0);
}

TEST_F(DeviceApiE2E, DisabledDeviceIsRefused) {
  std::string out;
  ASSERT_EQ(server->run_tool("disable-device ctl-lobby", out), 0) << out;
  client::HttpReply r;
  for (int i = 0; i < 50; ++i) {  // the registry refreshes from the database every 2 s
    r = client->post_json("/api/v1/events", event("ctl-lobby", i + 1), token);
    if (r.status == 401) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(r.status, 401);
}

struct BadInput {
  std::string name, body;
  int status;
  std::string field;
};

TEST_F(DeviceApiE2E, BadInputNamesTheFieldAndChangesNothing) {
  const std::vector<BadInput> cases = {
      {"malformed", "{\"device_id\":", 400, "$"},
      {"unknown type", event("ctl-lobby", 1, "teleport"), 400, "type"},
      {"missing seq", R"({"device_id":"ctl-lobby","time":"2026-11-27T10:00:00Z","type":"heartbeat"})", 400,
       "seq"},
      {"seq as string",
       R"({"device_id":"ctl-lobby","seq":"1","time":"2026-11-27T10:00:00Z","type":"heartbeat"})", 400, "seq"},
      {"bad time", R"({"device_id":"ctl-lobby","seq":1,"time":"yesterday","type":"heartbeat"})", 400, "time"},
      {"unknown field", event("ctl-lobby", 1, "heartbeat", R"(,"colour":"red")"), 400, "colour"},
      {"bad card",
       event("ctl-lobby", 1, "credential", R"(,"reader":"r1","card":{"facility":"x","number":1})"), 400,
       "card.facility"},
      {"bad batch item", "[" + event("ctl-lobby", 1) + ",{\"seq\":2}]", 400, "[1].device_id"},
      {"other device", event("ctl-other", 1), 403, "device_id"},
      {"deep nesting", std::string(100, '[') + std::string(100, ']'), 400, "$"},
  };
  for (const auto& c : cases) {
    const auto r = client->post_json("/api/v1/events", c.body, token);
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body;
    EXPECT_EQ(error_of(r).at("field"), c.field) << c.name << ": " << r.body;
  }
  EXPECT_EQ(rows(), 0);
}

TEST_F(DeviceApiE2E, OversizedBodyIsRefused) {
  const auto r = client->post_json("/api/v1/events", std::string(2 * 1024 * 1024, ' '), token);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(error_of(r).at("field"), "body");
}

TEST_F(DeviceApiE2E, SeqGoingBackwardsIsAConflict) {
  ASSERT_EQ(client->post_json("/api/v1/events", event("ctl-lobby", 5), token).status, 200);
  const auto r = client->post_json("/api/v1/events", event("ctl-lobby", 3), token);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_of(r).at("field"), "seq");
}

TEST_F(DeviceApiE2E, DeviceCanUseAClientCertificateInstead) {
  const auto& tls = testing::test_tls();
  std::string out;
  const auto cmd = "bash -c 'source " + testing::source_dir() + "/scripts/lib/certs.sh && make_cert " +
                   tls.dir + " ctl-lobby device-ca ctl-lobby clientAuth' 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  client::HttpsClient device{
      "localhost", server->port(),
      client::ClientTls{tls.ca, tls.dir + "/ctl-lobby.crt", tls.dir + "/ctl-lobby.key"}};
  const auto r = device.post_json("/api/v1/events", event("ctl-lobby", 1));
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(DeviceApiE2E, MetricsArePrometheusTextForAdmins) {
  ASSERT_EQ(client->post_json("/api/v1/events", event("ctl-lobby", 1), token).status, 200);
  EXPECT_EQ(client->get("/metrics").status, 401);
  const auto admin = testing::create_operator(*server, "ada", "admin");
  const auto r = client->get("/metrics", testing::sign_in(*client, admin));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("portcullis_events_accepted_total 1"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("portcullis_commit_seconds_bucket"), std::string::npos);
}

}  // namespace
}  // namespace portcullis
