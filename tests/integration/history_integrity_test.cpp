// The history a restart and the periodic check trust is the history the server wrote: a row appended with
// the application role (which may INSERT, and can chain its row correctly since the chain is unkeyed), a row
// rewritten with recomputed hashes, and a truncated tail are each caught by the server's own signed
// checkpoints; a broken chain found at start-up is a critical alarm recorded in the chain, not a line on
// stderr. Against a real PostgreSQL.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <pqxx/pqxx>
#include <thread>

#include "portcullis/audit/checkpoint_signer.hpp"
#include "portcullis/audit/checkpoints.hpp"
#include "portcullis/audit/signed_document.hpp"
#include "portcullis/audit/signing.hpp"
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/ledger/event_record.hpp"
#include "portcullis/storage/event_store.hpp"
#include "sequencer_support.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

namespace fs = std::filesystem;

class HistoryIntegrity : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    char tmpl[] = "/tmp/portcullis-checkpoints.XXXXXX";
    dir = mkdtemp(tmpl);
  }
  void TearDown() override {
    std::error_code ignored;
    if (!dir.empty()) fs::remove_all(dir, ignored);
  }

  std::unique_ptr<ingest::Sequencer> start_sequencer(bool refuse_devices = false) {
    ingest::SequencerConfig config;
    config.database = db->app();
    config.site_id = "main";
    config.refuse_devices_when_tampered = refuse_devices;
    auto s = std::make_unique<ingest::Sequencer>(config, std::make_shared<core::SiteModel>(), clock, metrics);
    s->start();
    return s;
  }

  // The server's signer over `s`, checked at start-up like portcullisd does.
  std::unique_ptr<audit::CheckpointSigner> start_signer(ingest::Sequencer& s) {
    audit::CheckpointSignerConfig config;
    config.database = db->app();
    config.site_id = "main";
    config.dir = dir;
    config.sign_every = std::chrono::milliseconds(0);  // every cycle whose head moved
    audit::CheckpointSigner::Sources sources;
    sources.committed_head = [&s] {
      const auto head = s.committed_head();
      return audit::ChainAnchor{head.site_seq, head.hash};
    };
    sources.sealed_seq = [&s] { return s.sealed_seq(); };
    sources.report = [&s](std::string check, std::string detail, bool unattested) {
      s.report_tampering(std::move(check), std::move(detail), unattested);
    };
    auto signer = std::make_unique<audit::CheckpointSigner>(config, sources);
    const auto replayed = s.replayed_head();
    signer->check_at_startup(audit::ChainAnchor{replayed.site_seq, replayed.hash});
    return signer;
  }

  void heartbeats(ingest::Sequencer& s, int from, int to) {
    std::vector<core::DeviceEvent> events;
    for (int i = from; i <= to; ++i) events.push_back(testing::heartbeat("ctl-1", i));
    const auto result = testing::submit_and_wait(s, std::move(events));
    ASSERT_EQ(result.status, ingest::SubmissionResult::Status::Stored);
  }

  std::vector<ledger::EventRecord> rows() {
    pqxx::connection c{db->app()};
    std::vector<ledger::EventRecord> out;
    storage::EventStore{c}.for_each("main", 0, [&](const ledger::EventRecord& r) { out.push_back(r); });
    return out;
  }

  // A row chained correctly onto the current head, inserted with the application role's rights.
  void append_forged_row_as_app_role() {
    const auto existing = rows();
    ledger::EventRecord forged;
    forged.site_id = "main";
    forged.site_seq = existing.back().site_seq + 1;
    forged.source = ledger::Source::Operator;
    forged.type = "policy.add_group_member";
    forged.received_us = existing.back().received_us + 1;
    forged.payload = R"({"action":{"group":"cage-team","person":"mallory","type":"add_group_member"}})";
    forged.outcome = R"({"decision":{"reason":"applied","verdict":"grant"}})";
    ledger::seal(forged, existing.back().hash);
    pqxx::connection app{db->app()};
    pqxx::work tx{app};
    storage::EventStore::append(tx, {forged});
    tx.commit();
  }

  void as_superuser(const std::function<void(pqxx::work&)>& change) {
    pqxx::connection c{db->admin()};
    pqxx::work tx{c};
    tx.exec("SET session_replication_role = replica");  // superuser only: skips the append-only triggers
    change(tx);
    tx.commit();
  }

  // The findings the server recorded in the chain, as "record type: payload".
  std::vector<std::string> recorded_findings() {
    pqxx::connection c{db->admin()};
    pqxx::read_transaction tx{c};
    std::vector<std::string> out;
    for (const auto& row :
         tx.exec("SELECT type, payload FROM events WHERE type LIKE 'security.chain_%' ORDER BY site_seq"))
      out.push_back(row[0].as<std::string>() + ": " + row[1].as<std::string>());
    return out;
  }

  // Waits until a finding whose text holds `needle` is recorded (the sequencer thread stores it).
  std::string wait_for_finding(const std::string& needle) {
    for (int i = 0; i < 100; ++i) {
      for (const auto& f : recorded_findings())
        if (f.find(needle) != std::string::npos) return f;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::string all;
    for (const auto& f : recorded_findings()) all += f + "\n";
    ADD_FAILURE() << "no finding with '" << needle << "' recorded; recorded:\n" << all;
    return {};
  }

  bool wait_until_tampered(ingest::Sequencer& s) {
    for (int i = 0; i < 100 && !s.history_tampered(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return s.history_tampered();
  }

  std::unique_ptr<testing::TestDatabase> db;
  std::string dir;
  core::SystemClock clock;
  metrics::ServerMetrics metrics;
};

TEST_F(HistoryIntegrity, TheServerSignsCheckpointsItselfWithAKeyItMadeReadableOnlyByItself) {
  auto s = start_sequencer();
  auto signer = start_signer(*s);
  heartbeats(*s, 1, 10);
  signer->run_once();
  EXPECT_EQ(signer->last_signed_seq(), 10);
  struct stat key_stat {};
  ASSERT_EQ(::stat(signer->private_key_path().c_str(), &key_stat), 0);
  EXPECT_EQ(key_stat.st_mode & 0777U, 0600U);
  // An auditor checks them with the public key alone, as for checkpoints made with portcullis-audit.
  const auto report = audit::check_checkpoints(db->app(), "main", dir, signer->public_key_path());
  EXPECT_TRUE(report.ok) << (report.problems.empty() ? "" : report.problems.front());
  EXPECT_EQ(report.newest_seq, 10);
  EXPECT_FALSE(s->history_tampered());
  EXPECT_TRUE(recorded_findings().empty());
}

TEST_F(HistoryIntegrity, AForgedRowAppendedWithTheAppRoleWhileTheServerRunsIsCaught) {
  auto s = start_sequencer();
  auto signer = start_signer(*s);
  heartbeats(*s, 1, 5);
  append_forged_row_as_app_role();
  signer->run_once();
  const auto finding = wait_for_finding("someone else");
  EXPECT_NE(finding.find("security.chain_tampered"), std::string::npos) << finding;
  EXPECT_TRUE(wait_until_tampered(*s));
}

TEST_F(HistoryIntegrity, AForgedRowAppendedWithTheAppRoleWhileTheServerIsStoppedIsCaughtAtStartUp) {
  {
    auto s = start_sequencer();
    auto signer = start_signer(*s);
    heartbeats(*s, 1, 5);
    s->stop();
    signer->stop();  // a clean stop: the final head is signed
  }
  append_forged_row_as_app_role();
  auto s = start_sequencer();
  auto signer = start_signer(*s);
  const auto finding = wait_for_finding("were appended while the server was stopped");
  EXPECT_NE(finding.find("site_seq 6..6"), std::string::npos) << finding;
  EXPECT_TRUE(wait_until_tampered(*s));
}

TEST_F(HistoryIntegrity, ARowRewrittenWithRecomputedHashesIsCaughtByTheCheckpoint) {
  {
    auto s = start_sequencer();
    auto signer = start_signer(*s);
    heartbeats(*s, 1, 8);
    s->stop();
    signer->stop();
  }
  // Row 3 rewritten and every later row re-chained: the chain alone is consistent again.
  auto history = rows();
  history[2].payload = R"({"forged":true,"type":"heartbeat"})";
  ledger::Hash prev = history[1].hash;
  for (std::size_t i = 2; i < history.size(); ++i) prev = ledger::seal(history[i], prev);
  as_superuser([&](pqxx::work& tx) {
    tx.exec("DELETE FROM events WHERE site_id = 'main' AND site_seq >= 3");
    storage::EventStore::append(tx, std::vector<ledger::EventRecord>(history.begin() + 2, history.end()));
  });
  auto s = start_sequencer();
  auto signer = start_signer(*s);
  const auto finding = wait_for_finding("history up to it was rewritten");
  EXPECT_NE(finding.find("security.chain_tampered"), std::string::npos) << finding;
  EXPECT_TRUE(wait_until_tampered(*s));
}

TEST_F(HistoryIntegrity, ATruncatedTailIsCaughtByTheCheckpoint) {
  {
    auto s = start_sequencer();
    auto signer = start_signer(*s);
    heartbeats(*s, 1, 8);
    s->stop();
    signer->stop();
  }
  as_superuser([](pqxx::work& tx) { tx.exec("DELETE FROM events WHERE site_id = 'main' AND site_seq > 4"); });
  auto s = start_sequencer();
  auto signer = start_signer(*s);
  const auto finding = wait_for_finding("the newest rows were removed");
  EXPECT_NE(finding.find("the database ends at site_seq 4"), std::string::npos) << finding;
  EXPECT_TRUE(wait_until_tampered(*s));
}

TEST_F(HistoryIntegrity, ACheckpointEditedOnDiskIsReportedAndAnAuditorsOwnCheckpointIsLeftAlone) {
  {
    auto s = start_sequencer();
    auto signer = start_signer(*s);
    heartbeats(*s, 1, 3);
    s->stop();
    signer->stop();
  }
  // A checkpoint signed by another key (an auditor's own) in the same directory is not the server's to
  // judge, even when it is the newest file.
  const auto auditor_keys = audit::generate_key_files(dir + "/auditor-key");
  auto foreign = audit::checkpoint_document(audit::Checkpoint{"main", 99, std::string(64, '0'), 1});
  audit::sign_document(foreign, audit::AuditKey::load_private(auditor_keys.private_path));
  const auto foreign_path = dir + "/" + audit::checkpoint_file_name("main", 99);
  audit::write_file_atomically(foreign_path, audit::document_text(foreign), 0444);
  {
    auto s = start_sequencer();
    auto signer = start_signer(*s);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto findings = recorded_findings();
    EXPECT_TRUE(findings.empty()) << findings.front();
    s->stop();
    signer->stop();
  }
  fs::remove(foreign_path);
  // The server's newest checkpoint edited on disk (its signature no longer holds) is reported.
  std::string newest;
  for (const auto& entry : fs::directory_iterator{dir}) {
    const auto name = entry.path().filename().string();
    if (name.ends_with(".checkpoint.json") && name > newest) newest = name;
  }
  const auto path = dir + "/" + newest;
  auto text = audit::read_file(path);
  text.replace(text.find("\"site_seq\":"), 11, "\"site_seq\":9");
  fs::permissions(path, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream{path, std::ios::trunc} << text;
  auto s = start_sequencer();
  auto signer = start_signer(*s);
  const auto finding = wait_for_finding("does not hold this server's signature");
  EXPECT_NE(finding.find(newest), std::string::npos) << finding;
}

TEST_F(HistoryIntegrity, ABrokenChainAtStartUpRaisesACriticalAlarmRecordedOnceAndDegradesUntilResolved) {
  {
    auto s = start_sequencer();
    heartbeats(*s, 1, 6);
  }
  as_superuser([](pqxx::work& tx) {
    tx.exec("UPDATE events SET payload = '{\"forged\":1,\"type\":\"heartbeat\"}' WHERE site_seq = 4");
  });
  {
    auto s = start_sequencer();
    const auto finding = wait_for_finding("hash chain broken at site_seq 4");
    EXPECT_NE(finding.find("security.chain_tampered"), std::string::npos) << finding;
    EXPECT_TRUE(wait_until_tampered(*s));
    heartbeats(*s, 7, 7);  // the safe default: doors are still decided
  }
  // A restart finds the same break again: the alarm is raised again from the record, not recorded twice.
  auto s = start_sequencer(/*refuse_devices=*/true);
  EXPECT_TRUE(s->history_tampered());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(recorded_findings().size(), 1U);
  // The operator chose to refuse device posts while history is tampered with.
  const auto refused = testing::submit_and_wait(*s, {testing::heartbeat("ctl-1", 8)});
  EXPECT_EQ(refused.status, ingest::SubmissionResult::Status::Unavailable);

  std::string alarm_id;
  {
    pqxx::connection c{db->admin()};
    pqxx::read_transaction tx{c};
    const auto rows = tx.exec("SELECT site_seq FROM events WHERE type = 'security.chain_tampered'");
    ASSERT_EQ(rows.size(), 1U);
    alarm_id = "A" + rows[0][0].as<std::string>() + ".0";
  }
  std::promise<ingest::CommandResult> resolved;
  auto answer = resolved.get_future();
  ingest::OperatorCommand resolve;
  resolve.kind = ingest::OperatorCommand::Kind::ResolveAlarm;
  resolve.target = alarm_id;
  resolve.operator_id = "ada";
  resolve.comment = "restored row 4 from the backup; verified";
  resolve.done = [&resolved](ingest::CommandResult r) { resolved.set_value(std::move(r)); };
  ASSERT_TRUE(s->submit(std::move(resolve)));
  ASSERT_EQ(answer.get().status, 200);
  EXPECT_FALSE(s->history_tampered());
  const auto served = testing::submit_and_wait(*s, {testing::heartbeat("ctl-1", 8)});
  EXPECT_EQ(served.status, ingest::SubmissionResult::Status::Stored);
}

}  // namespace
}  // namespace portcullis
