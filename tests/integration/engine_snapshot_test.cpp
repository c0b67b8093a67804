// Engine snapshots against a real PostgreSQL (docs/event-store.md, "Snapshots"): a start from a snapshot
// plus the tail reaches the very state a replay from zero reaches, at every point of a representative
// history (tests/fixtures/history-v1: doors, two-person entry, mantraps, alarms acknowledged and escalated,
// assets and RFID movements, admin edits, a site reload, EPCIS captures, tamper facts); a snapshot that is
// not what it says (body changed, point not on the chain, unknown format) is refused, reported, and the
// start replays from zero.
#include <gtest/gtest.h>

#include <fstream>
#include <pqxx/pqxx>
#include <pqxx/tablewriter>
#include <sstream>
#include <thread>

#include "portcullis/core/live/facility_view.hpp"
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/site_file/site_file.hpp"
#include "portcullis/storage/site_versions.hpp"
#include "portcullis/storage/snapshot_store.hpp"
#include "sequencer_support.hpp"
#include "server_process.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

constexpr const char* kSiteId = "ams-dc1";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string fixture(const std::string& name) {
  return read_text(testing::source_dir() + "/tests/fixtures/history-v1/" + name);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

void copy_in(const std::string& database, const std::string& table, const std::vector<std::string>& lines) {
  pqxx::connection c{database};
  pqxx::work tx{c};
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  pqxx::tablewriter writer{tx, table};
#pragma GCC diagnostic pop
  for (const auto& line : lines) writer.write_raw_line(line);
  writer.complete();
  tx.commit();
}

// What the live stream builds from the sequencer's updates (services/stream_hub.cpp), as text to compare.
class LiveViews : public ingest::LiveObserver {
 public:
  explicit LiveViews(std::shared_ptr<const core::SiteModel> model) : model_(model), view_(std::move(model)) {}
  void on_update(const ingest::LiveUpdate& u, bool) override {
    std::lock_guard lock{mutex_};
    if (u.model) {
      model_ = u.model;
      view_.replace_model(model_);
    }
    if (u.view) view_ = *u.view;
    if (u.event && u.outcome) (void)view_.apply(*u.event, *u.outcome, u.site_seq, u.at);
    if (u.facts) (void)view_.apply_facts(*u.facts);
    for (const auto& a : u.assets) assets_[a.def.id.str()] = a;
    for (const auto& s : u.seals) seals_[s.def.id.str()] = s;
    for (const auto& alarm : u.alarms) {
      if (alarm.state == core::AlarmState::Resolved)
        open_alarms_.erase(alarm.id);
      else
        open_alarms_[alarm.id] = alarm;
    }
  }
  void on_reset() override {
    std::lock_guard lock{mutex_};
    view_ = core::FacilityView{model_};
    assets_.clear();
    seals_.clear();
    open_alarms_.clear();
  }
  std::string text() {
    std::lock_guard lock{mutex_};
    std::ostringstream out;
    for (const auto& [id, d] : view_.doors()) {
      out << "door " << id << ' ' << d.name << " open=" << d.open << " locked=" << d.locked << ' ' << d.alarm
          << ' ' << d.online << ' ' << d.mode
          << " unlocked_at=" << (d.unlocked_at ? core::to_unix_micros(*d.unlocked_at) : -1) << '\n';
    }
    for (const auto& z : view_.zones())
      out << "zone " << z.id << ' ' << z.occupancy << ' ' << z.lockdown << ' ' << z.fire << '\n';
    for (const auto& [person, zone] : view_.whereabouts()) out << "where " << person << ' ' << zone << '\n';
    for (const auto& [id, a] : open_alarms_)
      out << "alarm " << id << ' ' << a.kind << ' ' << core::to_string(a.state) << ' ' << a.count << ' '
          << a.escalated << '\n';
    for (const auto& [id, a] : assets_)
      out << "asset " << id << ' ' << a.location.zone.str() << ' ' << a.location.rack.str() << ' '
          << a.missing << '\n';
    for (const auto& [id, s] : seals_) out << "seal " << id << ' ' << s.retired << '\n';
    return out.str();
  }

 private:
  std::mutex mutex_;
  std::shared_ptr<const core::SiteModel> model_;
  core::FacilityView view_;
  std::map<std::string, core::AssetState> assets_;
  std::map<std::string, core::SealState> seals_;
  std::map<std::string, core::AlarmRecord> open_alarms_;
};

struct Site {
  std::shared_ptr<const core::SiteDefinition> definition;
  std::shared_ptr<const core::SiteModel> model;
  std::string text, hash;
};

Site datacenter_site() {
  Site s;
  s.text = read_text(testing::source_dir() + "/examples/datacenter.site.json");
  auto parsed = site_file::parse_site_json(s.text);
  if (!parsed.problems.empty()) throw std::runtime_error(parsed.problems.front().message);
  s.definition = std::make_shared<const core::SiteDefinition>(parsed.definition);
  s.model = core::SiteModel::build(parsed.definition).model;
  s.hash = storage::site_content_hash_hex(s.text);
  return s;
}

class EngineSnapshot : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    site = datacenter_site();
    const auto expected = fixture("expected.txt");
    clock.set(core::from_unix_micros(std::stoll(expected.substr(expected.find(' ') + 1))));
  }
  // Follower: reads and rebuilds, never writes (so every start sees the same rows).
  std::unique_ptr<ingest::Sequencer> start(const std::string& database, LiveViews& views, bool load,
                                           bool follower = true, std::int64_t every_events = 1'000'000) {
    ingest::SequencerConfig config;
    config.site_id = kSiteId;
    config.database = database;
    config.follower = follower;
    config.escalate_after = std::chrono::hours(24 * 365);
    config.snapshots.load = load;
    config.snapshots.every_events = every_events;
    auto s = std::make_unique<ingest::Sequencer>(config, site.model, clock, metrics);
    s->set_initial_site(site.definition, site.hash, site.text);
    s->set_observer(&views);
    s->start();
    return s;
  }
  // A snapshot of the fixture's first `k` records, written by an owner that replayed just them (in a
  // database of its own: the owner may record findings after it), as the row to plant elsewhere.
  std::vector<std::string> snapshot_row_after(std::size_t k) {
    testing::TestDatabase prefix;
    copy_in(prefix.admin(), "site_versions", lines_of(fixture("site_versions.copy")));
    const auto events = lines_of(fixture("events.copy"));
    copy_in(prefix.admin(), "events", {events.begin(), events.begin() + static_cast<std::ptrdiff_t>(k)});
    LiveViews views{site.model};
    start(prefix.app(), views, false, false, static_cast<std::int64_t>(k))->stop();
    pqxx::connection c{prefix.admin()};
    pqxx::work tx{c};
    const auto rows = tx.exec_params(
        "SELECT site_id, site_seq, encode(chain_hash, 'hex'), format_version, site_version_hash, "
        "encode(body, 'hex'), encode(digest, 'hex') FROM engine_snapshots WHERE site_seq = $1",
        static_cast<std::int64_t>(k));
    if (rows.size() != 1) throw std::runtime_error("no snapshot at " + std::to_string(k));
    std::vector<std::string> row;
    for (const auto& field : rows[0]) row.push_back(field.as<std::string>());
    return row;
  }
  static void plant(const std::string& database, const std::vector<std::string>& row) {
    pqxx::connection c{database};
    pqxx::work tx{c};
    tx.exec("DELETE FROM engine_snapshots");
    tx.exec_params(
        "INSERT INTO engine_snapshots (site_id, site_seq, chain_hash, format_version, site_version_hash, "
        "body, "
        "digest) VALUES ($1, $2, decode($3, 'hex'), $4, $5, decode($6, 'hex'), decode($7, 'hex'))",
        row[0], row[1], row[2], row[3], row[4], row[5], row[6]);
    tx.commit();
  }
  static std::vector<std::string> all_events() { return lines_of(fixture("events.copy")); }

  Site site;
  core::ManualClock clock{core::from_unix_micros(0)};
  metrics::ServerMetrics metrics;
};

