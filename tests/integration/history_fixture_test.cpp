// A history written by an earlier version of the server replays to the same chain head and the same state.
// tests/fixtures/history-v1 holds the rows of a representative history (device grants and denials, alarms
// with acknowledgements, operator commands and admin edits, a site reload, assets and RFID movements, EPCIS
// captures, server and tamper facts, deadline ticks and escalations) as `COPY ... TO STDOUT` text, and the
// head and state summary the sequencer reached when it wrote them. Replay fidelity is what the audit story
// rests on: any change to the write path must replay this history to exactly the same result.
//
// To write the fixture again (only for a new stored format, never to make this test pass):
//   PORTCULLIS_WRITE_HISTORY_FIXTURE=1 ctest -R HistoryFixture.WriteFixture   (with the env of scripts/test)
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <future>
#include <map>
#include <pqxx/pqxx>
#include <pqxx/tablereader>
#include <pqxx/tablewriter>
#include <sstream>
#include <thread>

#include "portcullis/core/assets/asset_text.hpp"
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/ledger/event_record.hpp"
#include "portcullis/site_file/site_file.hpp"
#include "portcullis/storage/event_store.hpp"
#include "portcullis/storage/site_versions.hpp"
#include "sequencer_support.hpp"
#include "server_process.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

constexpr const char* kSiteId = "ams-dc1";
constexpr std::int64_t kStartUs = 1'795'600'800'000'000;  // Wed 2026-11-25 10:00 UTC (business hours)

std::string fixture_dir() {
  return testing::source_dir() + "/tests/fixtures/history-v1";
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("not found: " + from);
  return text.replace(at, from.size(), to);
}

struct Site {
  std::shared_ptr<const core::SiteDefinition> definition;
  std::shared_ptr<const core::SiteModel> model;
  std::string text, hash;
};

Site site_of(const std::string& text) {
  auto parsed = site_file::parse_site_json(text);
  if (!parsed.problems.empty()) throw std::runtime_error(parsed.problems.front().message);
  Site s;
  s.definition = std::make_shared<const core::SiteDefinition>(parsed.definition);
  s.model = core::SiteModel::build(parsed.definition).model;
  s.text = text;
  s.hash = storage::site_content_hash_hex(text);
  return s;
}

Site first_version() {
  return site_of(read_text(testing::source_dir() + "/examples/datacenter.site.json"));
}

Site second_version() {
  // Alice has left (revoked in the file).
  auto text = replace_once(read_text(testing::source_dir() + "/examples/datacenter.site.json"),
                           "\"version\": \"2026-11-27.1\"", "\"version\": \"2026-11-27.2\"");
  text = replace_once(text, "\"role\": \"site reliability engineer\",\n      \"status\": \"active\"",
                      "\"role\": \"site reliability engineer\",\n      \"status\": \"revoked\"");
  return site_of(text);
}

// What the replay rebuilt, from the public observer interface: every alarm's last state, the doors and
// zones the engine reports after the replay, and the asset registry.
class StateSummary : public ingest::LiveObserver {
 public:
  void on_update(const ingest::LiveUpdate& u, bool live) override {
    std::lock_guard lock{mutex_};
    for (const auto& alarm : u.alarms) {
      alarms_[alarm.id] = alarm;
      if (live) raised_live_.push_back(alarm.id + " " + alarm.kind);
    }
    if (!live && u.type == "assets.registry") {
      facts_ = u.facts;
      assets_ = u.assets;
      seals_ = u.seals;
    }
  }
  void on_reset() override {
    std::lock_guard lock{mutex_};
    alarms_.clear();
    facts_.reset();
    assets_.clear();
    seals_.clear();
  }
  // The id of the last alarm of `kind` raised live (the generator acknowledges and resolves by id).
  std::string last_alarm(const std::string& kind) {
    std::lock_guard lock{mutex_};
    for (auto it = raised_live_.rbegin(); it != raised_live_.rend(); ++it) {
      if (it->substr(it->find(' ') + 1) == kind) return it->substr(0, it->find(' '));
    }
    throw std::runtime_error("no alarm of kind " + kind);
  }
  std::string text() {
    std::lock_guard lock{mutex_};
    std::ostringstream out;
    if (facts_) {
      for (const auto& [id, door] : facts_->doors)
        out << "door " << id << ' ' << door.mode << ' ' << (door.online ? "online" : "offline") << ' '
            << door.alarm << '\n';
      for (const auto& [id, zone] : facts_->zones)
        out << "zone " << id << " occupancy=" << zone.occupancy << " lockdown=" << zone.lockdown
            << " fire=" << zone.fire << '\n';
      for (const auto& [person, zone] : facts_->presence) out << "presence " << person << ' ' << zone << '\n';
    }
    for (const auto& [id, a] : alarms_) {
      out << "alarm " << id << ' ' << a.kind << ' ' << a.subject << ' ' << core::to_string(a.state)
          << " count=" << a.count << " escalated=" << a.escalated << '\n';
    }
    for (const auto& asset : assets_) {
      out << "asset " << asset.def.id.str() << ' ' << core::to_string(asset.def.lifecycle)
          << " zone=" << asset.location.zone.str() << " rack=" << asset.location.rack.str()
          << " missing=" << asset.missing << '\n';
    }
    for (const auto& seal : seals_)
      out << "seal " << seal.def.id.str() << " retired=" << seal.retired << '\n';
    return out.str();
  }

