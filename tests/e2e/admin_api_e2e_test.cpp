// Admin changes end to end over HTTPS: people, badges and membership through REST take effect at
// the next decision and survive a restart; refusals name the field; a site reload with a bad file changes
// nothing, a good one takes effect and survives a restart.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <regex>
#include <sstream>
#include <thread>

#include "operator_support.hpp"
#include "portcullis/client/https_client.hpp"
#include "portcullis/client/wss_client.hpp"

namespace portcullis {
namespace {

using nlohmann::json;

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("not found: " + from);
  return text.replace(at, from.size(), to);
}

class AdminE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    example = testing::example_site_text();  // the example, open to engineers at any hour
    // The server reads its own copy: a test "deploys" a new version by overwriting it.
    site_dir = std::filesystem::temp_directory_path() /
               ("portcullis-admin-e2e-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(site_dir);
    site_path = (site_dir / "site.json").string();
    std::ofstream(site_path) << example;
    db = std::make_unique<testing::TestDatabase>();
    server = std::make_unique<testing::ServerProcess>(
        *db, testing::example_site_env({{"PORTCULLIS_SITE_FILE", site_path}}));
    device_token = server->enrol_device("ctl-lobby");
    server->start();
    connect();
    admin = testing::sign_in(*client, testing::create_operator(*server, "ada", "admin", "julia-romero"));
  }
  void TearDown() override {
    server.reset();
    std::error_code ec;
    std::filesystem::remove_all(site_dir, ec);
  }
  void connect() {
    client = std::make_unique<client::HttpsClient>("localhost", server->port(),
                                                   client::ClientTls{testing::test_tls().ca, "", ""});
  }
  void restart() {
    server->stop();
    server->start();
    connect();
    admin = testing::sign_in(*client, testing::create_operator(*server, "ada" + std::to_string(++restarts),
                                                               "admin", "julia-romero"));
  }
  json decide(int seq, int number, const std::string& reader = "rdr-lobby-in") {
    const auto r =
        client->post_json("/api/v1/events", testing::lobby_badge(seq, reader, number), device_token);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).at("outcome").at("decision");
  }
  std::string site_version() { return json::parse(client->get("/api/v1/site", admin).body).at("version"); }

  std::string example, site_path, device_token, admin;
  std::filesystem::path site_dir;
  int restarts = 0;
  std::unique_ptr<testing::TestDatabase> db;
  std::unique_ptr<testing::ServerProcess> server;
  std::unique_ptr<client::HttpsClient> client;
};

TEST_F(AdminE2E, APersonAndBadgeAddedThroughRestAreGrantedAndSurviveARestart) {
  EXPECT_EQ(decide(1, 20001).at("reason"), "unknown_credential");
  const auto person = client->post_json(
      "/api/v1/people",
      R"({"id":"zoe-park","name":"Zoe Park","role":"engineer","clearance":{"status":"cleared","expires":"2028-01-01T00:00:00Z"}})",
      admin);
  ASSERT_EQ(person.status, 201) << person.body;
  EXPECT_TRUE(json::parse(person.body).at("change").at("before").is_null());
  EXPECT_EQ(json::parse(person.body).at("change").at("after").at("name"), "Zoe Park");
  EXPECT_EQ(client->post_json("/api/v1/people", R"({"id":"zoe-park","name":"Zoe"})", admin).status, 409);
  const auto card = client->post_json(
      "/api/v1/people/zoe-park/credentials",
      R"({"type":"card","id":"zoe-badge","format":"H10301","facility":42,"number":20001})", admin);
  ASSERT_EQ(card.status, 201) << card.body;
  EXPECT_EQ(decide(2, 20001).at("reason"), "no_grant");
  const auto grant = client->post_json(
      "/api/v1/grants", R"({"id":"g-zoe","person":"zoe-park","zones":["public","reception"]})", admin);
  ASSERT_EQ(grant.status, 201) << grant.body;
  EXPECT_EQ(decide(3, 20001).at("verdict"), "grant");
  const auto member = client->post_json("/api/v1/groups/staff/members", R"({"person":"zoe-park"})", admin);
  ASSERT_EQ(member.status, 201) << member.body;
  EXPECT_EQ(decide(4, 20001, "rdr-lobby-out").at("verdict"), "grant");
  // A PIN: hashed by the server, only "set" is shown.
  const auto pin = client->request("PUT", "/api/v1/people/zoe-park/pin", R"({"pin":"4711"})", admin);
  ASSERT_EQ(pin.status, 200) << pin.body;
  EXPECT_EQ(pin.body.find("4711"), std::string::npos);
  const auto people = json::parse(client->get("/api/v1/people", admin).body).at("people");
  const auto zoe =
      std::find_if(people.begin(), people.end(), [](const json& p) { return p.at("id") == "zoe-park"; });
  ASSERT_NE(zoe, people.end());
  EXPECT_TRUE(zoe->at("pin").get<bool>());
  EXPECT_FALSE(zoe->contains("pin_hash"));

  restart();  // replayed from the log
  EXPECT_EQ(decide(5, 20001).at("verdict"), "grant");
  const auto removed = client->request("DELETE", "/api/v1/people/zoe-park/credentials/zoe-badge", "", admin);
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(decide(6, 20001, "rdr-lobby-out").at("reason"), "unknown_credential");
}

