// Operators end to end: TOTP sign-in, the authorization matrix walked over HTTPS for every role, alarms,
// and the live stream (snapshot, deltas, resume without a gap, disabled operator cut off).
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <regex>
#include <thread>

#include "operator_support.hpp"
#include "portcullis/client/https_client.hpp"
#include "portcullis/client/wss_client.hpp"
#include "portcullis/operators/authorization_matrix.hpp"
#include "portcullis/services/command_desk.hpp"

namespace portcullis {
namespace {

using nlohmann::json;

class OperatorE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    server = std::make_unique<testing::ServerProcess>(*db, testing::example_site_env());
    device_token = server->enrol_device("ctl-lobby");
    server->start();
    client = std::make_unique<client::HttpsClient>("localhost", server->port(),
                                                   client::ClientTls{testing::test_tls().ca, "", ""});
  }
  client::WssClient stream() {
    return client::WssClient{"localhost", server->port(), testing::test_tls().ca};
  }
  // The stream's messages one at a time: a batch frame ({"type":"batch","messages":[...]}) holds the
  // deltas that were waiting together, in seq order.
  std::optional<json> next_message(client::WssClient& ws, std::chrono::milliseconds timeout) {
    auto& queue = stream_backlog[&ws];
    if (queue.empty()) {
      auto m = ws.read(timeout);
      if (!m) return std::nullopt;
      auto j = json::parse(*m);
      if (j.at("type") == "batch") {
        EXPECT_FALSE(j.at("messages").empty()) << "an empty batch frame";
        for (auto& one : j.at("messages")) queue.push_back(std::move(one));
      } else {
        queue.push_back(std::move(j));
      }
      if (queue.empty()) return std::nullopt;
    }
    auto front = std::move(queue.front());
    queue.pop_front();
    return front;
  }
  json next_json(client::WssClient& ws) {
    auto m = next_message(ws, std::chrono::seconds(10));
    if (!m) throw std::runtime_error("no stream message within 10 s");
    return std::move(*m);
  }

  std::unique_ptr<testing::TestDatabase> db;
  std::unique_ptr<testing::ServerProcess> server;
  std::unique_ptr<client::HttpsClient> client;
  std::string device_token;
  std::map<const client::WssClient*, std::deque<json>> stream_backlog;
};

// Each sign-in costs a slow scrypt hash: one address may start 10 at once, then one every 6 s (docs/api.md);
// beyond that it is answered 429 before any hashing, and door decisions never wait for sign-ins (they run on
// a pool of their own).
TEST_F(OperatorE2E, ASourceThatFloodsSignInsIsAnswered429WhileDoorsKeepDeciding) {
  // Each refused sign-in takes a slow hash (about a second on a loaded test machine), so the bucket refills a
  // little meanwhile: at least the first 10 are looked at, and a 429 comes before 10 more.
  int refused = 0;
  bool throttled = false;
  for (int i = 0; i < 30 && !throttled; ++i) {
    const auto r = client->post_json("/api/v1/auth/login",
                                     R"({"username":"nobody","password":"guess","totp":"000000"})");
    if (r.status == 429) {
      throttled = true;
      EXPECT_EQ(json::parse(r.body).at("error").at("field"), "source") << r.body;
    } else {
      ++refused;
      EXPECT_EQ(r.status, 401) << r.body;
    }
  }
  EXPECT_TRUE(throttled) << "no 429 after " << refused << " sign-ins from one address";
  EXPECT_GE(refused, 10);
  const auto door =
      client->post_json("/api/v1/events", testing::lobby_badge(1, "rdr-lobby-in", 10001), device_token);
  EXPECT_EQ(door.status, 200) << door.body;
}

// A locked account was locked for good: POST /api/v1/operators/{id}/unlock answered 501.
TEST_F(OperatorE2E, AnAdminUnlocksALockedOperatorOverTheApiAndTheUnlockIsRecorded) {
  const auto admin = testing::sign_in(*client, testing::create_operator(*server, "ada", "admin"));
  const auto gil = testing::create_operator(*server, "gil", "guard");
  {
    pqxx::connection superuser{db->admin()};
    pqxx::nontransaction tx{superuser};
    tx.exec("UPDATE operators SET locked = true, failures = 10 WHERE operator_id = 'gil'");
  }
  EXPECT_EQ(
      client->post_json("/api/v1/auth/login", testing::login_body(gil, testing::current_code(gil))).status,
      401);
  EXPECT_EQ(client->post_json("/api/v1/operators/nobody/unlock", "{}", admin).status, 404);
  const auto unlocked = client->post_json("/api/v1/operators/gil/unlock", "{}", admin);
  ASSERT_EQ(unlocked.status, 200) << unlocked.body;
  EXPECT_EQ(json::parse(unlocked.body).at("locked"), false);
  EXPECT_FALSE(testing::sign_in(*client, gil).empty());
  pqxx::connection superuser{db->admin()};
  pqxx::nontransaction tx{superuser};
  EXPECT_EQ(tx.exec("SELECT count(*) FROM events WHERE type = 'operator.unlocked'")[0][0].as<int>(), 1);
}

TEST_F(OperatorE2E, SignInNeedsPasswordAndCodeAndRefusesAReplayedCode) {
  const auto admin = testing::create_operator(*server, "ada", "admin", "julia-romero");
  const auto code = testing::current_code(admin);
  // The first sign-in sets the account's own password (the printed one is a one-time password).
  const auto first = client->post_json("/api/v1/auth/password",
                                       testing::password_change_body(admin, code, admin.own_password()));
  ASSERT_EQ(first.status, 200) << first.body;
  *admin.own_password_set = true;
  EXPECT_EQ(json::parse(first.body).at("operator").at("role"), "admin");
  const auto replay = client->post_json("/api/v1/auth/login", testing::login_body(admin, code));
  EXPECT_EQ(replay.status, 401) << "a TOTP code was accepted twice";
  auto wrong = admin;
  wrong.password = "not-the-password";
  const auto bad =
      client->post_json("/api/v1/auth/login", testing::login_body(wrong, testing::current_code(admin)));
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.body, replay.body) << "refusals must not tell why";
  const auto nobody =
      client->post_json("/api/v1/auth/login", R"({"username":"ghost","password":"x","totp":"123456"})");
  EXPECT_EQ(nobody.body, replay.body);
}

// The password add-operator prints was good for ever: nothing ever asked for it to be changed.
TEST_F(OperatorE2E, APrintedOneTimePasswordNeverHasToChange) {
  const auto gil = testing::create_operator(*server, "gil", "guard", "farah-haddad");
  const auto printed =
      client->post_json("/api/v1/auth/login", testing::login_body(gil, testing::current_code(gil)));
  ASSERT_EQ(printed.status, 403) << "the one-time password opened a session: " << printed.body;
  EXPECT_EQ(json::parse(printed.body).at("error").at("message"), "password_change_required") << printed.body;
  EXPECT_EQ(json::parse(printed.body).count("token"), 0u);
  testing::wait_for_next_code(gil);
  const auto code = testing::current_code(gil);
  const auto too_short =
      client->post_json("/api/v1/auth/password", testing::password_change_body(gil, code, "short"));
  EXPECT_EQ(too_short.status, 400) << too_short.body;
  EXPECT_EQ(json::parse(too_short.body).at("error").at("field"), "new_password");
  auto wrong = gil;
  wrong.password = "not-the-one-time-password";
  EXPECT_EQ(
      client
          ->post_json("/api/v1/auth/password", testing::password_change_body(wrong, code, gil.own_password()))
          .status,
      401);
  // Refused only once the password and code are checked: the code is spent.
  const auto same =
      client->post_json("/api/v1/auth/password", testing::password_change_body(gil, code, gil.password));
  EXPECT_EQ(same.status, 400) << same.body;
  testing::wait_for_next_code(gil);
  const auto changed =
      client->post_json("/api/v1/auth/password",
                        testing::password_change_body(gil, testing::current_code(gil), gil.own_password()));
  ASSERT_EQ(changed.status, 200) << changed.body;
  *gil.own_password_set = true;
  const auto token = json::parse(changed.body).at("token").get<std::string>();
  EXPECT_EQ(client->get("/api/v1/alarms", token).status, 200);
  testing::wait_for_next_code(gil);
  EXPECT_EQ(
      client->post_json("/api/v1/auth/login", testing::login_body(gil, testing::current_code(gil))).status,
      200)
      << "the operator's own password does not sign in";
  pqxx::connection superuser{db->admin()};
  pqxx::nontransaction tx{superuser};
  EXPECT_EQ(tx.exec("SELECT count(*) FROM events WHERE type = 'operator.password_changed'")[0][0].as<int>(),
            1);
}