 private:
  std::mutex mutex_;
  std::map<std::string, core::AlarmRecord> alarms_;
  std::vector<std::string> raised_live_;
  std::shared_ptr<const core::LiveFacts> facts_;
  std::vector<core::AssetState> assets_;
  std::vector<core::SealState> seals_;
};

class HistoryFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    v1 = first_version();
    v2 = second_version();
  }
  std::unique_ptr<ingest::Sequencer> make(StateSummary& summary) {
    ingest::SequencerConfig config;
    config.site_id = kSiteId;
    config.database = db->app();
    config.escalate_after = std::chrono::seconds(60);
    auto s = std::make_unique<ingest::Sequencer>(config, v1.model, clock, metrics);
    s->set_initial_site(v1.definition, v1.hash, v1.text);
    s->set_observer(&summary);
    s->start();
    return s;
  }
  static ingest::CommandResult command(ingest::Sequencer& s, ingest::OperatorCommand c) {
    return testing::run_command(s, std::move(c));
  }
  // The rows of `table` for this site, as COPY text (what the fixture holds).
  std::string copy_out(const std::string& table, const std::string& order) {
    pqxx::connection c{db->admin()};
    pqxx::work tx{c};
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    pqxx::tablereader reader{tx, "(SELECT * FROM " + table + " ORDER BY " + order + ")"};
#pragma GCC diagnostic pop
    std::string text, line;
    while (reader.get_raw_line(line)) text += line + (line.ends_with('\n') ? "" : "\n");
    reader.complete();
    return text;
  }
  void copy_in(const std::string& table, const std::string& text) {
    pqxx::connection c{db->admin()};
    pqxx::work tx{c};
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    pqxx::tablewriter writer{tx, table};
#pragma GCC diagnostic pop
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) writer.write_raw_line(line);
    }
    writer.complete();
    tx.commit();
  }
  std::string expected_text(ingest::Sequencer& s, StateSummary& summary) {
    const auto head = s.replayed_head();
    std::ostringstream out;
    out << "clock_us " << core::to_unix_micros(clock.now()) << '\n'
        << "head_seq " << head.site_seq << '\n'
        << "head_hash " << ledger::to_hex(head.hash) << '\n'
        << "replayed " << s.replayed_events() << '\n'
        << "site " << s.loaded_site_hash() << ' ' << s.current_model()->version() << '\n'
        << summary.text();
    return out.str();
  }
  void write_history();

  std::unique_ptr<testing::TestDatabase> db;
  core::ManualClock clock{core::from_unix_micros(kStartUs)};
  metrics::ServerMetrics metrics;
  Site v1, v2;
};

core::DeviceEvent event(const std::string& device, std::int64_t seq, core::DevicePayload payload) {
  core::DeviceEvent e;
  e.device = core::DeviceId{device};
  e.seq = seq;
  e.device_time = core::from_unix_micros(kStartUs + seq * 1000);
  e.payload = std::move(payload);
  return e;
}