TEST_F(AdminE2E, ADuplicateBadgeOrAnUnknownZoneIsRefusedNamingTheFieldAndChangesNothing) {
  const auto duplicate = client->post_json(
      "/api/v1/people/bernard-okafor/credentials",
      R"({"type":"card","id":"bernard-second","format":"H10301","facility":42,"number":10001})", admin);
  ASSERT_EQ(duplicate.status, 409) << duplicate.body;
  const auto error = json::parse(duplicate.body).at("error");
  EXPECT_NE(error.at("field").get<std::string>().find("cards"), std::string::npos) << duplicate.body;
  EXPECT_NE(error.at("message").get<std::string>().find("duplicate badge"), std::string::npos)
      << duplicate.body;
  // The door hears no person (docs/api.md): the stored outcome names whom the badge identified.
  const auto answer =
      client->post_json("/api/v1/events", testing::lobby_badge(1, "rdr-lobby-in", 10001), device_token);
  ASSERT_EQ(answer.status, 200) << answer.body;
  {
    pqxx::connection c{db->admin()};
    pqxx::read_transaction tx{c};
    const auto stored = tx.exec("SELECT outcome FROM events WHERE site_seq = " +
                                std::to_string(json::parse(answer.body).at("site_seq").get<long>()))[0][0];
    EXPECT_EQ(json::parse(stored.as<std::string>()).at("decision").at("person"), "alice-nguyen");
  }
  // Shape problems come from the site file's own reader, by field.
  const auto bad_number =
      client->post_json("/api/v1/people/bernard-okafor/credentials",
                        R"({"type":"card","id":"b2","format":"H10301","facility":42})", admin);
  EXPECT_EQ(bad_number.status, 400);
  EXPECT_EQ(json::parse(bad_number.body).at("error").at("field"), "$.number") << bad_number.body;
  const auto unknown_zone = client->post_json(
      "/api/v1/grants", R"({"id":"g-x","person":"alice-nguyen","zones":["nowhere"]})", admin);
  EXPECT_EQ(unknown_zone.status, 400) << unknown_zone.body;
  EXPECT_EQ(json::parse(unknown_zone.body).at("error").at("field"), "$.zones[0]") << unknown_zone.body;
  const auto unknown_person =
      client->post_json("/api/v1/groups/staff/members", R"({"person":"ghost"})", admin);
  EXPECT_EQ(unknown_person.status, 404) << unknown_person.body;
}

TEST_F(AdminE2E, ABadSiteReloadAnswersEveryProblemAndChangesNothing) {
  auto broken = replace_once(example, "\"version\": \"2026-11-27.1\"", "\"version\": \"2026-11-27.9\"");
  broken = replace_once(broken, "\"parent\": \"public\"", "\"parent\": \"atlantis\"");
  broken = replace_once(broken, "\"number\": 10002", "\"number\": 10001");
  const auto r = client->request("PUT", "/api/v1/site", broken, admin);
  ASSERT_EQ(r.status, 422) << r.body;
  const auto problems = json::parse(r.body).at("problems");
  EXPECT_GE(problems.size(), 2U) << r.body;
  bool parent = false, duplicate = false;
  for (const auto& p : problems) {
    parent |= p.at("path").get<std::string>().find(".parent") != std::string::npos;
    duplicate |= p.at("message").get<std::string>().find("duplicate badge") != std::string::npos;
  }
  EXPECT_TRUE(parent && duplicate) << r.body;
  EXPECT_EQ(client->request("PUT", "/api/v1/site", "{not json", admin).status, 422);
  EXPECT_EQ(site_version(), "2026-11-27.1");
  EXPECT_EQ(decide(1, 10001).at("verdict"), "grant");
}