// POST /api/v1/operators answered 501: operators could only be created on the server's machine.
TEST_F(OperatorE2E, CreatingAnOperatorOverTheApiAnswered501) {
  const auto admin = testing::sign_in(*client, testing::create_operator(*server, "ada", "admin"));
  const auto body = R"({"id":"gil","role":"guard","name":"Gil on nights","person":"farah-haddad"})";
  const auto created = client->post_json("/api/v1/operators", body, admin);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto reply = json::parse(created.body);
  EXPECT_EQ(reply.at("id"), "gil");
  EXPECT_EQ(reply.at("role"), "guard");
  EXPECT_EQ(reply.at("password_change_required"), true);
  EXPECT_FALSE(reply.at("otpauth_uri").get<std::string>().empty());
  EXPECT_EQ(client->post_json("/api/v1/operators", body, admin).status, 409) << "created twice";
  // Linked to a person of the site, or explicitly a service account: never neither, never both.
  EXPECT_EQ(client->post_json("/api/v1/operators", R"({"id":"x1","role":"guard","name":"X"})", admin).status,
            400);
  EXPECT_EQ(client
                ->post_json("/api/v1/operators",
                            R"({"id":"x1","role":"guard","name":"X","person":"farah-haddad","service":true})",
                            admin)
                .status,
            400);
  const auto unknown = client->post_json("/api/v1/operators",
                                         R"({"id":"x1","role":"guard","name":"X","person":"nobody"})", admin);
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(json::parse(unknown.body).at("error").at("field"), "person");
  EXPECT_EQ(client
                ->post_json("/api/v1/operators",
                            R"({"id":"=1+2-X","role":"guard","name":"X","service":true})", admin)
                .status,
            400);
  EXPECT_EQ(
      client
          ->post_json("/api/v1/operators", R"({"id":"x1","role":"janitor","name":"X","service":true})", admin)
          .status,
      400);
  const auto gil = testing::operator_from_reply("gil", created.body);
  EXPECT_FALSE(testing::sign_in(*client, gil).empty());
  pqxx::connection superuser{db->admin()};
  pqxx::nontransaction tx{superuser};
  EXPECT_EQ(tx.exec("SELECT count(*) FROM events WHERE type = 'operator.created'")[0][0].as<int>(), 1);
}

// There was no way over the API to enable a disabled operator, reset a password or re-enrol a lost
// authenticator: an operator who forgot a password was locked out for good.
TEST_F(OperatorE2E, AnAdminDisablesEnablesResetsAndReenrolsAnOperatorOverTheApi) {
  const auto admin = testing::sign_in(*client, testing::create_operator(*server, "ada", "admin"));
  const auto gil = testing::create_operator(*server, "gil", "guard", "farah-haddad");
  const auto first_session = testing::sign_in(*client, gil);

  // A reset password is a one-time password too; the account's sessions end.
  const auto reset = client->post_json("/api/v1/operators/gil/password-reset", "{}", admin);
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(json::parse(reset.body).at("password_change_required"), true);
  EXPECT_EQ(client->get("/api/v1/alarms", first_session).status, 401)
      << "a reset leaves the old sessions open";
  EXPECT_EQ(client->post_json("/api/v1/operators/nobody/password-reset", "{}", admin).status, 404);
  const auto after_reset = testing::operator_from_reply("gil", reset.body, gil.totp_secret);
  testing::wait_for_next_code(gil);
  const auto one_time =
      client->post_json("/api/v1/auth/login", testing::login_body(after_reset, testing::current_code(gil)));
  EXPECT_EQ(one_time.status, 403) << one_time.body;
  testing::wait_for_next_code(gil);
  const auto session = testing::sign_in(*client, after_reset);
  ASSERT_FALSE(session.empty());

  const auto disabled = client->post_json("/api/v1/operators/gil/disable", "{}", admin);
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(client->get("/api/v1/alarms", session).status, 401)
      << "a disabled operator's session still works";
  const auto enabled = client->post_json("/api/v1/operators/gil/enable", "{}", admin);
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  EXPECT_EQ(json::parse(enabled.body).at("disabled"), false);
  EXPECT_EQ(client->post_json("/api/v1/operators/nobody/enable", "{}", admin).status, 404);

  // A lost authenticator: a new TOTP secret; the old one no longer signs in.
  const auto reenrolled = client->post_json("/api/v1/operators/gil/totp-reset", "{}", admin);
  ASSERT_EQ(reenrolled.status, 200) << reenrolled.body;
  auto with_new_secret = after_reset;
  with_new_secret.totp_secret = json::parse(reenrolled.body).at("totp_secret").get<std::string>();
  EXPECT_NE(with_new_secret.totp_secret, gil.totp_secret);
  testing::wait_for_next_code(gil);
  EXPECT_EQ(
      client->post_json("/api/v1/auth/login", testing::login_body(after_reset, testing::current_code(gil)))
          .status,
      401);
  EXPECT_FALSE(testing::sign_in(*client, with_new_secret).empty());

  pqxx::connection superuser{db->admin()};
  pqxx::nontransaction tx{superuser};
  for (const char* type : {"operator.disabled", "operator.enabled", "operator.password_reset",
                           "operator.totp_reenrolled", "operator.password_changed"}) {
    EXPECT_GE(tx.exec_params("SELECT count(*) FROM events WHERE type = $1", type)[0][0].as<int>(), 1) << type;
  }
}

// One admin could create, reset or re-enrol an admin account alone, and so hold two admin accounts.
TEST_F(OperatorE2E, ChangesToAdminAccountsWaitForASecondAdminWhoIsNotTheRequester) {
  const auto ada =
      testing::sign_in(*client, testing::create_operator(*server, "ada", "admin", "julia-romero"));
  const auto bea = testing::sign_in(*client, testing::create_operator(*server, "bea", "admin", "chen-li"));
  const auto sam =
      testing::sign_in(*client, testing::create_operator(*server, "sam", "supervisor", "dana-kowalski"));
  const auto held = client->post_json(
      "/api/v1/operators", R"({"id":"cy","role":"admin","name":"Cy","person":"alice-nguyen"})", ada);
  ASSERT_EQ(held.status, 202) << held.body;
  EXPECT_EQ(json::parse(held.body).at("status"), "pending_approval");
  const auto id = json::parse(held.body).at("id").get<std::string>();
  const auto self = client->post_json("/api/v1/approvals/" + id + "/approve", "", ada);
  EXPECT_EQ(self.status, 403) << self.body;
  const auto supervisor = client->post_json("/api/v1/approvals/" + id + "/approve", "", sam);
  EXPECT_EQ(supervisor.status, 403) << "a supervisor approved an admin account: " << supervisor.body;
  {
    pqxx::connection superuser{db->admin()};
    pqxx::nontransaction tx{superuser};
    EXPECT_EQ(tx.exec("SELECT count(*) FROM operators WHERE operator_id = 'cy'")[0][0].as<int>(), 0)
        << "created before a second admin approved";
  }
  const auto approved = client->post_json("/api/v1/approvals/" + id + "/approve", "", bea);
  ASSERT_EQ(approved.status, 201) << approved.body;
  // Neither admin holds both factors: the requester was given the one-time password, the approver the TOTP.
  EXPECT_EQ(json::parse(held.body).count("totp_secret"), 0u) << held.body;
  EXPECT_EQ(json::parse(approved.body).count("password"), 0u) << approved.body;
  const auto cy = testing::operator_from_reply(
      "cy", held.body, json::parse(approved.body).at("totp_secret").get<std::string>());
  EXPECT_FALSE(testing::sign_in(*client, cy).empty());

  // Resetting, re-enrolling, disabling or enabling an admin account is held the same way.
  for (const char* route : {"password-reset", "totp-reset", "disable", "enable"}) {
    const auto r = client->post_json(std::string("/api/v1/operators/cy/") + route, "{}", ada);
    EXPECT_EQ(r.status, 202) << route << ": " << r.body;
  }
  // A service account never starts a change a second admin approves.
  const auto service = testing::sign_in(*client, testing::create_operator(*server, "svc", "admin"));
  const auto refused = client->post_json("/api/v1/operators/cy/disable", "{}", service);
  EXPECT_EQ(refused.status, 403) << refused.body;
  pqxx::connection superuser{db->admin()};
  pqxx::nontransaction tx{superuser};
  EXPECT_EQ(tx.exec("SELECT count(*) FROM events WHERE type = 'operator.created'")[0][0].as<int>(), 1);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM events WHERE type = 'change.approved'")[0][0].as<int>(), 1);
}

