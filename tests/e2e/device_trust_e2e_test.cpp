// No single device, no single person, over HTTPS against the real server and the example site: a device
// speaks only for what the site says it controls, a fire releases egress and never one person's entry into
// the weights cage, one person's second credential at a two-person door is an alarm, and a fire state no
// panel clears takes two operators of two persons.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "operator_support.hpp"
#include "portcullis/client/https_client.hpp"
#include "server_process.hpp"

namespace portcullis {
namespace {

using nlohmann::json;

class DeviceTrustE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    // The example site, where Dana Kowalski (supervisor and custodian: the cage wants a supervisor first) has
    // a second enrolled finger (sites enrol two fingers per person).
    auto site = json::parse(testing::example_site_text());
    for (auto& person : site.at("people")) {
      if (person.at("id") == "dana-kowalski")
        person.at("biometrics")
            .push_back({{"id", "dana-kowalski-finger-2"}, {"template_id", "tpl-dana-kowalski-2"}});
    }
    site_path = testing::test_tls().dir + "/device-trust-" + db->name() + ".site.json";
    std::ofstream(site_path) << site.dump(2);
    server = std::make_unique<testing::ServerProcess>(
        *db, testing::example_site_env({{"PORTCULLIS_SITE_FILE", site_path}}));
    for (const char* id : {"ctl-lobby", "ctl-cage", "ctl-mantrap"}) tokens[id] = server->enrol_device(id);
    tokens["fire-panel"] = server->enrol_device("fire-panel", "fire-panel");
    server->start();
    client = std::make_unique<client::HttpsClient>("localhost", server->port(),
                                                   client::ClientTls{testing::test_tls().ca, "", ""});
  }

  // Posts one event of `device` (its next seq, the current time) and returns the whole answer.
  json send(const std::string& device, const std::string& type, const std::string& fields) {
    const std::string body = R"({"device_id":")" + device + R"(","seq":)" + std::to_string(++seqs[device]) +
                             R"(,"time":")" + testing::device_time_now() + R"(","type":")" + type + "\"" +
                             fields + "}";
    const auto r = client->post_json("/api/v1/events", body, tokens.at(device));
    EXPECT_EQ(r.status, 200) << body << " -> " << r.body;
    return r.status == 200 ? json::parse(r.body) : json::object();
  }
  static std::string decision(const json& answer) {
    if (!answer.contains("outcome") || !answer.at("outcome").value("decision", json{}).is_object())
      return "-";
    const auto& d = answer.at("outcome").at("decision");
    return d.at("verdict").get<std::string>() + "/" + d.at("reason").get<std::string>();
  }
  // How many stored alarms of this kind the event log holds.
  int alarms_of_kind(const std::string& kind) {
    pqxx::connection c{db->admin()};
    pqxx::read_transaction tx{c};
    return tx
        .exec_params(
            "SELECT count(*) FROM events, jsonb_array_elements(outcome::jsonb -> 'alarms') a "
            "WHERE a ->> 'kind' = $1",
            kind)[0][0]
        .as<int>();
  }
  // The badge and finger of a custodian at the weights cage door.
  json badge_and_finger_at_the_cage(int card, const std::string& template_id) {
    send("ctl-cage", "credential",
         R"(,"reader":"rdr-cage-in","card":{"facility":42,"number":)" + std::to_string(card) + "}");
    return send(
        "ctl-cage", "biometric",
        R"(,"reader":"bio-cage-in","template_id":")" + template_id + R"(","score":91,"matched":true)");
  }

  void TearDown() override {
    server.reset();
    if (!site_path.empty()) std::filesystem::remove(site_path);
  }

  std::string site_path;
  std::unique_ptr<testing::TestDatabase> db;
  std::unique_ptr<testing::ServerProcess> server;
  std::unique_ptr<client::HttpsClient> client;
  std::map<std::string, std::string> tokens;
  std::map<std::string, int> seqs;
};

// The lobby controller's token could raise a site-wide fire, mask an open mantrap door, shunt a forced cage
// door and empty the vestibule. Each is refused and recorded with a device_out_of_scope alarm, and the
// fire it tried to raise never releases a door.
TEST_F(DeviceTrustE2E, AnyDeviceCanSpeakForAnyDoorZoneOrRack) {
  EXPECT_EQ(decision(send("ctl-lobby", "fire_alarm", R"(,"zone":"compute-hall","active":true)")),
            "deny/device_out_of_scope");
  EXPECT_EQ(decision(send("ctl-lobby", "fire_alarm", R"(,"zone":"atlantis","active":true)")),
            "deny/device_out_of_scope");
  EXPECT_EQ(decision(send("ctl-lobby", "door_contact", R"(,"portal":"mantrap-outer","state":"closed")")),
            "deny/device_out_of_scope");
  EXPECT_EQ(decision(send("ctl-lobby", "request_to_exit", R"(,"portal":"cage-door")")),
            "deny/device_out_of_scope");
  EXPECT_EQ(decision(send("ctl-lobby", "occupancy", R"(,"mantrap":"mt-hall","count":0)")),
            "deny/device_out_of_scope");
  EXPECT_EQ(alarms_of_kind("device_out_of_scope"), 5);
  EXPECT_EQ(alarms_of_kind("fire_alarm"), 0) << "a refused fire alarm put a zone in fire mode";
  // Its own door it still speaks for.
  EXPECT_EQ(decision(send("ctl-lobby", "credential",
                          R"(,"reader":"rdr-lobby-in","card":{"facility":42,"number":10004})")),
            "grant/granted");
}