TEST_F(EngineSnapshot, AStartFromASnapshotAtAnyPointPlusTheTailEqualsAReplayFromZero) {
  testing::TestDatabase db;
  copy_in(db.admin(), "site_versions", lines_of(fixture("site_versions.copy")));
  const auto events = all_events();
  copy_in(db.admin(), "events", events);
  const auto total = static_cast<std::int64_t>(events.size());

  LiveViews zero_views{site.model};
  auto zero = start(db.app(), zero_views, false);
  zero->stop();
  ASSERT_EQ(zero->snapshot_seq(), 0);
  ASSERT_EQ(zero->replayed_events(), total);
  const auto from_zero = zero->state_snapshot();
  ASSERT_FALSE(from_zero.engine.admin.empty());  // the history holds admin edits...
  ASSERT_TRUE(from_zero.assets.has_value());     // ...assets, and a site reload:
  ASSERT_NE(from_zero.definition_site_hash, site.hash);

  for (std::size_t k = 2; k < events.size(); ++k) {
    SCOPED_TRACE("snapshot after site_seq " + std::to_string(k));
    plant(db.admin(), snapshot_row_after(k));
    LiveViews views{site.model};
    auto s = start(db.app(), views, true);
    s->stop();
    ASSERT_EQ(s->snapshot_seq(), static_cast<std::int64_t>(k));
    EXPECT_EQ(s->replayed_events(), total - static_cast<std::int64_t>(k));
    const auto restored = s->state_snapshot();
    EXPECT_TRUE(restored.engine == from_zero.engine);
    EXPECT_TRUE(restored.alarms == from_zero.alarms);
    EXPECT_TRUE(restored.assets == from_zero.assets);
    EXPECT_TRUE(restored == from_zero);
    EXPECT_EQ(views.text(), zero_views.text());
    EXPECT_EQ(s->loaded_site_hash(), zero->loaded_site_hash());
    EXPECT_EQ(s->current_site_text(), zero->current_site_text());
    EXPECT_TRUE(*s->current_site() == *zero->current_site());
    EXPECT_EQ(s->replayed_head().hash, zero->replayed_head().hash);
  }
}