// A held change to an admin account is rebuilt from its change.requested record after a restart, and still
// only another admin approves it.
TEST_F(OperatorE2E, AHeldOperatorChangeSurvivesARestart) {
  const auto ada_op = testing::create_operator(*server, "ada", "admin", "julia-romero");
  const auto bea_op = testing::create_operator(*server, "bea", "admin", "chen-li");
  const auto ada = testing::sign_in(*client, ada_op);
  const auto bea = testing::sign_in(*client, bea_op);
  const auto held = client->post_json("/api/v1/operators/bea/password-reset", "{}", ada);
  ASSERT_EQ(held.status, 202) << held.body;
  const auto id = json::parse(held.body).at("id").get<std::string>();
  server->stop();
  server->start();
  client = std::make_unique<client::HttpsClient>("localhost", server->port(),
                                                 client::ClientTls{testing::test_tls().ca, "", ""});
  // bea's own reset: bea is another admin than the requester, so bea may approve it; ada may not.
  EXPECT_EQ(client->post_json("/api/v1/approvals/" + id + "/approve", "", ada).status, 403);
  const auto approved = client->post_json("/api/v1/approvals/" + id + "/approve", "", bea);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(client->get("/api/v1/alarms", bea).status, 401) << "the reset left bea's session open";
  // The one-time password ada was given when asking is bea's password now, a one-time one.
  const auto reset = testing::operator_from_reply("bea", held.body, bea_op.totp_secret);
  testing::wait_for_next_code(bea_op);
  EXPECT_EQ(client->post_json("/api/v1/auth/login", testing::login_body(reset, testing::current_code(bea_op)))
                .status,
            403);
}