core::DevicePayload badge(const std::string& reader, std::uint64_t number) {
  return core::CardPresented{core::ReaderId{reader},
                             core::Card{core::CardFormat::FacilityAndNumber, 42, number, ""}};
}

core::AssetDef gpu_server(const std::string& id, const std::string& epc) {
  core::AssetDef def;
  def.id = core::AssetId{id};
  def.tag = "TAG-" + id;
  def.serial = "SN-" + id;
  def.model = "HGX";
  def.kind = core::AssetKind::GpuServer;
  def.epc = epc;
  def.home_rack = core::RackId{"rack-c01"};
  def.holds_model_weights = true;
  return def;
}

void HistoryFixture::write_history() {
  using Kind = ingest::OperatorCommand::Kind;
  StateSummary live;
  auto s = make(live);
  const core::Actor ada{core::OperatorId{"ada"}, core::PersonId{}, true};
  auto operator_command = [&](Kind kind) {
    ingest::OperatorCommand c;
    c.kind = kind;
    c.operator_id = "ada";
    c.actor = ada;
    return c;
  };
  auto wait_for_deadlines = [] { std::this_thread::sleep_for(std::chrono::milliseconds(1300)); };

  // A site load, then doors: grants, a denial, a duplicate and a forced door.
  auto load = operator_command(Kind::LoadSite);
  load.site = v1.definition;
  load.site_text = v1.text;
  load.site_hash = v1.hash;
  ASSERT_EQ(command(*s, std::move(load)).status, 200);
  auto r = testing::submit_and_wait(
      *s, {event("ctl-lobby", 1, core::Heartbeat{}), event("ctl-lobby", 2, badge("rdr-lobby-in", 10001)),
           event("ctl-lobby", 3, badge("rdr-lobby-in", 99999)),
           event("ctl-office", 1, badge("rdr-office-in", 10001))});
  ASSERT_EQ(r.status, ingest::SubmissionResult::Status::Stored);
  r = testing::submit_and_wait(*s, {event("ctl-lobby", 3, badge("rdr-lobby-in", 99999)),
                                    event("ctl-lobby", 4, badge("rdr-lobby-in", 10002))});
  ASSERT_EQ(r.status, ingest::SubmissionResult::Status::Stored);
  clock.advance(std::chrono::seconds(30));
  r = testing::submit_and_wait(
      *s,
      {event("ctl-office", 2, core::DoorContact{core::PortalId{"secops-door"}, {}, core::ContactState::Open}),
       event("ctl-lobby", 5, core::Tamper{"enclosure", true}),
       event("ctl-mantrap", 1, core::OccupancyReport{core::MantrapId{"mantrap-1"}, 1})});
  ASSERT_EQ(r.status, ingest::SubmissionResult::Status::Stored);

  // Operators: acknowledge and resolve alarms, policy actions and an admin edit.
  auto ack = operator_command(Kind::AcknowledgeAlarm);
  ack.target = live.last_alarm("tamper");
  ack.comment = "checked the enclosure";
  EXPECT_EQ(command(*s, std::move(ack)).status, 200);
  auto revoke = operator_command(Kind::PolicyAction);
  revoke.action = core::RevokePerson{core::PersonId{"alice-nguyen"}, "left the company"};
  EXPECT_EQ(command(*s, std::move(revoke)).status, 200);
  auto lockdown = operator_command(Kind::PolicyAction);
  lockdown.action = core::SetLockdown{core::ZoneId{"office"}, "drill"};
  EXPECT_EQ(command(*s, std::move(lockdown)).status, 200);
  auto admin = operator_command(Kind::PolicyAction);
  admin.action =
      core::AdminChange{core::UpsertPerson{core::PersonId{"zoe-park"}, "Zoe Park", "engineer", {}}};
  EXPECT_EQ(command(*s, std::move(admin)).status, 200);
  r = testing::submit_and_wait(*s, {event("ctl-office", 3, badge("rdr-office-in", 10002)),
                                    event("ctl-lobby", 6, badge("rdr-lobby-in", 10001))});
  ASSERT_EQ(r.status, ingest::SubmissionResult::Status::Stored);

  // Deadlines: the open door is held past its limit; unacknowledged alarms are escalated.
  clock.advance(std::chrono::minutes(3));
  wait_for_deadlines();
  auto resolve = operator_command(Kind::ResolveAlarm);
  resolve.target = live.last_alarm("tamper");
  resolve.comment = "enclosure replaced";
  EXPECT_EQ(command(*s, std::move(resolve)).status, 200);
  r = testing::submit_and_wait(
      *s, {event("ctl-office", 4,
                 core::DoorContact{core::PortalId{"secops-door"}, {}, core::ContactState::Closed})});
  ASSERT_EQ(r.status, ingest::SubmissionResult::Status::Stored);

  // Assets: registered by an operator, moved by RFID reads (a batch and a device event), EPCIS captures.
  auto register_asset = operator_command(Kind::AssetAction);
  register_asset.asset_action =
      core::RegisterAsset{gpu_server("gpu-001", "urn:epc:id:giai:4012345.gpu001"), "new"};
  EXPECT_EQ(command(*s, std::move(register_asset)).status, 200);
  auto update_asset = operator_command(Kind::AssetAction);
  core::UpdateAsset update;
  update.asset = core::AssetId{"gpu-001"};
  update.unit = 12;
  update_asset.asset_action = update;
  (void)command(*s, std::move(update_asset));  // refused and recorded alike
  std::promise<ingest::RfidResult> rfid;
  ingest::RfidSubmission reads;
  reads.reads.push_back(core::RfidObservation{core::DeviceId{"rfid-loading-dock"},
                                              core::ReaderId{"rfid-loading-dock"},
                                              "urn:epc:id:giai:4012345.gpu001",
                                              1,
                                              {},
                                              {}});
  reads.done = [&rfid](ingest::RfidResult result) { rfid.set_value(std::move(result)); };
  ASSERT_TRUE(s->submit(std::move(reads)));
  EXPECT_TRUE(rfid.get_future().get().stored);
  clock.advance(std::chrono::seconds(10));
  r = testing::submit_and_wait(
      *s,
      {event("rfid-hall-exit", 1,
             core::RfidRead{core::ReaderId{"rfid-hall-exit"}, "urn:epc:id:giai:4012345.gpu001", 1, -40, 1})});
  ASSERT_EQ(r.status, ingest::SubmissionResult::Status::Stored);
  ingest::EpcisSubmission capture;
  capture.device = core::DeviceId{"rfid-handheld-1"};
  ingest::CapturedEvent observe;
  observe.event_id = "urn:uuid:history-fixture-observe";
  observe.canonical_sha256 = "observe-content";
  observe.path = "epcisBody.eventList[0]";
  observe.effect = "observe";
  observe.observations.push_back(core::RfidObservation{core::DeviceId{"rfid-loading-dock"},
                                                       core::ReaderId{"rfid-loading-dock"},
                                                       "urn:epc:id:giai:4012345.gpu001",
                                                       1,
                                                       {},
                                                       {}});
  ingest::CapturedEvent commission;
  commission.event_id = "urn:uuid:history-fixture-register";
  commission.canonical_sha256 = "register-content";
  commission.path = "epcisBody.eventList[1]";
  commission.effect = "register";
  commission.actions.push_back(
      core::RegisterAsset{gpu_server("gpu-002", "urn:epc:id:giai:4012345.gpu002"), "commissioned"});
  ingest::CapturedEvent destroy;
  destroy.event_id = "urn:uuid:history-fixture-destroy";
  destroy.canonical_sha256 = "destroy-content";
  destroy.path = "epcisBody.eventList[2]";
  destroy.effect = "destroy";
  destroy.actions.push_back(core::RecordDestruction{{}, "shred", {}, "", "end of life"});
  destroy.action_epcs.push_back("urn:epc:id:giai:4012345.unknown");
  ingest::CapturedEvent skipped;
  skipped.event_id = "urn:uuid:history-fixture-skipped";
  skipped.canonical_sha256 = "skipped-content";
  skipped.path = "epcisBody.eventList[3]";
  skipped.effect = "not_applied";
  skipped.not_applied_reason = "no business step the server applies";
  capture.events = {observe, commission, destroy, skipped};
  std::promise<ingest::EpcisResult> epcis;
  capture.done = [&epcis](ingest::EpcisResult result) { epcis.set_value(std::move(result)); };
  ASSERT_TRUE(s->submit(std::move(capture)));
  EXPECT_EQ(epcis.get_future().get().status, ingest::EpcisResult::Status::Stored);

  // Server facts: a refused device, an operator's own fact and a tamper finding.
  for (const bool by_operator : {false, true}) {
    std::promise<bool> stored;
    ingest::ServerFact fact;
    fact.type = by_operator ? "operator.login" : "security.device_auth_failed";
    fact.device_id = by_operator ? "" : "ctl-cage";
    fact.payload_json = by_operator ? R"({"operator":"ada"})" : R"({"reason":"bad token"})";
    fact.by_operator = by_operator;
    fact.done = [&stored](bool ok, std::int64_t) { stored.set_value(ok); };
    s->record(std::move(fact));
    EXPECT_TRUE(stored.get_future().get());
  }
  s->report_tampering("checkpoint", "rows 1-3 were never signed", true);

  // Later: a site reload (Alice revoked in the file), decisions under it, and the missing-asset clock.
  clock.advance(std::chrono::minutes(20));
  wait_for_deadlines();
  auto reload = operator_command(Kind::LoadSite);
  reload.site = v2.definition;
  reload.site_text = v2.text;
  reload.site_hash = v2.hash;
  EXPECT_EQ(command(*s, std::move(reload)).status, 200);
  r = testing::submit_and_wait(
      *s, {event("ctl-lobby", 7, badge("rdr-lobby-in", 10001)),
           event("ctl-lobby", 8, badge("rdr-lobby-in", 10003)), event("ctl-lobby", 9, core::Heartbeat{})});
  ASSERT_EQ(r.status, ingest::SubmissionResult::Status::Stored);
  s->stop();
}