TEST_F(AdminE2E, AGoodSiteReloadTakesEffectAtOnceAndSurvivesARestart) {
  EXPECT_EQ(decide(1, 10001).at("verdict"), "grant");
  auto v2 = replace_once(example, "\"version\": \"2026-11-27.1\"", "\"version\": \"2026-11-27.2\"");
  v2 = replace_once(v2, "\"role\": \"site reliability engineer\",\n      \"status\": \"active\"",
                    "\"role\": \"site reliability engineer\",\n      \"status\": \"revoked\"");
  const auto r = client->request("PUT", "/api/v1/site", v2, admin);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto loaded = json::parse(r.body).at("loaded");
  EXPECT_EQ(loaded.at("version"), "2026-11-27.2");
  EXPECT_EQ(loaded.at("changes").at("people").at("changed"), json::array({"alice-nguyen"}));
  EXPECT_EQ(site_version(), "2026-11-27.2");
  EXPECT_EQ(decide(2, 10001, "rdr-lobby-out").at("reason"), "person_revoked");
  // The admin deploys the same file as the start-up site; a restart replays history with each version.
  std::ofstream(site_path, std::ios::trunc) << v2;
  restart();
  EXPECT_EQ(site_version(), "2026-11-27.2");
  EXPECT_EQ(decide(3, 10001, "rdr-lobby-out").at("reason"), "person_revoked");
  // Restarted with the old file again: it would give Alice back her access to the hall and the cage, which
  // needs a second operator, and a restart has none: version 2 keeps serving.
  std::ofstream(site_path, std::ios::trunc) << example;
  restart();
  EXPECT_EQ(site_version(), "2026-11-27.2");
  EXPECT_EQ(decide(4, 10001, "rdr-lobby-out").at("reason"), "person_revoked");
  // A restart with a file that only narrows access loads it as a new version.
  auto v3 = replace_once(v2, "\"version\": \"2026-11-27.2\"", "\"version\": \"2026-11-27.3\"");
  std::ofstream(site_path, std::ios::trunc) << v3;
  restart();
  EXPECT_EQ(site_version(), "2026-11-27.3");
}

TEST_F(AdminE2E, AGrantToATwoPersonZoneAndATierChangeWaitForASecondOperator) {
  const auto supervisor =
      testing::sign_in(*client, testing::create_operator(*server, "sam", "supervisor", "emeka-adeyemi"));
  const auto held = client->post_json(
      "/api/v1/grants", R"({"id":"g-bernard-cage","person":"bernard-okafor","zones":["weights-cage"]})",
      admin);
  ASSERT_EQ(held.status, 202) << held.body;
  EXPECT_EQ(json::parse(held.body).at("status"), "pending_approval");
  const std::string id = json::parse(held.body).at("id");
  const auto self = client->post_json("/api/v1/approvals/" + id + "/approve", "{}", admin);
  EXPECT_EQ(self.status, 403) << self.body;
  EXPECT_EQ(json::parse(self.body).at("error").at("message"), "self_approval");
  const auto approved = client->post_json("/api/v1/approvals/" + id + "/approve", "{}", supervisor);
  ASSERT_EQ(approved.status, 201) << approved.body;
  EXPECT_EQ(json::parse(approved.body).at("outcome").at("decision").at("reason"), "applied");
  EXPECT_EQ(client->post_json("/api/v1/approvals/" + id + "/approve", "{}", supervisor).status, 404);
  // A grant elsewhere is applied at once.
  EXPECT_EQ(client
                ->post_json("/api/v1/grants", R"({"id":"g-b2","person":"bernard-okafor","zones":["office"]})",
                            admin)
                .status,
            201);
  // A reload that changes tier requirements waits too; nothing changes until approved.
  auto tiers = replace_once(example, "\"version\": \"2026-11-27.1\"", "\"version\": \"2026-11-27.5\"");
  const auto t = json::parse(tiers);
  auto changed = t;
  changed["tiers"][3]["clearance_required"] = false;  // the compute hall without a background check
  const auto reload = client->request("PUT", "/api/v1/site", changed.dump(), admin);
  ASSERT_EQ(reload.status, 202) << reload.body;
  EXPECT_EQ(site_version(), "2026-11-27.1");
  const std::string reload_id = json::parse(reload.body).at("id");
  const auto ok = client->post_json("/api/v1/approvals/" + reload_id + "/approve", "{}", supervisor);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(site_version(), "2026-11-27.5");
}