TEST_F(OperatorE2E, EveryRouteAnswersAsTheAuthorizationMatrixSays) {
  struct Caller {
    std::string name;
    operators::Principal principal;
    std::string token;
  };
  std::vector<Caller> callers;
  callers.push_back({"nobody", operators::Principal::anonymous(), ""});
  callers.push_back({"device", operators::Principal::device(core::DeviceId{"ctl-lobby"}), device_token});
  for (auto role : operators::kAllRoles) {
    const std::string name{operators::to_string(role)};
    const auto op = testing::create_operator(*server, "op-" + name, name);
    callers.push_back({name, operators::Principal::operator_with(core::OperatorId{op.id}, role),
                       testing::sign_in(*client, op)});
  }
  // Logout ends the session: walk it last.
  std::vector<operators::RouteRule> rules(operators::authorization_matrix().begin(),
                                          operators::authorization_matrix().end());
  std::stable_partition(rules.begin(), rules.end(),
                        [](const auto& r) { return r.pattern != "/api/v1/auth/logout"; });
  int checked = 0;
  for (const auto& caller : callers) {
    for (const auto& rule : rules) {
      if (rule.pattern == "/api/v1/stream") continue;  // a WebSocket: checked by the stream tests
      const std::string method{operators::to_string(rule.method)};
      const auto path = operators::fill_placeholders(rule.pattern, "x1");
      const auto reply = client->request(method, path, method == "GET" ? "" : "{}", caller.token);
      const auto expected = operators::authorize(caller.principal, rule.method, rule.pattern);
      if (expected) {
        EXPECT_NE(reply.status, 401) << caller.name << " " << method << " " << path << ": " << reply.body;
        EXPECT_NE(reply.status, 403) << caller.name << " " << method << " " << path << ": " << reply.body;
      } else {
        EXPECT_EQ(reply.status, operators::http_status_for(*expected.reason))
            << caller.name << " " << method << " " << path << ": " << reply.body;
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 150);
}

TEST_F(OperatorE2E, AlarmNeedsACommentToBeAcknowledgedAndResolved) {
  const auto guard = testing::create_operator(*server, "gil", "guard", "farah-haddad");
  const auto token = testing::sign_in(*client, guard);
  // Alice enters reception, then the office twice without leaving: soft anti-passback raises an alarm.
  for (const auto& [seq, reader] : std::vector<std::pair<int, std::string>>{
           {1, "rdr-lobby-in"}, {2, "rdr-office-in"}, {3, "rdr-office-in"}}) {
    const auto r =
        client->post_json("/api/v1/events", testing::lobby_badge(seq, reader, 10001), device_token);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  const auto list = json::parse(client->get("/api/v1/alarms", token).body).at("alarms");
  ASSERT_FALSE(list.empty()) << "no alarm raised";
  const std::string id = list.front().at("id");
  const auto path = "/api/v1/alarms/" + id;
  EXPECT_EQ(client->post_json(path + "/acknowledge", R"({"comment":"  "})", token).status, 400);
  const auto ack =
      client->post_json(path + "/acknowledge", R"({"comment":"Alice forgot to badge out"})", token);
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(json::parse(ack.body).at("state"), "acknowledged");
  EXPECT_EQ(json::parse(ack.body).at("acknowledged_by"), "gil");
  EXPECT_EQ(client->post_json(path + "/acknowledge", R"({"comment":"again"})", token).status, 409);
  EXPECT_EQ(client->post_json("/api/v1/alarms/A999.0/acknowledge", R"({"comment":"x"})", token).status, 404);
  ASSERT_EQ(client->post_json(path + "/resolve", R"({"comment":"spoke to Alice"})", token).status, 200);
  const auto after = json::parse(client->get("/api/v1/alarms", token).body).at("alarms");
  for (const auto& a : after) EXPECT_NE(a.at("id"), id);
}

TEST_F(OperatorE2E, StreamSendsSnapshotThenDeltasAndResumesWithoutAGap) {
  const auto admin = testing::create_operator(*server, "ada", "admin", "julia-romero");
  const auto token = testing::sign_in(*client, admin);
  auto ws = stream();
  ws.connect("/api/v1/stream", token);
  const auto snapshot = next_json(ws);
  ASSERT_EQ(snapshot.at("type"), "snapshot");
  EXPECT_FALSE(snapshot.at("doors").empty());

  ASSERT_EQ(client->post_json("/api/v1/events", testing::lobby_badge(1, "rdr-lobby-in", 10001), device_token)
                .status,
            200);
  std::int64_t last = snapshot.at("seq");
  bool saw_access = false;
  for (int i = 0; i < 10 && !saw_access; ++i) {
    const auto m = next_json(ws);
    if (m.at("type") != "delta") continue;
    EXPECT_EQ(m.at("seq").get<std::int64_t>(), last + 1) << "gap in the stream";
    last = m.at("seq");
    if (m.at("topic") == "access") {
      saw_access = true;
      EXPECT_EQ(m.at("data").at("person"), "alice-nguyen");
    }
  }
  ASSERT_TRUE(saw_access);
  // Drain whatever else belongs to that event, then disconnect and miss one.
  while (auto more = next_message(ws, std::chrono::milliseconds(500))) {
    if (more->at("type") == "delta") last = more->at("seq");
  }
  ws.close();
  ASSERT_EQ(client->post_json("/api/v1/events", testing::lobby_badge(2, "rdr-lobby-out", 10001), device_token)
                .status,
            200);

  auto again = stream();
  again.connect("/api/v1/stream?resume_from=" + std::to_string(last), token);
  const auto first = next_json(again);
  ASSERT_EQ(first.at("type"), "delta") << "a resume within the window must not fall back to a snapshot";
  EXPECT_EQ(first.at("seq").get<std::int64_t>(), last + 1);
}

TEST_F(OperatorE2E, RevocationAppliesToTheVeryNextDecision) {
  const auto supervisor = testing::create_operator(*server, "sam", "supervisor", "emeka-adeyemi");
  const auto token = testing::sign_in(*client, supervisor);
  const auto before =
      client->post_json("/api/v1/events", testing::lobby_badge(1, "rdr-lobby-in", 10001), device_token);
  ASSERT_EQ(json::parse(before.body).at("outcome").at("decision").at("verdict"), "grant") << before.body;
  const auto revoke =
      client->post_json("/api/v1/people/alice-nguyen/revoke", R"({"reason":"left the company"})", token);
  ASSERT_EQ(revoke.status, 200) << revoke.body;
  const auto after =
      client->post_json("/api/v1/events", testing::lobby_badge(2, "rdr-lobby-in", 10001), device_token);
  const auto decision = json::parse(after.body).at("outcome").at("decision");
  EXPECT_EQ(decision.at("verdict"), "deny");
  EXPECT_EQ(decision.at("reason"), "person_revoked");
  // A restart rebuilds the revocation from history.
  server->stop();
  server->start();
  client::HttpsClient fresh{"localhost", server->port(), client::ClientTls{testing::test_tls().ca, "", ""}};
  const auto later =
      fresh.post_json("/api/v1/events", testing::lobby_badge(3, "rdr-lobby-in", 10001), device_token);
  EXPECT_EQ(json::parse(later.body).at("outcome").at("decision").at("reason"), "person_revoked")
      << later.body;
}

TEST_F(OperatorE2E, ThreatLevelRaisesRequirementsUntilLiftedAndSurvivesARestart) {
  const auto supervisor = testing::create_operator(*server, "sam", "supervisor", "emeka-adeyemi");
  const auto token = testing::sign_in(*client, supervisor);
  const auto bad = client->post_json("/api/v1/threat-level", R"({"level":12,"reason":"x"})", token);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(json::parse(bad.body).at("error").at("field"), "level");
  const auto raise =
      client->post_json("/api/v1/threat-level", R"({"level":9,"reason":"credible threat"})", token);
  ASSERT_EQ(raise.status, 200) << raise.body;
  const auto raised =
      client->post_json("/api/v1/events", testing::lobby_badge(1, "rdr-lobby-in", 10001), device_token);
  const auto decision = json::parse(raised.body).at("outcome").at("decision");
  EXPECT_NE(decision.at("verdict"), "grant") << "a badge alone must not do at the highest threat level";

  server->stop();
  server->start();
  client::HttpsClient fresh{"localhost", server->port(), client::ClientTls{testing::test_tls().ca, "", ""}};
  const auto after_restart =
      fresh.post_json("/api/v1/events", testing::lobby_badge(2, "rdr-lobby-in", 10001), device_token);
  EXPECT_NE(json::parse(after_restart.body).at("outcome").at("decision").at("verdict"), "grant")
      << "the threat level is rebuilt from history";

  // sam's code of this time step was used, so a second supervisor lifts it.
  const auto sue = testing::create_operator(*server, "sue", "supervisor", "dana-kowalski");
  const auto again = testing::sign_in(fresh, sue);
  const auto lift = fresh.post_json("/api/v1/threat-level", R"({"level":0,"reason":"all clear"})", again);
  ASSERT_EQ(lift.status, 200) << lift.body;
  const auto lifted =
      fresh.post_json("/api/v1/events", testing::lobby_badge(3, "rdr-lobby-in", 10001), device_token);
  EXPECT_EQ(json::parse(lifted.body).at("outcome").at("decision").at("verdict"), "grant") << lifted.body;
}

TEST_F(OperatorE2E, SessionsSurviveARestartButSignOutsAndDisablingStay) {
  const auto guard = testing::create_operator(*server, "gil", "guard", "farah-haddad");
  const auto leaver = testing::create_operator(*server, "lee", "guard");
  const auto supervisor = testing::create_operator(*server, "sam", "supervisor", "emeka-adeyemi");
  const auto admin = testing::create_operator(*server, "ada", "admin", "julia-romero");
  const auto kept = testing::sign_in(*client, guard);
  const auto disabled = testing::sign_in(*client, leaver);
  const auto signed_out = testing::sign_in(*client, supervisor);
  const auto admin_token = testing::sign_in(*client, admin);
  ASSERT_EQ(client->get("/api/v1/alarms", kept).status, 200);
  const auto out = client->post_json("/api/v1/auth/logout", "{}", signed_out);
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_EQ(client->get("/api/v1/alarms", signed_out).status, 401);
  const auto disable = client->post_json("/api/v1/operators/lee/disable", "{}", admin_token);
  ASSERT_EQ(disable.status, 200) << disable.body;
  EXPECT_EQ(client->get("/api/v1/alarms", disabled).status, 401);

  server->stop();
  server->start();
  client::HttpsClient fresh{"localhost", server->port(), client::ClientTls{testing::test_tls().ca, "", ""}};
  EXPECT_EQ(fresh.get("/api/v1/alarms", kept).status, 200) << "a restart must not sign the guard out";
  EXPECT_EQ(fresh.get("/api/v1/alarms", signed_out).status, 401) << "a sign-out outlives a restart";
  EXPECT_EQ(fresh.get("/api/v1/alarms", disabled).status, 401) << "a disabled operator stays out";
  EXPECT_EQ(fresh.get("/api/v1/alarms", "not-a-token").status, 401);

  // Only hashes are stored, and sign-ins and sign-outs are in the chain.
  pqxx::connection c{db->admin()};
  pqxx::nontransaction tx{c};
  EXPECT_EQ(
      tx.exec1("SELECT count(*) FROM operator_sessions WHERE token_hash = " + tx.quote(kept))[0].as<int>(),
      0);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM operator_sessions WHERE ended_us IS NULL")[0].as<int>(), 2);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM events WHERE type = 'operator.logout'")[0].as<int>(), 1);
}

TEST_F(OperatorE2E, AFollowerInstanceStreamsTheOwnersDecisionsAndSendsDevicesToTheOwner) {
  const auto guard = testing::create_operator(*server, "gil", "guard", "farah-haddad");
  const auto token = testing::sign_in(*client, guard);  // at the owner
  testing::ServerProcess follower{*db, testing::example_site_env({{"PORTCULLIS_ROLE", "follower"}})};
  follower.start();
  client::HttpsClient at_follower{"localhost", follower.port(),
                                  client::ClientTls{testing::test_tls().ca, "", ""}};
  // The session reaches the follower through the database (sessions are refreshed every 2 s).
  int status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    status = at_follower.get("/api/v1/alarms", token).status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(status, 200) << "a session opened at the owner is accepted by the follower";

  client::WssClient ws{"localhost", follower.port(), testing::test_tls().ca};
  ws.connect("/api/v1/stream", token);
  ASSERT_EQ(next_json(ws).at("type"), "snapshot");
  ASSERT_EQ(client->post_json("/api/v1/events", testing::lobby_badge(1, "rdr-lobby-in", 10001), device_token)
                .status,
            200);
  bool saw_access = false;
  for (int i = 0; i < 20 && !saw_access; ++i) {
    const auto m = next_json(ws);
    if (m.at("type") == "delta" && m.at("topic") == "access") {
      saw_access = true;
      EXPECT_EQ(m.at("data").at("person"), "alice-nguyen");
      EXPECT_EQ(m.at("data").at("verdict"), "grant") << m.dump();
    }
  }
  EXPECT_TRUE(saw_access) << "the owner's decision reaches a console connected to the follower";

  const auto refused =
      at_follower.post_json("/api/v1/events", testing::lobby_badge(2, "rdr-lobby-in", 10001), device_token);
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_NE(refused.body.find("owns"), std::string::npos) << refused.body;
  follower.stop();
}

TEST_F(OperatorE2E, SupervisorOverrideIsItsOwnRecordedDecision) {
  const auto supervisor = testing::create_operator(*server, "sam", "supervisor", "emeka-adeyemi");
  const auto token = testing::sign_in(*client, supervisor);
  const auto neither =
      client->post_json("/api/v1/overrides", R"({"person":"alice-nguyen","reason":"escort"})", token);
  EXPECT_EQ(neither.status, 400) << neither.body;
  const auto unknown = client->post_json(
      "/api/v1/overrides", R"({"person":"nobody","portal":"main-entrance","reason":"escort"})", token);
  EXPECT_EQ(unknown.status, 409) << unknown.body;
  const auto done = client->post_json(
      "/api/v1/overrides", R"({"person":"alice-nguyen","portal":"main-entrance","reason":"badge forgotten"})",
      token);
  ASSERT_EQ(done.status, 200) << done.body;
  const auto outcome = json::parse(done.body).at("outcome");
  EXPECT_EQ(outcome.at("decision").at("reason"), "supervisor_override");
  bool alarmed = false;
  for (const auto& alarm : outcome.at("alarms")) alarmed |= alarm.at("kind") == "supervisor_override";
  EXPECT_TRUE(alarmed) << "an override leaves an alarm for the audit trail";
}

TEST_F(OperatorE2E, NobodyApprovesTheirOwnJustInTimeRequest) {
  const auto sam = testing::create_operator(*server, "sam", "supervisor", "emeka-adeyemi");
  const auto sue = testing::create_operator(*server, "sue", "supervisor", "dana-kowalski");
  const auto sam_token = testing::sign_in(*client, sam);
  const auto sue_token = testing::sign_in(*client, sue);
  const auto request = client->post_json(
      "/api/v1/jit-requests",
      R"({"person":"alice-nguyen","zone":"compute-hall","reason":"disk swap","duration_s":3600})", sam_token);
  ASSERT_EQ(request.status, 201) << request.body;
  const std::string id = json::parse(request.body).at("id");
  const auto self =
      client->post_json("/api/v1/jit-requests/" + id + "/approve", R"({"comment":"ok"})", sam_token);
  EXPECT_EQ(self.status, 409) << self.body;
  EXPECT_EQ(json::parse(self.body).at("error").at("message"), "self_approval");
  const auto other =
      client->post_json("/api/v1/jit-requests/" + id + "/approve", R"({"comment":"ok"})", sue_token);
  EXPECT_EQ(other.status, 200) << other.body;
}

TEST_F(OperatorE2E, SensitiveDoorCommandsNeedASecondOperatorAndReachTheDevice) {
  const auto mantrap_token = server->enrol_device("ctl-mantrap");
  testing::wait_until_enrolled(*client, mantrap_token);
  const auto gil =
      testing::sign_in(*client, testing::create_operator(*server, "gil", "guard", "farah-haddad"));
  const auto sam =
      testing::sign_in(*client, testing::create_operator(*server, "sam", "supervisor", "emeka-adeyemi"));
  // A tier-2 office door: sent at once.
  const auto office = client->post_json(
      "/api/v1/commands", R"({"target":"office-door","command":"momentary_unlock","reason":"courier"})", gil);
  ASSERT_EQ(office.status, 202) << office.body;
  EXPECT_EQ(json::parse(office.body).at("status"), "sent");
  // The compute hall (tier 3): waits for a second operator, who cannot be the requester.
  const auto hall = client->post_json(
      "/api/v1/commands",
      R"({"target":"mantrap-inner","command":"momentary_unlock","reason":"stuck engineer"})", gil);
  ASSERT_EQ(hall.status, 202) << hall.body;
  EXPECT_EQ(json::parse(hall.body).at("status"), "pending_approval");
  const std::string id = json::parse(hall.body).at("id");
  EXPECT_TRUE(client->get("/api/v1/devices/me/commands", mantrap_token).body.find(id) == std::string::npos)
      << "an unapproved command reached the door";
  const auto self = client->post_json("/api/v1/approvals/" + id + "/approve", "{}", gil);
  EXPECT_EQ(self.status, 403) << "the guard approved their own command (or lacked the role): " << self.body;
  const auto approved = client->post_json("/api/v1/approvals/" + id + "/approve", "{}", sam);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(json::parse(approved.body).at("status"), "sent");
  const auto pending = client->get("/api/v1/devices/me/commands", mantrap_token);
  EXPECT_NE(pending.body.find(id), std::string::npos) << pending.body;
  const auto done = client->post_json("/api/v1/devices/me/commands/" + id + "/result", R"({"status":"done"})",
                                      mantrap_token);
  EXPECT_EQ(done.status, 200) << done.body;
}

// Durability of commands and approvals (docs/operator-api.md): a command waiting for a second operator and
// a sent command not yet fetched are rebuilt from history after a restart; ids never repeat.
TEST_F(OperatorE2E, DoorCommandsAndTheirApprovalsSurviveARestart) {
  const auto mantrap_token = server->enrol_device("ctl-mantrap");
  testing::wait_until_enrolled(*client, mantrap_token);
  const auto gil =
      testing::sign_in(*client, testing::create_operator(*server, "gil", "guard", "farah-haddad"));
  const auto hall = client->post_json(
      "/api/v1/commands",
      R"({"target":"mantrap-inner","command":"momentary_unlock","reason":"stuck engineer"})", gil);
  ASSERT_EQ(hall.status, 202) << hall.body;
  ASSERT_EQ(json::parse(hall.body).at("status"), "pending_approval");
  const std::string hall_id = json::parse(hall.body).at("id");
  // Locking is never held: sent at once, and the door does not fetch it before the restart.
  const auto lock = client->post_json("/api/v1/commands",
                                      R"({"target":"mantrap-inner","command":"lock","reason":"night"})", gil);
  ASSERT_EQ(lock.status, 202) << lock.body;
  ASSERT_EQ(json::parse(lock.body).at("status"), "sent");
  const std::string lock_id = json::parse(lock.body).at("id");
  const std::regex random_id{"cmd-[0-9a-f]{32}"};
  EXPECT_TRUE(std::regex_match(hall_id, random_id)) << hall_id;
  EXPECT_TRUE(std::regex_match(lock_id, random_id)) << lock_id;

  server->stop();
  server->start();
  client = std::make_unique<client::HttpsClient>("localhost", server->port(),
                                                 client::ClientTls{testing::test_tls().ca, "", ""});
  // (c) The sent command is still offered to the door; the held one is not.
  const auto offered = client->get("/api/v1/devices/me/commands", mantrap_token);
  ASSERT_EQ(offered.status, 200) << offered.body;
  EXPECT_NE(offered.body.find(lock_id), std::string::npos) << offered.body;
  EXPECT_EQ(offered.body.find(hall_id), std::string::npos) << "an unapproved command reached the door";
  // (b) Ids after the restart are new ones.
  const auto gus =
      testing::sign_in(*client, testing::create_operator(*server, "gus", "guard", "george-miller"));
  const auto later = client->post_json(
      "/api/v1/commands", R"({"target":"mantrap-inner","command":"lock","reason":"again"})", gus);
  ASSERT_EQ(later.status, 202) << later.body;
  const std::string later_id = json::parse(later.body).at("id");
  EXPECT_TRUE(std::regex_match(later_id, random_id)) << later_id;
  EXPECT_NE(later_id, hall_id);
  EXPECT_NE(later_id, lock_id);
  // (a) A second operator approves the held command after the restart: sent, and the door fetches it.
  const auto sue =
      testing::sign_in(*client, testing::create_operator(*server, "sue", "supervisor", "dana-kowalski"));
  const auto approved = client->post_json("/api/v1/approvals/" + hall_id + "/approve", "{}", sue);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(json::parse(approved.body).at("status"), "sent");
  const auto fetched = client->get("/api/v1/devices/me/commands", mantrap_token);
  EXPECT_NE(fetched.body.find(hall_id), std::string::npos) << fetched.body;
  EXPECT_EQ(client->post_json("/api/v1/approvals/" + hall_id + "/approve", "{}", sue).status, 409)
      << "an approval is used once, also after a restart";
  for (const auto& id : {hall_id, lock_id}) {
    const auto done = client->post_json("/api/v1/devices/me/commands/" + id + "/result",
                                        R"({"status":"done"})", mantrap_token);
    EXPECT_EQ(done.status, 200) << done.body;
  }
  // Finished commands stay finished after another restart.
  server->stop();
  server->start();
  client = std::make_unique<client::HttpsClient>("localhost", server->port(),
                                                 client::ClientTls{testing::test_tls().ca, "", ""});
  const auto after = client->get("/api/v1/devices/me/commands", mantrap_token);
  EXPECT_EQ(after.body.find(hall_id), std::string::npos) << after.body;
  EXPECT_EQ(after.body.find(lock_id), std::string::npos) << after.body;
  EXPECT_NE(after.body.find(later_id), std::string::npos) << after.body;
}

// When the store refuses a step's record, the answer is 503 and nothing changes. PostgreSQL refuses records
// of one type through a CHECK constraint added for the test (NOT VALID: existing rows are not checked).
TEST_F(OperatorE2E, ACommandStepWhoseRecordIsNotStoredIsA503AndChangesNothing) {
  const auto mantrap_token = server->enrol_device("ctl-mantrap");
  testing::wait_until_enrolled(*client, mantrap_token);
  pqxx::connection admin{db->admin()};
  auto refuse = [&admin](const std::string& type) {
    pqxx::nontransaction tx{admin};
    tx.exec("ALTER TABLE events ADD CONSTRAINT test_refuse CHECK (type <> " + tx.quote(type) + ") NOT VALID");
  };
  auto accept = [&admin] {
    pqxx::nontransaction tx{admin};
    tx.exec("ALTER TABLE events DROP CONSTRAINT test_refuse");
  };
  const auto gil =
      testing::sign_in(*client, testing::create_operator(*server, "gil", "guard", "farah-haddad"));
  const auto sam =
      testing::sign_in(*client, testing::create_operator(*server, "sam", "supervisor", "emeka-adeyemi"));
  const auto no_commands = client->get("/api/v1/devices/me/commands", mantrap_token).body;

  refuse("command.issued");
  const auto lock = client->post_json("/api/v1/commands",
                                      R"({"target":"mantrap-inner","command":"lock","reason":"night"})", gil);
  EXPECT_EQ(lock.status, 503) << lock.body;
  accept();
  EXPECT_EQ(client->get("/api/v1/devices/me/commands", mantrap_token).body, no_commands)
      << "a command whose record was not stored reached the door";

  const auto hall = client->post_json(
      "/api/v1/commands", R"({"target":"mantrap-inner","command":"unlock","reason":"disk swap"})", gil);
  ASSERT_EQ(hall.status, 202) << hall.body;
  const std::string id = json::parse(hall.body).at("id");
  refuse("command.approved");
  const auto refused = client->post_json("/api/v1/approvals/" + id + "/approve", "{}", sam);
  EXPECT_EQ(refused.status, 503) << refused.body;
  accept();
  EXPECT_EQ(client->get("/api/v1/devices/me/commands", mantrap_token).body, no_commands);
  const auto approved = client->post_json("/api/v1/approvals/" + id + "/approve", "{}", sam);
  ASSERT_EQ(approved.status, 200) << "the approval was used although its record was not stored: "
                                  << approved.body;
  EXPECT_NE(client->get("/api/v1/devices/me/commands", mantrap_token).body.find(id), std::string::npos);
}

TEST_F(OperatorE2E, AnEditedCommandVoidsItsApproval) {
  const auto gil =
      testing::sign_in(*client, testing::create_operator(*server, "gil", "guard", "farah-haddad"));
  const auto sam =
      testing::sign_in(*client, testing::create_operator(*server, "sam", "supervisor", "emeka-adeyemi"));
  const auto request = client->post_json(
      "/api/v1/commands", R"({"target":"mantrap-inner","command":"momentary_unlock","reason":"swap a disk"})",
      gil);
  const std::string id = json::parse(request.body).at("id");
  const auto edit =
      client->request("PUT", "/api/v1/commands/" + id,
                      R"({"target":"cage-door","command":"unlock","reason":"swap a disk"})", gil);
  ASSERT_EQ(edit.status, 200) << edit.body;
  const auto approve = client->post_json("/api/v1/approvals/" + id + "/approve", "{}", sam);
  EXPECT_EQ(approve.status, 409) << approve.body;
  EXPECT_EQ(json::parse(approve.body).at("error").at("message"), "change_modified");
}

TEST_F(OperatorE2E, StreamRefusesAConnectionWithoutASessionToken) {
  auto ws = stream();
  EXPECT_THROW(ws.connect("/api/v1/stream", ""), std::runtime_error);
}

TEST_F(OperatorE2E, DisablingAnOperatorEndsTheirSessionAndStream) {
  const auto admin = testing::create_operator(*server, "ada", "admin", "julia-romero");
  const auto guard = testing::create_operator(*server, "gil", "guard", "farah-haddad");
  const auto admin_token = testing::sign_in(*client, admin);
  const auto guard_token = testing::sign_in(*client, guard);
  auto ws = stream();
  ws.connect("/api/v1/stream", guard_token);
  ASSERT_EQ(next_json(ws).at("type"), "snapshot");
  ASSERT_EQ(client->post_json("/api/v1/operators/gil/disable", "{}", admin_token).status, 200);
  bool closed = false;
  for (int i = 0; i < 20 && !closed; ++i) {
    try {
      ws.read(std::chrono::milliseconds(500));
    } catch (const std::runtime_error&) {
      closed = true;
    }
  }
  EXPECT_TRUE(closed) << "the disabled guard's stream is still open";
  EXPECT_EQ(client->get("/api/v1/alarms", guard_token).status, 401);
}

// The command desk on its own, with a fake store (no server, no database): nothing is answered before its
// record is stored, a record that could not be stored is a 503 that changes nothing, and the stored
// records rebuild the same desk.
struct FakeStore {
  bool accept = true;
  bool hold = false;  // keep the facts until release()
  std::vector<ingest::ServerFact> held;
  std::vector<services::StoredStep> stored;
  const core::Clock* clock = nullptr;  // stamps stored steps with their receive time, as the log does
  void operator()(ingest::ServerFact fact) {
    if (hold) return held.push_back(std::move(fact));
    finish(std::move(fact));
  }
  void finish(ingest::ServerFact fact) {
    if (accept)
      stored.push_back({static_cast<std::int64_t>(stored.size() + 1), fact.type,
                        clock != nullptr ? core::to_unix_micros(clock->now()) : 0, fact.payload_json});
    if (fact.done) fact.done(accept, accept ? static_cast<std::int64_t>(stored.size()) : 0);
  }
  void release() {
    auto facts = std::move(held);
    held.clear();
    for (auto& f : facts) finish(std::move(f));
  }
};

TEST(OperatorCommandDesk, AnswersOnlyOnceStoredAndChangesNothingWhenTheStoreRefuses) {
  core::ManualClock clock{core::from_unix_micros(1'800'000'000'000'000)};
  FakeStore store;
  store.clock = &clock;
  const std::map<std::string, portcullis::json::PortalInfo> portals{{"vault", {"ctl-vault", 4}},
                                                                    {"lobby", {"ctl-lobby", 1}}};
  services::CommandDesk desk{portals, [&store](ingest::ServerFact f) { store(std::move(f)); }, clock};
  const auto gil = operators::Principal::operator_with(core::OperatorId{"gil"}, operators::Role::Guard,
                                                       core::PersonId{"farah-haddad"});
  const auto sam = operators::Principal::operator_with(core::OperatorId{"sam"}, operators::Role::Supervisor,
                                                       core::PersonId{"emeka-adeyemi"});
  std::optional<services::DeskAnswer> answer;
  auto reply = [&answer](services::DeskAnswer a) { answer = std::move(a); };

  // Refused by the store: 503, no command.
  store.accept = false;
  desk.request({"vault", "momentary_unlock", "x"}, gil, reply);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 503);
  EXPECT_EQ(desk.size(), 0u);

  // Held by the store: no answer until it is stored.
  store.accept = true;
  store.hold = true;
  answer.reset();
  desk.request({"vault", "momentary_unlock", "x"}, gil, reply);
  EXPECT_FALSE(answer) << "answered before the record was stored";
  EXPECT_EQ(desk.size(), 0u);
  store.release();
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->status, 202) << answer->message;
  const auto id = nlohmann::json::parse(answer->body_json).at("id").get<std::string>();
  EXPECT_EQ(nlohmann::json::parse(answer->body_json).at("status"), "pending_approval");

  // The approval while its record is in flight: a second step waits; then the store refuses: 503, still
  // pending, and the approval can be given again.
  answer.reset();
  desk.approve(id, sam, reply);
  EXPECT_FALSE(answer);
  std::optional<services::DeskAnswer> second;
  desk.approve(id, sam, [&second](services::DeskAnswer a) { second = std::move(a); });
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 409);
  store.accept = false;
  store.release();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 503);
  EXPECT_EQ(desk.commands_for_device("ctl-vault"), R"({"commands":[]})");
  store.accept = true;
  store.hold = false;
  answer.reset();
  desk.approve(id, sam, reply);
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->status, 200) << answer->message;
  EXPECT_NE(desk.commands_for_device("ctl-vault").find(id), std::string::npos);

  // A device result refused by the store leaves the command sent.
  store.accept = false;
  answer.reset();
  desk.device_result("ctl-vault", id, {"done", ""}, reply);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 503);
  EXPECT_NE(desk.commands_for_device("ctl-vault").find(id), std::string::npos);

  // The stored records rebuild the same desk; the approval stays used.
  store.accept = true;
  services::CommandDesk rebuilt{portals, [&store](ingest::ServerFact f) { store(std::move(f)); }, clock};
  for (const auto& step : store.stored) EXPECT_EQ(rebuilt.restore(step), "") << step.payload;
  EXPECT_EQ(rebuilt.size(), 1u);
  EXPECT_NE(rebuilt.commands_for_device("ctl-vault").find(id), std::string::npos);
  answer.reset();
  rebuilt.approve(id, sam, reply);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 409) << "an approval is used once, also after a rebuild";
  // Records of before (no device, counter ids) are skipped, naming why.
  EXPECT_NE(rebuilt.restore({1, "command.issued", 0,
                             R"({"by":"gil","command":{"id":"cmd-1","target":"vault","command":"lock",)"
                             R"("reason":"","status":"sent","requested_by":"gil"}})"}),
            "");
  EXPECT_EQ(rebuilt.size(), 1u);
}