// Writes tests/fixtures/history-v1 from the code of the day: only on request (see the top of this file).
TEST_F(HistoryFixture, WriteFixture) {
  if (std::getenv("PORTCULLIS_WRITE_HISTORY_FIXTURE") == nullptr)
    GTEST_SKIP() << "set PORTCULLIS_WRITE_HISTORY_FIXTURE=1 to write the fixture again";
  ASSERT_NO_FATAL_FAILURE(write_history());
  write_text(fixture_dir() + "/events.copy", copy_out("events", "site_id, site_seq"));
  write_text(fixture_dir() + "/site_versions.copy", copy_out("site_versions", "loaded_us, content_hash"));
  StateSummary replayed;
  auto s = make(replayed);
  write_text(fixture_dir() + "/expected.txt", expected_text(*s, replayed));
  s->stop();
}

TEST_F(HistoryFixture, AHistoryWrittenBeforeReplaysToTheSameHeadAndState) {
  copy_in("site_versions", read_text(fixture_dir() + "/site_versions.copy"));
  copy_in("events", read_text(fixture_dir() + "/events.copy"));
  const auto expected = read_text(fixture_dir() + "/expected.txt");
  clock.set(core::from_unix_micros(std::stoll(expected.substr(expected.find(' ') + 1))));

  // The stored chain links, and every row hashes to its stored hash but one: the tamper fact, which the
  // server of the day sealed before it set the fact's outcome. Replay must treat it as it always did.
  std::vector<std::int64_t> mismatched;
  {
    pqxx::connection c{db->app()};
    storage::EventStore store{c};
    std::array<std::uint8_t, 32> head{};
    store.for_each(kSiteId, 0, [&](const ledger::EventRecord& record) {
      EXPECT_EQ(record.prev_hash, head) << "site_seq " << record.site_seq;
      if (ledger::chain_hash(head, record) != record.hash) mismatched.push_back(record.site_seq);
      head = record.hash;
    });
  }
  EXPECT_EQ(mismatched, std::vector<std::int64_t>{36});
  StateSummary replayed;
  auto s = make(replayed);
  const auto actual = expected_text(*s, replayed);
  s->stop();
  EXPECT_EQ(actual, expected);
}

}  // namespace
}  // namespace portcullis
