// Site reloads and admin edits against a real PostgreSQL: a reload is stored in site_versions and recorded
// as site.loaded; a restart replays history with the site version that was in force at each point (and the
// admin edits), whatever site file it is started with.
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/site_file/site_file.hpp"
#include "portcullis/storage/site_versions.hpp"
#include "sequencer_support.hpp"
#include "server_process.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

struct Site {
  std::shared_ptr<const core::SiteDefinition> definition;
  std::shared_ptr<const core::SiteModel> model;
  std::string text, hash;
};

std::string example_text() {
  std::ifstream in(testing::source_dir() + "/examples/datacenter.site.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("not found: " + from);
  return text.replace(at, from.size(), to);
}

Site site_of(const std::string& text, const std::string& hash) {
  auto parsed = site_file::parse_site_json(text);
  if (!parsed.problems.empty()) throw std::runtime_error(parsed.problems.front().message);
  Site s;
  s.definition = std::make_shared<const core::SiteDefinition>(parsed.definition);
  s.model = core::SiteModel::build(parsed.definition).model;
  s.text = text;
  s.hash = hash;
  return s;
}

// Records the decisions the replay reaches (live = false).
class ReplayedDecisions : public ingest::LiveObserver {
 public:
  void on_update(const ingest::LiveUpdate& u, bool live) override {
    if (!live && u.event && u.outcome && u.outcome->decision)
      decisions.push_back(std::string(core::to_string(u.outcome->decision->reason)));
    if (u.model) ++model_switches;
  }
  void on_reset() override {
    decisions.clear();
    model_switches = 0;
  }
  std::vector<std::string> decisions;
  int model_switches = 0;
};

core::DeviceEvent badge(std::int64_t seq, std::uint64_t number) {
  core::DeviceEvent e;
  e.device = core::DeviceId{"ctl-lobby"};
  e.seq = seq;
  e.device_time = core::from_unix_micros(1'800'000'000'000'000 + seq);
  e.payload = core::CardPresented{core::ReaderId{"rdr-lobby-in"},
                                  core::Card{core::CardFormat::FacilityAndNumber, 42, number, ""}};
  return e;
}

class SiteReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    const auto text1 = example_text();
    // Version 2: Alice has left (revoked in the file).
    auto text2 = replace_once(text1, "\"version\": \"2026-11-27.1\"", "\"version\": \"2026-11-27.2\"");
    text2 = replace_once(text2, "\"role\": \"site reliability engineer\",\n      \"status\": \"active\"",
                         "\"role\": \"site reliability engineer\",\n      \"status\": \"revoked\"");
    // Versions are named by the SHA-256 of their content, as portcullisd names them (and checks on read).
    v1 = site_of(text1, storage::site_content_hash_hex(text1));
    v2 = site_of(text2, storage::site_content_hash_hex(text2));
  }
  std::unique_ptr<ingest::Sequencer> make(const Site& initial, ingest::LiveObserver* observer = nullptr) {
    ingest::SequencerConfig config;
    config.site_id = "ams-dc1";
    config.database = db->app();
    auto s = std::make_unique<ingest::Sequencer>(config, initial.model, clock, metrics);
    s->set_initial_site(initial.definition, initial.hash);
    if (observer) s->set_observer(observer);
    s->start();
    return s;
  }
  static ingest::CommandResult command(ingest::Sequencer& s, ingest::OperatorCommand c) {
    return testing::run_command(s, std::move(c));
  }
  static ingest::CommandResult load(ingest::Sequencer& s, const Site& site) {
    ingest::OperatorCommand c;
    c.kind = ingest::OperatorCommand::Kind::LoadSite;
    c.operator_id = "ada";
    c.site = site.definition;
    c.site_text = site.text;
    c.site_hash = site.hash;
    return command(s, std::move(c));
  }
  static ingest::CommandResult admin(ingest::Sequencer& s, core::AdminEdit edit) {
    ingest::OperatorCommand c;
    c.kind = ingest::OperatorCommand::Kind::PolicyAction;
    c.operator_id = "ada";
    c.actor = core::Actor{core::OperatorId{"ada"}, core::PersonId{}, true};
    c.action = core::AdminChange{std::move(edit)};
    return command(s, std::move(c));
  }
  static std::string decide(ingest::Sequencer& s, std::int64_t seq, std::uint64_t number) {
    auto r = testing::submit_and_wait(s, {badge(seq, number)});
    const auto& out = r.answers.at(0).outcome_json;
    const auto at = out.find("\"reason\":\"");
    return out.substr(at + 10, out.find('"', at + 10) - at - 10);
  }
  int stored(const std::string& sql) {
    pqxx::connection c{db->admin()};
    pqxx::read_transaction tx{c};
    return tx.exec(sql)[0][0].as<int>();
  }

  std::unique_ptr<testing::TestDatabase> db;
  // Decisions follow the example site's schedules (Zoe's staff grant is business hours, Amsterdam time):
  // a fixed weekday morning, so the test does not depend on when it runs.
  core::ManualClock clock{core::from_unix_micros(1'795'600'800'000'000)};  // Wed 2026-11-25 10:00 UTC
  metrics::ServerMetrics metrics;
  Site v1, v2;
};

TEST_F(SiteReloadTest, RestartReplaysEachPartOfHistoryWithItsOwnSiteVersion) {
  {
    auto s = make(v1);
    ASSERT_EQ(load(*s, v1).status, 200);
    EXPECT_EQ(decide(*s, 1, 10001), "granted");  // Alice, v1
    // An admin adds Zoe with a badge into staff.
    ASSERT_EQ(admin(*s, core::UpsertPerson{core::PersonId{"zoe-park"}, "Zoe Park", "engineer", {}}).status,
              200);
    ASSERT_EQ(admin(*s, core::AddCard{core::PersonId{"zoe-park"},
                                      core::CardDef{core::CredentialId{"zoe-badge"},
                                                    core::CardFormat::H10301_26, 42, 20001, "", false}})
                  .status,
              200);
    const auto duplicate =
        admin(*s, core::AddCard{core::PersonId{"zoe-park"},
                                core::CardDef{core::CredentialId{"zoe-2"}, core::CardFormat::H10301_26, 42,
                                              10001, "", false}});
    EXPECT_EQ(duplicate.status, 409);
    EXPECT_NE(duplicate.message.find("duplicate badge"), std::string::npos) << duplicate.message;
    ASSERT_EQ(admin(*s, core::AddGroupMember{core::GroupId{"staff"}, core::PersonId{"zoe-park"}}).status,
              200);
    EXPECT_EQ(decide(*s, 2, 20001), "granted");  // Zoe
    const auto reload = load(*s, v2);
    ASSERT_EQ(reload.status, 200) << reload.message;
    EXPECT_NE(reload.body_json.find("\"changed\":[\"alice-nguyen\"]"), std::string::npos) << reload.body_json;
    EXPECT_EQ(decide(*s, 3, 10001), "person_revoked");  // Alice, v2
    EXPECT_EQ(decide(*s, 4, 20001), "granted");         // Zoe (an admin edit) is kept across the reload
  }
  EXPECT_EQ(stored("SELECT count(*) FROM site_versions"), 2);
  EXPECT_EQ(stored("SELECT count(*) FROM events WHERE type = 'site.loaded'"), 2);
  const std::vector<std::string> expected{"granted", "granted", "person_revoked", "granted"};
  for (const Site* start : {&v2, &v1}) {
    ReplayedDecisions replayed;
    auto s = make(*start, &replayed);
    ASSERT_GE(replayed.decisions.size(), expected.size());
    replayed.decisions.resize(expected.size());  // the first restart added one of its own
    EXPECT_EQ(replayed.decisions, expected) << "started with " << start->definition->version;
    EXPECT_EQ(s->loaded_site_hash(), v2.hash);
    EXPECT_EQ(s->current_model()->version(), "2026-11-27.2");
    EXPECT_EQ(decide(*s, 10 + (start == &v1 ? 1 : 0), 10001), "person_revoked");
  }
}

// The application role may INSERT into site_versions: a row planted under the name (hash) of a version before
// the server stores it would be what every restart and follower replays. Its content does not hash to its
// name, so the replay refuses it, keeps the previous model and records the finding as tampering.
TEST_F(SiteReloadTest, APlantedSiteVersionIsRefusedOnReplayAndRecordedAsTampering) {
  auto planted =
      replace_once(v2.text, "\"version\": \"2026-11-27.2\"", "\"version\": \"2026-11-27.planted\"");
  {
    pqxx::connection app{db->app()};
    pqxx::work tx{app};
    tx.exec_params(
        "INSERT INTO site_versions (site_id, content_hash, version, content, loaded_us, loaded_by)"
        " VALUES ('ams-dc1', decode($1, 'hex'), '2026-11-27.planted', $2, 1, 'mallory')",
        v2.hash, planted);
    tx.commit();
  }
  {
    auto s = make(v1);
    ASSERT_EQ(load(*s, v1).status, 200);
    ASSERT_EQ(load(*s, v2).status, 200);  // stored ON CONFLICT DO NOTHING: the planted row stays
  }
  auto s = make(v1);
  EXPECT_EQ(s->current_model()->version(), "2026-11-27.1") << "the planted content was replayed";
  bool recorded = false;
  for (int i = 0; i < 100 && !recorded; ++i) {
    recorded =
        stored("SELECT count(*) FROM events WHERE type = 'security.chain_tampered' AND payload LIKE '%" +
               v2.hash + "%'") == 1;
    if (!recorded) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(recorded) << "the refused version was not recorded as tampering";
  EXPECT_TRUE(s->history_tampered());
}

TEST_F(SiteReloadTest, ABadReloadChangesNothingAndIsNotStored) {
  auto s = make(v1);
  ASSERT_EQ(load(*s, v1).status, 200);
  // A file that validates alone but not with the admin edits in force: Zoe's badge number is taken.
  ASSERT_EQ(admin(*s, core::UpsertPerson{core::PersonId{"zoe-park"}, "Zoe Park", "engineer", {}}).status,
            200);
  ASSERT_EQ(admin(*s, core::AddCard{core::PersonId{"zoe-park"},
                                    core::CardDef{core::CredentialId{"zoe-badge"},
                                                  core::CardFormat::H10301_26, 42, 20001, "", false}})
                .status,
            200);
  auto text3 = replace_once(v1.text, "\"version\": \"2026-11-27.1\"", "\"version\": \"2026-11-27.3\"");
  text3 = replace_once(text3, "\"people\": [",
                       R"("people": [{"id": "yuri", "name": "Yuri", "cards": [{"id": "yuri-badge",
                       "format": "facility_number", "facility": 42, "number": 20001}]},)");
  const auto bad = load(*s, site_of(text3, std::string(64, '3')));
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.detail_json.find("duplicate badge"), std::string::npos) << bad.detail_json;
  EXPECT_EQ(s->current_model()->version(), "2026-11-27.1");
  EXPECT_EQ(stored("SELECT count(*) FROM site_versions"), 1);
  EXPECT_EQ(decide(*s, 1, 10001), "granted");
}

}  // namespace
}  // namespace portcullis