// Durability of approvals (docs/operator-api.md): changes held for a second operator are rebuilt from
// their change.requested records after a restart, with the action they execute once approved.
TEST_F(AdminE2E, ChangesHeldForApprovalSurviveARestartAndTakeEffectOnceApproved) {
  const auto held = client->post_json(
      "/api/v1/grants", R"({"id":"g-bernard-cage","person":"bernard-okafor","zones":["weights-cage"]})",
      admin);
  ASSERT_EQ(held.status, 202) << held.body;
  const std::string id = json::parse(held.body).at("id");
  EXPECT_TRUE(std::regex_match(id, std::regex{"chg-[0-9a-f]{32}"})) << id;
  auto changed =
      json::parse(replace_once(example, "\"version\": \"2026-11-27.1\"", "\"version\": \"2026-11-27.7\""));
  changed["tiers"][3]["clearance_required"] = false;  // the compute hall without a background check
  const auto reload = client->request("PUT", "/api/v1/site", changed.dump(), admin);
  ASSERT_EQ(reload.status, 202) << reload.body;
  const std::string reload_id = json::parse(reload.body).at("id");

  restart();
  EXPECT_EQ(site_version(), "2026-11-27.1") << "a held reload took effect without approval";
  const auto sue =
      testing::sign_in(*client, testing::create_operator(*server, "sue", "supervisor", "dana-kowalski"));
  const auto approved = client->post_json("/api/v1/approvals/" + id + "/approve", "{}", sue);
  ASSERT_EQ(approved.status, 201) << approved.body;
  EXPECT_EQ(json::parse(approved.body).at("outcome").at("decision").at("reason"), "applied");
  EXPECT_EQ(client->post_json("/api/v1/approvals/" + id + "/approve", "{}", sue).status, 404);
  const auto ok = client->post_json("/api/v1/approvals/" + reload_id + "/approve", "{}", sue);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(site_version(), "2026-11-27.7");
  // A change held after the restart gets a new id; approved ones do not come back after another restart.
  const auto again = client->post_json(
      "/api/v1/grants", R"({"id":"g-emeka-cage","person":"emeka-adeyemi","zones":["weights-cage"]})", admin);
  ASSERT_EQ(again.status, 202) << again.body;
  const std::string again_id = json::parse(again.body).at("id");
  EXPECT_NE(again_id, id);
  EXPECT_NE(again_id, reload_id);
  std::ofstream(site_path, std::ios::trunc) << changed.dump();  // deployed as the start-up site
  restart();
  EXPECT_EQ(site_version(), "2026-11-27.7");
  EXPECT_EQ(client->post_json("/api/v1/approvals/" + id + "/approve", "{}", sue).status, 404);
  EXPECT_EQ(client->post_json("/api/v1/approvals/" + reload_id + "/approve", "{}", sue).status, 404);
  const auto sid =
      testing::sign_in(*client, testing::create_operator(*server, "sid", "supervisor", "hana-sato"));
  EXPECT_EQ(client->post_json("/api/v1/approvals/" + again_id + "/approve", "{}", sid).status, 201);
}

// A held change whose record could not be stored: 503, nothing held or executed (the store refuses one type
// through a CHECK constraint added for the test).
TEST_F(AdminE2E, AHeldChangeWhoseRecordIsNotStoredIsA503AndChangesNothing) {
  pqxx::connection superuser{db->admin()};
  auto refuse = [&superuser](const std::string& type) {
    pqxx::nontransaction tx{superuser};
    tx.exec("ALTER TABLE events ADD CONSTRAINT test_refuse CHECK (type <> " + tx.quote(type) + ") NOT VALID");
  };
  auto accept = [&superuser] {
    pqxx::nontransaction tx{superuser};
    tx.exec("ALTER TABLE events DROP CONSTRAINT test_refuse");
  };
  const auto supervisor =
      testing::sign_in(*client, testing::create_operator(*server, "sam", "supervisor", "emeka-adeyemi"));
  const std::string grant = R"({"id":"g-bernard-cage","person":"bernard-okafor","zones":["weights-cage"]})";
  refuse("change.requested");
  const auto refused = client->post_json("/api/v1/grants", grant, admin);
  EXPECT_EQ(refused.status, 503) << refused.body;
  accept();
  const auto held = client->post_json("/api/v1/grants", grant, admin);
  ASSERT_EQ(held.status, 202) << held.body;
  const std::string id = json::parse(held.body).at("id");
  refuse("change.approved");
  const auto not_stored = client->post_json("/api/v1/approvals/" + id + "/approve", "{}", supervisor);
  EXPECT_EQ(not_stored.status, 503) << not_stored.body;
  accept();
  const auto approved = client->post_json("/api/v1/approvals/" + id + "/approve", "{}", supervisor);
  ASSERT_EQ(approved.status, 201) << "still held after the refused approval: " << approved.body;
  EXPECT_EQ(json::parse(approved.body).at("outcome").at("decision").at("reason"), "applied");
}