TEST(OperatorCommandDesk, AHeldApprovalExpiresFromItsRecordedRequestTime) {
  core::ManualClock clock{core::from_unix_micros(1'800'000'000'000'000)};
  FakeStore store;
  const std::map<std::string, portcullis::json::PortalInfo> portals{{"vault", {"ctl-vault", 4}}};
  services::CommandDesk desk{portals, [&store](ingest::ServerFact f) { store(std::move(f)); }, clock};
  const auto gil = operators::Principal::operator_with(core::OperatorId{"gil"}, operators::Role::Guard,
                                                       core::PersonId{"farah-haddad"});
  const auto sam = operators::Principal::operator_with(core::OperatorId{"sam"}, operators::Role::Supervisor,
                                                       core::PersonId{"emeka-adeyemi"});
  std::optional<services::DeskAnswer> answer;
  auto reply = [&answer](services::DeskAnswer a) { answer = std::move(a); };
  desk.request({"vault", "unlock", "x"}, gil, reply);
  ASSERT_TRUE(answer);
  const auto id = nlohmann::json::parse(answer->body_json).at("id").get<std::string>();
  clock.advance(std::chrono::minutes(11));  // validity is 10 minutes
  services::CommandDesk rebuilt{portals, [&store](ingest::ServerFact f) { store(std::move(f)); }, clock};
  for (const auto& step : store.stored) EXPECT_EQ(rebuilt.restore(step), "");
  answer.reset();
  rebuilt.approve(id, sam, reply);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 409);
  EXPECT_EQ(answer->message, "expired");
}

// Memory grew without bound: every command ever sent stayed in the desk. A finished one (done, failed,
// expired, refused, voided) is forgotten a day after it ended, live and when rebuilt from the records.
TEST(OperatorCommandDesk, FinishedCommandsLeaveMemoryADayAfterTheyEnd) {
  core::ManualClock clock{core::from_unix_micros(1'800'000'000'000'000)};
  FakeStore store;
  store.clock = &clock;
  const std::map<std::string, portcullis::json::PortalInfo> portals{{"lobby", {"ctl-lobby", 1}}};
  services::CommandDesk desk{portals, [&store](ingest::ServerFact f) { store(std::move(f)); }, clock};
  const auto gil = operators::Principal::operator_with(core::OperatorId{"gil"}, operators::Role::Guard,
                                                       core::PersonId{"farah-haddad"});
  std::optional<services::DeskAnswer> answer;
  auto reply = [&answer](services::DeskAnswer a) { answer = std::move(a); };
  std::size_t most = 0;
  std::string last_id;
  for (int i = 0; i < 200; ++i) {  // one an hour, each done at once
    answer.reset();
    desk.request({"lobby", "momentary_unlock", "courier"}, gil, reply);
    ASSERT_TRUE(answer);
    ASSERT_EQ(answer->status, 202) << answer->message;
    last_id = nlohmann::json::parse(answer->body_json).at("id").get<std::string>();
    answer.reset();
    desk.device_result("ctl-lobby", last_id, {"done", ""}, reply);
    ASSERT_TRUE(answer);
    ASSERT_EQ(answer->status, 200) << answer->message;
    most = std::max(most, desk.size());
    clock.advance(std::chrono::hours(1));
  }
  EXPECT_LE(most, 26U) << "a day of finished commands, not every command ever sent";
  // The last one is still known: its second result is refused as a repeat, not as unknown.
  answer.reset();
  desk.device_result("ctl-lobby", last_id, {"done", ""}, reply);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 409) << answer->message;
  services::CommandDesk rebuilt{portals, [&store](ingest::ServerFact f) { store(std::move(f)); }, clock};
  for (const auto& step : store.stored) EXPECT_EQ(rebuilt.restore(step), "");
  EXPECT_LE(rebuilt.size(), 26U);
}

// Remote door commands meet the rules a badge meets, judged with the engine's state where they are recorded:
// a guard alone cannot hold a mantrap door open, nor unlock a door into a locked-down zone.
TEST_F(OperatorE2E, RemoteDoorCommandsGoThroughTheEngineRules) {
  const auto gil =
      testing::sign_in(*client, testing::create_operator(*server, "gil", "guard", "farah-haddad"));
  const auto sam =
      testing::sign_in(*client, testing::create_operator(*server, "sam", "supervisor", "emeka-adeyemi"));
  const auto held = client->post_json(
      "/api/v1/commands", R"({"target":"mantrap-outer","command":"lock_open","reason":"delivery"})", gil);
  ASSERT_EQ(held.status, 202) << held.body;
  EXPECT_EQ(json::parse(held.body).at("status"), "pending_approval")
      << "a guard alone held a mantrap door open";
  ASSERT_EQ(client->post_json("/api/v1/lockdown", R"({"zone":"office","reason":"incident"})", sam).status,
            200);
  const auto unlock = client->post_json(
      "/api/v1/commands", R"({"target":"office-door","command":"unlock","reason":"let them in"})", gil);
  EXPECT_EQ(unlock.status, 409) << "a door into a locked-down zone was unlocked: " << unlock.body;
  EXPECT_NE(unlock.body.find("lockdown"), std::string::npos) << unlock.body;
  pqxx::connection c{db->admin()};
  pqxx::read_transaction tx{c};
  EXPECT_EQ(tx.exec("SELECT count(*) FROM events WHERE type = 'command.refused'")[0][0].as<int>(), 1)
      << "the refusal is recorded";
}

// A lock sent to an egress door during a fire would trap people: refused and recorded, never queued.
TEST_F(OperatorE2E, RemoteLockOfAnEgressDoorDuringAFireIsRefused) {
  const auto gil =
      testing::sign_in(*client, testing::create_operator(*server, "gil", "guard", "farah-haddad"));
  // The fire panel's alarm for the reception (main-entrance is fail-safe: released for egress).
  const auto panel_token = server->enrol_device("fire-panel", "fire-panel");
  testing::wait_until_enrolled(*client, panel_token);
  const auto fire =
      client->post_json("/api/v1/events",
                        R"({"device_id":"fire-panel","seq":1,"time":")" + testing::device_time_now() +
                            R"(","type":"fire_alarm","zone":"reception","active":true})",
                        panel_token);
  ASSERT_EQ(fire.status, 200) << fire.body;
  const auto lock = client->post_json(
      "/api/v1/commands", R"({"target":"main-entrance","command":"lock","reason":"secure it"})", gil);
  EXPECT_EQ(lock.status, 409) << "a lock of an egress door was accepted during a fire: " << lock.body;
  EXPECT_NE(lock.body.find("fire_egress"), std::string::npos) << lock.body;
  EXPECT_EQ(client->get("/api/v1/devices/me/commands", device_token).body, R"({"commands":[]})");
}