// During a fire one supervisor-custodian's badge and finger at the weights cage stay a pending first person:
// fire releases egress, never a single person's entry.
TEST_F(DeviceTrustE2E, FireSuspendsTwoPersonIntegrity) {
  EXPECT_EQ(decision(send("fire-panel", "fire_alarm", R"(,"zone":"public","active":true)")), "-");
  EXPECT_GE(alarms_of_kind("fire_alarm"), 1);
  const auto answer = badge_and_finger_at_the_cage(10004, "tpl-dana-kowalski");
  EXPECT_EQ(decision(answer), "pending/second_person_pending") << answer.dump();
  EXPECT_FALSE(answer.at("outcome").contains("door")) << "the cage door was released: " << answer.dump();
}

// One person's second credential at a two-person door completes nothing and is a critical alarm.
TEST_F(DeviceTrustE2E, FraudAtATwoPersonDoorIsSilent) {
  EXPECT_EQ(decision(badge_and_finger_at_the_cage(10004, "tpl-dana-kowalski")),
            "pending/second_person_pending");
  // Her own badge a second time is no fraud; her second finger offered as the second person's is.
  const auto again =
      send("ctl-cage", "credential", R"(,"reader":"rdr-cage-in","card":{"facility":42,"number":10004})");
  EXPECT_EQ(decision(again), "deny/same_person_twice") << again.dump();
  EXPECT_EQ(alarms_of_kind("two_person_fraud"), 0) << "the same badge again is no fraud";
  const auto fraud =
      send("ctl-cage", "biometric",
           R"(,"reader":"bio-cage-in","template_id":"tpl-dana-kowalski-2","score":91,"matched":true)");
  EXPECT_EQ(decision(fraud), "deny/same_person_twice") << fraud.dump();
  EXPECT_FALSE(fraud.at("outcome").contains("alarms")) << "the door hears no alarm";
  EXPECT_EQ(alarms_of_kind("two_person_fraud"), 1);
}

// A fire state no panel clears: a supervisor asks, a second operator of another person confirms; the
// supervisor alone, a second account of the same person and a service account cannot.
TEST_F(DeviceTrustE2E, AStuckFireStateIsClearedByTwoOperators) {
  EXPECT_EQ(decision(send("fire-panel", "fire_alarm", R"(,"zone":"public","active":true)")), "-");
  const auto sam =
      testing::sign_in(*client, testing::create_operator(*server, "sam", "supervisor", "emeka-adeyemi"));
  const auto sam2 =
      testing::sign_in(*client, testing::create_operator(*server, "sam2", "guard", "emeka-adeyemi"));
  const auto bot = testing::sign_in(*client, testing::create_operator(*server, "bot", "guard"));
  const auto gil =
      testing::sign_in(*client, testing::create_operator(*server, "gil", "guard", "farah-haddad"));
  EXPECT_EQ(client->post_json("/api/v1/fire/clear", R"({"zone":"public","reason":"panel gone"})", gil).status,
            403)
      << "a guard asks";
  const auto asked =
      client->post_json("/api/v1/fire/clear", R"({"zone":"public","reason":"panel gone"})", sam);
  ASSERT_EQ(asked.status, 201) << asked.body;
  const std::string id = json::parse(asked.body).at("id");
  const std::string confirm = "/api/v1/fire/clear/" + id + "/confirm";
  const std::string body = R"({"zone":"public","reason":"walked the floor"})";
  EXPECT_EQ(client->post_json(confirm, body, bot).status, 403) << "a service account confirms";
  for (const auto* self : {&sam, &sam2}) {
    const auto r = client->post_json(confirm, body, *self);
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_NE(r.body.find("self_approval"), std::string::npos) << r.body;
  }
  EXPECT_EQ(alarms_of_kind("fire_cleared"), 0);
  const auto cleared = client->post_json(confirm, body, gil);
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_EQ(alarms_of_kind("fire_cleared"), 1);
  EXPECT_EQ(alarms_of_kind("fire_clear_requested"), 1);
}

}  // namespace
}  // namespace portcullis
