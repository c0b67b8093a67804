// Each record family, live and on replay, without a database: what a family writes while deciding work
// (against a fake store) is replayed by the families into a fresh state, and both states must be the same.
// Every record written live must be of a listed type (record_types.hpp), so no type escapes the replay.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "families/record_family.hpp"
#include "portcullis/core/assets/asset_text.hpp"
#include "portcullis/ingest/record_types.hpp"
#include "portcullis/ledger/records/alarm_record.hpp"
#include "portcullis/ledger/records/tamper_record.hpp"
#include "portcullis/site_file/site_file.hpp"

namespace portcullis::ingest {
namespace {

constexpr std::int64_t kStartUs = 1'795'600'800'000'000;  // Wed 2026-11-25 10:00 UTC (business hours)

std::string example_text() {
  std::ifstream in(std::string(PORTCULLIS_SOURCE_DIR) + "/examples/datacenter.site.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::shared_ptr<const core::SiteDefinition> parse(const std::string& text) {
  auto parsed = site_file::parse_site_json(text);
  if (!parsed.problems.empty()) throw std::runtime_error(parsed.problems.front().message);
  return std::make_shared<const core::SiteDefinition>(std::move(parsed.definition));
}

// What the families read besides the commit: answered from the records "committed" so far.
class FakeStore final : public FamilyStore {
 public:
  std::optional<ledger::EventRecord> find_device_event(const std::string& device_id,
                                                       std::int64_t seq) override {
    ++device_lookups;
    for (const auto& r : committed) {
      if (r.device_id == device_id && r.device_seq == seq) return r;
    }
    return std::nullopt;
  }
  std::vector<std::string> find_epcis_captured(const std::vector<std::string>& event_ids) override {
    std::vector<std::string> payloads;
    for (const auto& r : committed) {
      for (const auto& id : event_ids) {
        if (r.type == kEpcisCapturedRecord && r.payload.find(id) != std::string::npos)
          payloads.push_back(r.payload);
      }
    }
    return payloads;
  }
  storage::SiteVersionRead read_site_version(const std::string& hash) override {
    storage::SiteVersionRead read;
    if (auto it = versions.find(hash); it != versions.end()) {
      read.status = storage::SiteVersionRead::Status::Verified;
      read.content = it->second;
    }
    return read;
  }
  std::vector<ledger::EventRecord> committed;
  std::map<std::string, std::string> versions;
  int device_lookups = 0;
};

class RecordFamiliesTest : public ::testing::Test {
 protected:
  RecordFamiliesTest() : initial(parse(example_text())), model(core::SiteModel::build(*initial).model) {
    config.site_id = "ams-dc1";
    live = make_context();
  }
  std::unique_ptr<WriteContext> make_context() {
    auto ctx = std::make_unique<WriteContext>(config, model, nullptr);
    ctx->initial_site = initial;
    ctx->initial_site_hash = "initial";
    ctx->reset();
    ctx->store = &store;
    return ctx;
  }
  // Decides one piece of work as the sequencer does, and "commits" its records.
  Batch& run(Work work) {
    pending.push_back(std::move(work));
    auto& batch = live->batch;
    batch = Batch{};
    batch.head_seq = head_seq;
    batch.head_hash = head_hash;
    batch.received_us = kStartUs + elapsed_us;
    batch.at = core::from_unix_micros(batch.received_us);
    if (!live->assets) live->open_asset_book(batch.at);
    families.live(pending.back(), *live);
    const auto stored = stored_record_types();
    const std::set<std::string> listed(stored.begin(), stored.end());
    for (const auto& record : batch.records) {
      EXPECT_TRUE(listed.contains(record.type)) << record.type << " is written live but not listed";
      store.committed.push_back(record);
    }
    for (const auto& v : batch.site_versions) store.versions[v.content_hash_hex] = v.content;
    for (const auto& update : batch.updates) {
      for (const auto& alarm : update.alarms) alarm_ids.insert(alarm.id);
    }
    head_seq = batch.head_seq;
    head_hash = batch.head_hash;
    return batch;
  }
  void advance(std::chrono::seconds by) {
    elapsed_us += std::chrono::duration_cast<std::chrono::microseconds>(by).count();
  }
  // Replays everything committed into a fresh state, as a restart does.
  std::unique_ptr<WriteContext> replay() {
    auto ctx = make_context();
    for (const auto& record : store.committed) {
      LiveUpdate update;
      update.site_seq = record.site_seq;
      update.at = core::from_unix_micros(record.received_us);
      update.type = record.type;
      if (auto* family = families.for_type(record.type)) family->replay(record, *ctx, update);
      for (const auto& alarm : update.alarms) EXPECT_TRUE(alarm_ids.contains(alarm.id)) << alarm.id;
    }
    if (!ctx->assets) ctx->open_asset_book(core::from_unix_micros(kStartUs));
    return ctx;
  }
  std::string summary(const WriteContext& ctx) const {
    std::ostringstream out;
    const auto now = core::from_unix_micros(kStartUs + elapsed_us);
    out << "model " << ctx.engine->model().version() << " loaded " << ctx.loaded_site_hash() << '\n';
    const auto facts = core::live_facts(ctx.engine->model(), ctx.engine->state(), now);
    for (const auto& [id, door] : facts.doors)
      out << "door " << id << ' ' << door.mode << ' ' << door.alarm << '\n';
    for (const auto& [id, zone] : facts.zones)
      out << "zone " << id << ' ' << zone.occupancy << zone.lockdown << '\n';
    for (const auto& [person, zone] : facts.presence) out << "presence " << person << ' ' << zone << '\n';
    for (const auto& id : alarm_ids) {
      if (const auto* a = ctx.alarms.find(id))
        out << "alarm " << id << ' ' << a->kind << ' ' << core::to_string(a->state) << ' ' << a->count
            << a->escalated << '\n';
    }
    for (const auto& asset : ctx.assets->assets())
      out << "asset " << asset.def.id.str() << ' ' << core::to_string(asset.def.lifecycle) << ' '
          << asset.location.zone.str() << ' ' << asset.missing << '\n';
    std::map<std::string, std::string> epcis;
    for (const auto& [id, known] : ctx.epcis.events) epcis[id] = known.second;
    for (const auto& [id, answer] : epcis) out << "epcis " << id << ' ' << answer << '\n';
    std::map<std::string, std::int64_t> seqs(ctx.last_seq_by_device.begin(), ctx.last_seq_by_device.end());
    for (const auto& [device, seq] : seqs) out << "device " << device << ' ' << seq << '\n';
    std::set<std::string> findings(ctx.recorded_findings.begin(), ctx.recorded_findings.end());
    for (const auto& f : findings) out << "finding " << f << '\n';
    return out.str();
  }
  void expect_replay_matches() {
    const auto live_state = summary(*live);
    const auto replayed = replay();
    EXPECT_EQ(summary(*replayed), live_state);
    EXPECT_FALSE(store.committed.empty());
  }

  static core::DeviceEvent event(const std::string& device, std::int64_t seq, core::DevicePayload payload) {
    core::DeviceEvent e;
    e.device = core::DeviceId{device};
    e.seq = seq;
    e.device_time = core::from_unix_micros(kStartUs + seq);
    e.payload = std::move(payload);
    return e;
  }
  static core::DevicePayload badge(const std::string& reader, std::uint64_t number) {
    return core::CardPresented{core::ReaderId{reader},
                               core::Card{core::CardFormat::FacilityAndNumber, 42, number, ""}};
  }
  static Submission submission(std::vector<core::DeviceEvent> events) {
    Submission s;
    s.events = std::move(events);
    s.batch = true;
    return s;
  }
  static OperatorCommand command(OperatorCommand::Kind kind) {
    OperatorCommand c;
    c.kind = kind;
    c.operator_id = "ada";
    c.actor = core::Actor{core::OperatorId{"ada"}, core::PersonId{}, true};
    return c;
  }
  static core::AssetDef gpu(const std::string& id) {
    core::AssetDef def;
    def.id = core::AssetId{id};
    def.tag = "TAG-" + id;
    def.serial = "SN-" + id;
    def.model = "HGX";
    def.kind = core::AssetKind::GpuServer;
    def.epc = "urn:epc:id:giai:4012345." + id;
    def.home_rack = core::RackId{"rack-c01"};
    return def;
  }

  SequencerConfig config;
  std::shared_ptr<const core::SiteDefinition> initial;
  std::shared_ptr<const core::SiteModel> model;
  FakeStore store;
  RecordFamilies families;
  std::unique_ptr<WriteContext> live;
  std::deque<Work> pending;  // work stays alive: answers point into it
  std::int64_t head_seq = 0;
  std::array<std::uint8_t, 32> head_hash{};
  std::int64_t elapsed_us = 0;
  std::set<std::string> alarm_ids;
};

TEST_F(RecordFamiliesTest, DeviceEventsAndEngineDeadlinesReplayToTheSameState) {
  auto& first = run(submission(
      {event("ctl-lobby", 1, badge("rdr-lobby-in", 10001)),
       event("ctl-lobby", 2, badge("rdr-lobby-in", 99999)),
       event("ctl-office", 1, core::DoorContact{core::PortalId{"secops-door"}, {}, core::ContactState::Open}),
       event("ctl-lobby", 2, badge("rdr-lobby-in", 99999))}));
  ASSERT_EQ(first.submissions.size(), 1U);
  const auto& answers = first.submissions.front().second.answers;
  ASSERT_EQ(answers.size(), 4U);
  EXPECT_EQ(answers[3].status, EventAnswer::Status::Duplicate);
  EXPECT_EQ(answers[3].site_seq, answers[1].site_seq);
  // A retry of a committed event is answered from the store.
  auto& retry = run(submission({event("ctl-lobby", 1, badge("rdr-lobby-in", 10001))}));
  EXPECT_EQ(store.device_lookups, 1);
  EXPECT_TRUE(retry.records.empty());
  EXPECT_EQ(retry.submissions.front().second.answers.front().status, EventAnswer::Status::Duplicate);
  advance(std::chrono::minutes(10));
  auto& tick = run(DeadlineTick{});
  EXPECT_FALSE(tick.records.empty()) << "the open door is held past its limit";
  expect_replay_matches();
}

TEST_F(RecordFamiliesTest, OperatorActionsAndAlarmChangesReplayToTheSameState) {
  run(submission({event("ctl-lobby", 1, core::Tamper{"enclosure", true})}));
  ASSERT_FALSE(alarm_ids.empty());
  auto ack = command(OperatorCommand::Kind::AcknowledgeAlarm);
  ack.target = *alarm_ids.begin();
  ack.comment = "checked";
  EXPECT_EQ(run(std::move(ack)).commands.front().second.status, 200);
  auto revoke = command(OperatorCommand::Kind::PolicyAction);
  revoke.action = core::RevokePerson{core::PersonId{"alice-nguyen"}, "left"};
  EXPECT_EQ(run(std::move(revoke)).commands.front().second.status, 200);
  auto lockdown = command(OperatorCommand::Kind::PolicyAction);
  lockdown.action = core::SetLockdown{core::ZoneId{"office"}, "drill"};
  EXPECT_EQ(run(std::move(lockdown)).commands.front().second.status, 200);
  auto admin = command(OperatorCommand::Kind::PolicyAction);
  admin.action =
      core::AdminChange{core::UpsertPerson{core::PersonId{"zoe-park"}, "Zoe Park", "engineer", {}}};
  auto& edit = run(std::move(admin));
  EXPECT_EQ(edit.commands.front().second.status, 200);
  EXPECT_TRUE(edit.site_changed);
  auto unknown = command(OperatorCommand::Kind::ResolveAlarm);
  unknown.target = "A999.0";
  auto& refused = run(std::move(unknown));
  EXPECT_EQ(refused.commands.front().second.status, 404);
  EXPECT_TRUE(refused.records.empty());
  run(submission({event("ctl-lobby", 2, badge("rdr-lobby-in", 10001))}));
  expect_replay_matches();
}

TEST_F(RecordFamiliesTest, ASiteReloadReplaysWithTheStoredVersion) {
  auto text = example_text();
  text.replace(text.find("\"version\": \"2026-11-27.1\""), 25, "\"version\": \"2026-11-27.2\"");
  auto load = command(OperatorCommand::Kind::LoadSite);
  load.site = parse(text);
  load.site_text = text;
  load.site_hash = "second";
  auto& loaded = run(std::move(load));
  ASSERT_EQ(loaded.commands.front().second.status, 200) << loaded.commands.front().second.message;
  ASSERT_EQ(loaded.site_versions.size(), 1U);
  EXPECT_EQ(live->loaded_site_hash(), "second");
  run(submission({event("ctl-lobby", 1, badge("rdr-lobby-in", 10001))}));
  expect_replay_matches();
  EXPECT_EQ(replay()->engine->model().version(), "2026-11-27.2");
}

TEST_F(RecordFamiliesTest, AssetActionsReadsAndAssetDeadlinesReplayToTheSameState) {
  auto register_asset = command(OperatorCommand::Kind::AssetAction);
  register_asset.asset_action = core::RegisterAsset{gpu("gpu001"), "new"};
  auto& registered = run(std::move(register_asset));
  ASSERT_EQ(registered.records.size(), 2U);
  EXPECT_EQ(registered.records.front().type, kAssetRegistryOpenedRecord);
  RfidSubmission reads;
  reads.reads.push_back(core::RfidObservation{core::DeviceId{"rfid-loading-dock"},
                                              core::ReaderId{"rfid-loading-dock"},
                                              "urn:epc:id:giai:4012345.gpu001",
                                              1,
                                              {},
                                              {}});
  auto& moved = run(std::move(reads));
  ASSERT_EQ(moved.rfid.size(), 1U);
  EXPECT_EQ(moved.rfid.front().second.movements, 1U);
  advance(std::chrono::seconds(5));
  run(submission({event(
      "rfid-hall-exit", 1,
      core::RfidRead{core::ReaderId{"rfid-hall-exit"}, "urn:epc:id:giai:4012345.gpu001", 1, -40, 1})}));
  advance(std::chrono::minutes(20));
  auto& tick = run(DeadlineTick{});
  EXPECT_FALSE(tick.records.empty()) << "assets missing past asset_missing_after_s";
  expect_replay_matches();
}

TEST_F(RecordFamiliesTest, EpcisCapturesReplayToTheSameRememberedAnswers) {
  EpcisInProgress progress;
  progress.capture.device = core::DeviceId{"rfid-handheld-1"};
  CapturedEvent observe;
  observe.event_id = "urn:uuid:observe";
  observe.canonical_sha256 = "a";
  observe.effect = "observe";
  CapturedEvent commission;
  commission.event_id = "urn:uuid:register";
  commission.canonical_sha256 = "b";
  commission.effect = "register";
  commission.actions.push_back(core::RegisterAsset{gpu("gpu002"), "commissioned"});
  CapturedEvent destroy;
  destroy.event_id = "urn:uuid:destroy";
  destroy.canonical_sha256 = "c";
  destroy.effect = "destroy";
  destroy.actions.push_back(core::RecordDestruction{{}, "shred", {}, "", "end of life"});
  destroy.action_epcs.push_back("urn:epc:id:giai:4012345.unknown");
  progress.capture.events = {observe, commission, destroy};
  auto& captured = run(std::move(progress));
  ASSERT_EQ(captured.epcis.size(), 1U);
  EXPECT_EQ(captured.epcis.front().second.status, EpcisResult::Status::Stored);
  EXPECT_EQ(captured.epcis.front().first->answers.size(), 3U);
  EXPECT_NE(captured.epcis.front().first->answers[2].result_json.find("unknown_epc"), std::string::npos);
  release_epcis(*live, *captured.epcis.front().first);
  // The same eventID with other content is a conflict, and stores nothing.
  EpcisInProgress conflict;
  conflict.capture.device = core::DeviceId{"rfid-handheld-1"};
  observe.canonical_sha256 = "other";
  conflict.capture.events = {observe};
  auto& refused = run(std::move(conflict));
  EXPECT_EQ(refused.epcis.front().second.status, EpcisResult::Status::Conflict);
  EXPECT_TRUE(refused.records.empty());
  expect_replay_matches();
  EXPECT_EQ(replay()->epcis.events.size(), 3U);
}

TEST_F(RecordFamiliesTest, ServerFactsTamperFindingsAndEscalationsReplayToTheSameState) {
  run(submission({event("ctl-lobby", 1, core::Tamper{"enclosure", true})}));
  ServerFact refused_device;
  refused_device.type = "security.device_auth_failed";
  refused_device.device_id = "ctl-cage";
  refused_device.payload_json = R"({"reason":"bad token"})";
  run(std::move(refused_device));
  ServerFact finding;
  finding.type = kChainUnattestedRecord;
  finding.payload_json = json::tamper_finding_json({"checkpoint", "rows 1-3 were never signed"});
  auto& recorded = run(finding);
  ASSERT_EQ(recorded.records.size(), 1U);
  EXPECT_TRUE(live->recorded_findings.contains("rows 1-3 were never signed"));
  EXPECT_TRUE(run(finding).records.empty()) << "a finding is recorded once";
  const auto tamper_alarm = *alarm_ids.begin();
  live->alarms.mark_escalated(tamper_alarm);
  ServerFact escalated;
  escalated.type = kAlarmEscalatedRecord;
  escalated.payload_json =
      json::alarm_change_payload({tamper_alarm, "portcullisd", "not acknowledged in time"});
  run(std::move(escalated));
  expect_replay_matches();
}

// A tamper fact's outcome (its alarm, which the auditors' alarm report lists) was set after the record was
// sealed: the stored row did not hash to its stored hash, so every recorded finding broke the chain and the
// next restart reported the history as tampered with.
TEST_F(RecordFamiliesTest, ATamperFactIsSealedOverTheOutcomeItIsStoredWith) {
  ServerFact finding;
  finding.type = kChainUnattestedRecord;
  finding.payload_json = json::tamper_finding_json({"checkpoint", "rows 1-3 were never signed"});
  auto& recorded = run(std::move(finding));
  ASSERT_EQ(recorded.records.size(), 1U);
  const auto& record = recorded.records.front();
  EXPECT_NE(record.outcome.find("chain_unattested"), std::string::npos) << record.outcome;
  EXPECT_EQ(ledger::chain_hash(record.prev_hash, record), record.hash);
}

}  // namespace
}  // namespace portcullis::ingest