// A sent command the door did not fetch within its time to live is never delivered, and the expiry is
// recorded.
TEST_F(OperatorE2E, ASentCommandExpiresUndeliveredAfterItsTimeToLive) {
  server->stop();
  server = std::make_unique<testing::ServerProcess>(
      *db, testing::example_site_env({{"PORTCULLIS_COMMAND_TTL_S", "1"}}));
  server->start();
  client = std::make_unique<client::HttpsClient>("localhost", server->port(),
                                                 client::ClientTls{testing::test_tls().ca, "", ""});
  const auto gil =
      testing::sign_in(*client, testing::create_operator(*server, "gil", "guard", "farah-haddad"));
  const auto sent =
      client->post_json("/api/v1/commands",
                        R"({"target":"main-entrance","command":"momentary_unlock","reason":"courier"})", gil);
  ASSERT_EQ(sent.status, 202) << sent.body;
  ASSERT_EQ(json::parse(sent.body).at("status"), "sent");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(client->get("/api/v1/devices/me/commands", device_token).body, R"({"commands":[]})")
      << "a command past its time to live reached the door";
  int expired = 0;
  for (int i = 0; i < 50 && expired == 0; ++i) {
    pqxx::connection c{db->admin()};
    pqxx::read_transaction tx{c};
    expired = tx.exec("SELECT count(*) FROM events WHERE type = 'command.expired'")[0][0].as<int>();
    if (expired == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(expired, 1) << "the expiry is recorded";
}

// The door hears its verdict and what to do, never the person or any alarm (a silent duress alarm, other
// places' alarms naming people).
TEST_F(OperatorE2E, TheDeviceAnswerCarriesOnlyTheVerdictAndTheDoorAction) {
  const auto r =
      client->post_json("/api/v1/events", testing::lobby_badge(1, "rdr-lobby-in", 10001), device_token);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto outcome = json::parse(r.body).at("outcome");
  EXPECT_FALSE(outcome.contains("alarms")) << r.body;
  ASSERT_TRUE(outcome.at("decision").is_object()) << r.body;
  EXPECT_FALSE(outcome.at("decision").contains("person")) << r.body;
  EXPECT_EQ(outcome.at("decision").at("verdict"), "grant") << r.body;
  EXPECT_EQ(outcome.at("door").at("action"), "unlock") << r.body;
  EXPECT_EQ(outcome.at("door").at("portal"), "main-entrance") << r.body;
  EXPECT_EQ(r.body.find("alice"), std::string::npos) << r.body;
}

// The live map shows a lockdown on its zone and door, and occupancy that follows a forgiven presence.
TEST_F(OperatorE2E, TheStreamShowsLockdownAndForgivenPresence) {
  const auto sam =
      testing::sign_in(*client, testing::create_operator(*server, "sam", "supervisor", "emeka-adeyemi"));
  auto ws = stream();
  ws.connect("/api/v1/stream?topics=doors,zones", sam);
  ASSERT_EQ(next_json(ws).at("type"), "snapshot");
  // Deltas of one batch come in any order (doors before zones): every delta read is kept and searched.
  std::vector<json> seen;
  auto wait_for = [&](const std::string& topic, const std::string& id, const std::string& key,
                      const json& value) {
    auto matches = [&](const json& m) {
      return m.at("type") == "delta" && m.at("topic") == topic && m.at("data").at("id") == id &&
             m.at("data").at(key) == value;
    };
    for (const auto& m : seen)
      if (matches(m)) return true;
    for (int i = 0; i < 20; ++i) {
      // A read that times out ends the connection (WssClient): wait long, once.
      auto m = next_message(ws, std::chrono::seconds(10));
      if (!m) return false;
      seen.push_back(*m);
      if (matches(*m)) return true;
    }
    return false;
  };
  ASSERT_EQ(client->post_json("/api/v1/lockdown", R"({"zone":"office","reason":"incident"})", sam).status,
            200);
  EXPECT_TRUE(wait_for("zones", "office", "lockdown", true))
      << "the zone's lockdown never reached the stream";
  EXPECT_TRUE(wait_for("doors", "office-door", "mode", "locked_down"))
      << "the door into the locked-down zone still looks normal";
  ASSERT_EQ(client->post_json("/api/v1/events", testing::lobby_badge(1, "rdr-lobby-in", 10001), device_token)
                .status,
            200);
  EXPECT_TRUE(wait_for("zones", "reception", "occupancy", 1));
  ASSERT_EQ(client->post_json("/api/v1/presence/alice-nguyen/forgive", R"({"reason":"reset"})", sam).status,
            200);
  EXPECT_TRUE(wait_for("zones", "reception", "occupancy", 0))
      << "the stream still counts a person whose presence was forgiven";
}

}  // namespace
}  // namespace portcullis