// Separation of duties on the effective model (docs/operators.md): every route by which one admin could
// reach the weights cage alone is held for a second operator; the same routes apply at once when they only
// narrow access.
class SeparationOfDutiesE2E : public AdminE2E {
 protected:
  void SetUp() override {
    AdminE2E::SetUp();
    if (!server) return;
    supervisor =
        testing::sign_in(*client, testing::create_operator(*server, "sam", "supervisor", "emeka-adeyemi"));
  }
  // Asserts the answer is a held change and returns its id.
  std::string held(const client::HttpReply& r) {
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return {};
    const auto body = json::parse(r.body);
    EXPECT_EQ(body.at("status"), "pending_approval");
    EXPECT_FALSE(body.at("reasons").empty()) << r.body;
    return body.at("id");
  }
  client::HttpReply approve(const std::string& id, const std::string& who) {
    return client->post_json("/api/v1/approvals/" + id + "/approve", "{}", who);
  }
  json person(const std::string& id) {
    const auto people = json::parse(client->get("/api/v1/people", admin).body);
    for (const auto& p : people.at("people")) {
      if (p.at("id") == id) return p;
    }
    return {};
  }
  json group(const std::string& id) {
    const auto people = json::parse(client->get("/api/v1/people", admin).body);
    for (const auto& g : people.at("groups")) {
      if (g.at("id") == id) return g;
    }
    return {};
  }
  std::string supervisor;
};

TEST_F(SeparationOfDutiesE2E, AddingAMemberToAGroupThatHoldsACageGrantWaitsForASecondOperator) {
  const auto id = held(client->post_json("/api/v1/groups/weights-custodians/members",
                                         R"({"person":"bernard-okafor"})", admin));
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(group("weights-custodians").at("members").size(), 3U) << "applied before approval";
  EXPECT_EQ(approve(id, admin).status, 403);
  const auto ok = approve(id, supervisor);
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(group("weights-custodians").at("members").size(), 4U);
  // Taking him out again only narrows: at once.
  EXPECT_EQ(
      client->request("DELETE", "/api/v1/groups/weights-custodians/members/bernard-okafor", "", admin).status,
      200);
}

TEST_F(SeparationOfDutiesE2E, DeletingAnExplicitDenyWaitsForASecondOperator) {
  // Adding the deny narrows: applied at once.
  const auto deny = client->post_json(
      "/api/v1/grants",
      R"({"id":"g-alice-no-cage","person":"alice-nguyen","effect":"deny","zones":["weights-cage"]})", admin);
  ASSERT_EQ(deny.status, 201) << deny.body;
  const auto id = held(client->request("DELETE", "/api/v1/grants/g-alice-no-cage", "", admin));
  ASSERT_FALSE(id.empty());
  const auto ok = approve(id, supervisor);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(json::parse(ok.body).at("outcome").at("decision").at("reason"), "applied");
}

TEST_F(SeparationOfDutiesE2E, RestoringARevokedCageGrantWaitsForASecondOperator) {
  const auto revoked =
      client->post_json("/api/v1/grants/g-custodians-cage/revoke", R"({"reason":"audit"})", admin);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  const auto id =
      held(client->post_json("/api/v1/grants/g-custodians-cage/restore", R"({"reason":"done"})", admin));
  ASSERT_FALSE(id.empty());
  const auto ok = approve(id, supervisor);
  ASSERT_EQ(ok.status, 200) << ok.body;
}