// An owner writes a snapshot every N records off the commit path, keeps the newest few, and its next start
// loads the newest and replays only what came after it.
TEST_F(EngineSnapshot, TheOwnerWritesEveryNRecordsKeepsTheNewestAndRestartsFromThem) {
  testing::TestDatabase db;
  LiveViews views{site.model};
  {
    ingest::SequencerConfig config;
    config.site_id = kSiteId;
    config.database = db.app();
    config.snapshots.every_events = 3;
    config.snapshots.keep = 2;
    ingest::Sequencer s{config, site.model, clock, metrics};
    s.set_initial_site(site.definition, site.hash, site.text);
    s.start();
    for (std::int64_t seq = 1; seq <= 10; ++seq)
      testing::submit_and_wait(s, {testing::heartbeat("ctl-lobby", seq)});
    s.stop();
  }
  pqxx::connection c{db.admin()};
  pqxx::work tx{c};
  const auto kept = tx.exec("SELECT site_seq FROM engine_snapshots ORDER BY site_seq");
  tx.commit();
  ASSERT_LE(kept.size(), 2U);
  ASSERT_GE(kept.size(), 1U);
  const auto newest = kept[kept.size() - 1][0].as<std::int64_t>();
  EXPECT_GE(newest, 9);
  EXPECT_GE(metrics.snapshots_written.value(), 2U);

  auto from_snapshot = start(db.app(), views, true);
  from_snapshot->stop();
  LiveViews zero_views{site.model};
  auto zero = start(db.app(), zero_views, false);
  zero->stop();
  EXPECT_EQ(from_snapshot->snapshot_seq(), newest);
  EXPECT_EQ(from_snapshot->replayed_events(), 10 - newest);
  EXPECT_TRUE(from_snapshot->state_snapshot() == zero->state_snapshot());
}

class RefusedSnapshot : public EngineSnapshot {
 protected:
  void SetUp() override {
    EngineSnapshot::SetUp();
    db = std::make_unique<testing::TestDatabase>();
    copy_in(db->admin(), "site_versions", lines_of(fixture("site_versions.copy")));
    copy_in(db->admin(), "events", all_events());
    row = snapshot_row_after(all_events().size());
  }
  void expect_replayed_from_zero_and_reported(bool reported_as_tampering) {
    const auto refused_before = metrics.snapshots_refused.value();
    LiveViews views{site.model};
    auto s = start(db->app(), views, true, false);  // the owner: it records what it finds
    EXPECT_EQ(s->snapshot_seq(), 0);
    EXPECT_EQ(s->replayed_events(), static_cast<std::int64_t>(all_events().size()));
    EXPECT_EQ(metrics.snapshots_refused.value(), refused_before + 1);
    int facts = 0;
    if (!reported_as_tampering) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    for (int i = 0; i < 50; ++i) {
      pqxx::connection c{db->admin()};
      pqxx::read_transaction tx{c};
      facts = tx.exec(
                    "SELECT count(*) FROM events WHERE type = 'security.chain_tampered' AND payload LIKE "
                    "'%engine snapshot at site_seq%'")[0][0]
                  .as<int>();
      if (facts > 0 || !reported_as_tampering) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    s->stop();
    EXPECT_EQ(facts, reported_as_tampering ? 1 : 0);
  }
  std::unique_ptr<testing::TestDatabase> db;
  std::vector<std::string> row;
};

TEST_F(RefusedSnapshot, ASnapshotWhoseBodyWasChangedIsRefusedAndReportedAsTampering) {
  // One byte of the encoded state changed (a person's presence, a grant...), the digest left as it was.
  auto& body = row[5];
  body[body.size() / 2] = body[body.size() / 2] == '0' ? '1' : '0';
  plant(db->admin(), row);
  expect_replayed_from_zero_and_reported(true);
}

TEST_F(RefusedSnapshot, ASnapshotWhosePointIsNotOnTheChainIsRefusedAndReportedAsTampering) {
  row[2] = std::string(64, 'a');  // another chain hash at that site_seq
  plant(db->admin(), row);
  expect_replayed_from_zero_and_reported(true);
}

TEST_F(RefusedSnapshot, ASnapshotOfAnotherFormatVersionIsRefusedAndTheStartReplaysFromZero) {
  // As a newer server would write it: a well-formed row with a valid digest, of a format this one does not
  // read. Refused (counted and logged), not tampering.
  storage::SnapshotHeader header;
  header.site_seq = std::stoll(row[1]);
  for (std::size_t i = 0; i < 32; ++i)
    header.chain_hash[i] = static_cast<std::uint8_t>(std::stoi(row[2].substr(2 * i, 2), nullptr, 16));
  header.format_version = core::kStateSnapshotFormat + 1;
  header.site_version_hash = row[4];
  {
    pqxx::connection c{db->admin()};
    pqxx::work tx{c};
    tx.exec("DELETE FROM engine_snapshots");
    tx.commit();
  }
  storage::SnapshotStore{db->app(), kSiteId}.write(header, "PCSNAP\x02\x00\x00\x00 a future body", 3);
  expect_replayed_from_zero_and_reported(false);
}

}  // namespace
}  // namespace portcullis