TEST_F(SeparationOfDutiesE2E, AddingACredentialToAClearedPersonWithCageAccessWaitsForASecondOperator) {
  const std::string card =
      R"({"type":"card","id":"alice-spare","format":"H10301","facility":42,"number":20077})";
  const auto id = held(client->post_json("/api/v1/people/alice-nguyen/credentials", card, admin));
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(person("alice-nguyen").at("cards").size(), 1U) << "applied before approval";
  EXPECT_EQ(decide(1, 20077).at("reason"), "unknown_credential");
  const auto ok = approve(id, supervisor);
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(decide(2, 20077).at("verdict"), "grant");
  // A card for someone with no sensitive access is added at once.
  const auto other = client->post_json(
      "/api/v1/people/hana-sato/credentials",
      R"({"type":"card","id":"hana-spare","format":"H10301","facility":42,"number":20078})", admin);
  EXPECT_EQ(other.status, 201) << other.body;
}

TEST_F(SeparationOfDutiesE2E, ASiteReloadThatLowersATierOrDropsATwoPersonRuleWaitsForASecondOperator) {
  auto site = json::parse(example);
  auto zone = [&](json& s, const std::string& id) -> json& {
    for (auto& z : s["zones"]) {
      if (z["id"] == id) return z;
    }
    throw std::runtime_error("no zone " + id);
  };
  auto lowered = site;
  lowered["version"] = "2026-11-27.21";
  zone(lowered, "weights-cage")["tier"] = 2;
  const auto id = held(client->request("PUT", "/api/v1/site", lowered.dump(), admin));
  EXPECT_EQ(site_version(), "2026-11-27.1");
  auto alone = site;
  alone["version"] = "2026-11-27.22";
  zone(alone, "weights-cage").erase("min_occupancy");
  held(client->request("PUT", "/api/v1/site", alone.dump(), admin));
  auto rack = site;
  rack["version"] = "2026-11-27.23";
  for (auto& r : rack["racks"]) {
    if (r["id"] == "rack-w01") r["two_person"] = false;
  }
  held(client->request("PUT", "/api/v1/site", rack.dump(), admin));
  EXPECT_EQ(site_version(), "2026-11-27.1");
  ASSERT_FALSE(id.empty());
  const auto ok = approve(id, supervisor);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(site_version(), "2026-11-27.21");
  // A reload that only narrows (the hall needs two factors and a biometric) applies at once.
  auto stricter = json::parse(example);
  stricter["version"] = "2026-11-27.24";
  stricter["tiers"][3]["any_of"] = json::array({json::array({"badge", "pin", "biometric"})});
  const auto r = client->request("PUT", "/api/v1/site", stricter.dump(), admin);
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(AdminE2E, TheLiveStreamGetsASnapshotOfTheReloadedSite) {
  client::WssClient ws{"localhost", server->port(), testing::test_tls().ca};
  ws.connect("/api/v1/stream?topics=doors", admin);
  auto first = ws.read(std::chrono::seconds(10));
  ASSERT_TRUE(first);
  ASSERT_EQ(json::parse(*first).at("type"), "snapshot");
  auto site = json::parse(example);
  site["version"] = "2026-11-27.6";
  site["portals"].push_back(
      {{"id", "side-door"},
       {"name", "Side door"},
       {"kind", "door"},
       {"from", "public"},
       {"to", "reception"},
       {"readers", json::array({{{"id", "rdr-side-in"}, {"side", "entry"}, {"reads", {"badge"}}}})}});
  const auto r = client->request("PUT", "/api/v1/site", site.dump(), admin);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("loaded").at("changes").at("portals").at("added"),
            json::array({"side-door"}));
  bool seen = false;
  for (int i = 0; i < 20 && !seen; ++i) {
    auto m = ws.read(std::chrono::seconds(1));
    if (!m) continue;
    const auto j = json::parse(*m);
    if (j.at("type") != "snapshot") continue;
    for (const auto& d : j.at("doors")) seen |= d.at("id") == "side-door";
  }
  EXPECT_TRUE(seen) << "no snapshot with the new door after the reload";
  const auto summary = json::parse(client->get("/api/v1/site", admin).body);
  bool listed = false;
  for (const auto& p : summary.at("portals")) listed |= p.at("id") == "side-door";
  EXPECT_TRUE(listed);
  // Door commands know the new door (no device drives it: 409, no longer 404 "no such door").
  int status = 0;
  for (int i = 0; i < 20 && status != 409; ++i) {
    status = client
                 ->post_json("/api/v1/commands", R"({"target":"side-door","command":"lock","reason":"test"})",
                             admin)
                 .status;
    if (status != 409) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 409);
}

}  // namespace
}  // namespace portcullis
