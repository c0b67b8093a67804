// The sequencer against a real PostgreSQL: durable answers, idempotent retries, refusal of seqs that
// go backwards, group commit under concurrency, and state rebuilt from history after a restart.
#include "portcullis/ingest/sequencer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>

#include "portcullis/audit/chain_verifier.hpp"
#include "sequencer_support.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

using testing::heartbeat;
using testing::SteppedClock;
using testing::submit_and_wait;
using testing::supervised_device_site;
using Status = ingest::SubmissionResult::Status;

class SequencerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
  }
  std::unique_ptr<ingest::Sequencer> make(std::chrono::milliseconds wait = std::chrono::seconds(10)) {
    ingest::SequencerConfig config;
    config.ownership_wait = wait;
    config.site_id = "main";
    config.database = db->app();
    auto s = std::make_unique<ingest::Sequencer>(config, std::make_shared<core::SiteModel>(), clock, metrics);
    s->start();
    return s;
  }
  int stored_rows() {
    pqxx::connection c{db->admin()};
    pqxx::read_transaction tx{c};
    return tx.exec("SELECT count(*) FROM events")[0][0].as<int>();
  }
  std::unique_ptr<testing::TestDatabase> db;
  core::SystemClock clock;
  metrics::ServerMetrics metrics;
};

TEST_F(SequencerTest, StoresAndAnswersAfterCommit) {
  auto s = make();
  auto r = submit_and_wait(*s, {heartbeat("ctl-1", 1), heartbeat("ctl-1", 2)});
  ASSERT_EQ(r.status, Status::Stored);
  ASSERT_EQ(r.answers.size(), 2U);
  EXPECT_EQ(r.answers[0].site_seq, 1);
  EXPECT_EQ(r.answers[1].site_seq, 2);
  EXPECT_EQ(stored_rows(), 2);  // visible to another connection: committed
}

TEST_F(SequencerTest, RetryReturnsTheOriginalAnswerAndStoresNothing) {
  auto s = make();
  auto first = submit_and_wait(*s, {heartbeat("ctl-1", 5)});
  auto again = submit_and_wait(*s, {heartbeat("ctl-1", 5)});
  ASSERT_EQ(again.status, Status::Stored);
  EXPECT_EQ(again.answers[0].status, ingest::EventAnswer::Status::Duplicate);
  EXPECT_EQ(again.answers[0].site_seq, first.answers[0].site_seq);
  EXPECT_EQ(again.answers[0].outcome_json, first.answers[0].outcome_json);
  EXPECT_EQ(stored_rows(), 1);
}

TEST_F(SequencerTest, DuplicateWithinOneBatchIsStoredOnce) {
  auto s = make();
  auto r = submit_and_wait(*s, {heartbeat("ctl-1", 1), heartbeat("ctl-1", 1)});
  ASSERT_EQ(r.status, Status::Stored);
  EXPECT_EQ(r.answers[1].status, ingest::EventAnswer::Status::Duplicate);
  EXPECT_EQ(stored_rows(), 1);
}

TEST_F(SequencerTest, SeqGoingBackwardsRejectsTheWholeRequest) {
  auto s = make();
  submit_and_wait(*s, {heartbeat("ctl-1", 10)});
  auto r = submit_and_wait(*s, {heartbeat("ctl-1", 11), heartbeat("ctl-1", 7)});
  ASSERT_EQ(r.status, Status::Rejected);
  EXPECT_EQ(r.error_field, "events[1].seq");
  EXPECT_NE(r.error_message.find("goes backwards"), std::string::npos);
  EXPECT_EQ(stored_rows(), 1);  // event 11 was not stored either
}

TEST_F(SequencerTest, ConcurrentDevicesShareCommits) {
  auto s = make();
  constexpr int kDevices = 16, kEach = 50;
  std::vector<std::thread> threads;
  for (int d = 0; d < kDevices; ++d) {
    threads.emplace_back([&, d] {
      for (int i = 1; i <= kEach; ++i) {
        auto r = submit_and_wait(*s, {heartbeat("ctl-" + std::to_string(d), i)}, false);
        ASSERT_EQ(r.status, Status::Stored);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(stored_rows(), kDevices * kEach);
  EXPECT_LT(metrics.commits.value(), static_cast<std::uint64_t>(kDevices * kEach))
      << "no group commit happened";
  EXPECT_TRUE(audit::verify_chain(db->admin(), "main").intact);
}

// One record PostgreSQL refused failed the whole group commit: every request that shared it was answered
// 503 (and a hostile one, repeated, kept every door from an online answer). Now only its own request is.
TEST_F(SequencerTest, OneRecordTheDatabaseRefusesFailsOnlyItsOwnRequest) {
  {
    pqxx::connection c{db->admin()};
    pqxx::nontransaction tx{c};
    tx.exec("ALTER TABLE events ADD CONSTRAINT test_refuse CHECK (device_id <> 'ctl-poison') NOT VALID");
  }
  ingest::SequencerConfig config;
  config.site_id = "main";
  config.database = db->app();
  ingest::Sequencer s{config, std::make_shared<core::SiteModel>(), clock, metrics};
  // Queued before the sequencer runs: it takes them all into one group commit.
  std::vector<std::string> devices;
  for (int d = 0; d < 8; ++d) devices.push_back("ctl-" + std::to_string(d));
  devices.insert(devices.begin() + 4, "ctl-poison");
  std::vector<std::promise<ingest::SubmissionResult>> promises(devices.size());
  for (std::size_t i = 0; i < devices.size(); ++i) {
    ingest::Submission one;
    one.events = {heartbeat(devices[i], 1)};
    one.done = [&promises, i](ingest::SubmissionResult r) { promises[i].set_value(std::move(r)); };
    ASSERT_TRUE(s.submit(std::move(one)));
  }
  s.start();
  for (std::size_t i = 0; i < devices.size(); ++i) {
    const auto r = promises[i].get_future().get();
    EXPECT_EQ(r.status, devices[i] == "ctl-poison" ? Status::Unavailable : Status::Stored) << devices[i];
  }
  EXPECT_EQ(stored_rows(), 8);
  EXPECT_TRUE(audit::verify_chain(db->admin(), "main").intact);
  // The refused device's retry is refused again, and nobody else's is disturbed.
  EXPECT_EQ(submit_and_wait(s, {heartbeat("ctl-poison", 1)}).status, Status::Unavailable);
  EXPECT_EQ(submit_and_wait(s, {heartbeat("ctl-1", 2)}).status, Status::Stored);
}

TEST_F(SequencerTest, RestartRebuildsStateFromHistory) {
  {
    auto s = make();
    submit_and_wait(*s, {heartbeat("ctl-1", 1), heartbeat("ctl-1", 2), heartbeat("ctl-2", 9)});
  }
  auto s = make();
  EXPECT_EQ(s->replayed_events(), 3);
  // The per-device sequence survived the restart: 2 is a duplicate, 1 < 2 never stored is refused...
  auto dup = submit_and_wait(*s, {heartbeat("ctl-1", 2)});
  EXPECT_EQ(dup.answers[0].status, ingest::EventAnswer::Status::Duplicate);
  auto next = submit_and_wait(*s, {heartbeat("ctl-2", 10)});
  EXPECT_EQ(next.answers[0].site_seq, 4);  // ...and the chain continues where it was
  EXPECT_TRUE(audit::verify_chain(db->admin(), "main").intact);
}

int deadline_records(const testing::TestDatabase& db) {
  pqxx::connection c{db.admin()};
  pqxx::read_transaction tx{c};
  return tx
      .exec(
          "SELECT count(*) FROM events WHERE type = 'engine.deadlines' AND outcome::text LIKE "
          "'%device_silent%'")[0][0]
      .as<int>();
}

TEST_F(SequencerTest, DeadlinesRaiseAlarmsWithoutAnyInputAndAreRecordedOnce) {
  SteppedClock stepped;
  ingest::SequencerConfig config;
  config.site_id = "main";
  config.database = db->app();
  {
    ingest::Sequencer s{config, supervised_device_site(), stepped, metrics};
    s.start();
    submit_and_wait(s, {heartbeat("ctl-1", 1)});
    stepped.advance(std::chrono::seconds(30));  // the device falls silent; nothing else arrives
    for (int i = 0; i < 50 && deadline_records(*db) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(deadline_records(*db), 1) << "the silent device was not alarmed by the periodic tick";
  }
  // A restart replays the recorded tick: the alarm is known, so it is not raised (or recorded) again.
  ingest::Sequencer again{config, supervised_device_site(), stepped, metrics};
  again.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(deadline_records(*db), 1);
  EXPECT_TRUE(audit::verify_chain(db->admin(), "main").intact);
}

int escalations(const testing::TestDatabase& db) {
  pqxx::connection c{db.admin()};
  pqxx::read_transaction tx{c};
  return tx.exec("SELECT count(*) FROM events WHERE type = 'alarm.escalated'")[0][0].as<int>();
}

TEST_F(SequencerTest, AnAlarmNobodyAcknowledgesIsEscalatedOnceAndTheEscalationIsReplayed) {
  SteppedClock stepped;
  ingest::SequencerConfig config;
  config.site_id = "main";
  config.database = db->app();
  config.escalate_after = std::chrono::seconds(60);
  {
    ingest::Sequencer s{config, supervised_device_site(), stepped, metrics};
    s.start();
    core::DeviceEvent tamper = heartbeat("ctl-1", 1);
    tamper.payload = core::Tamper{"enclosure", true};
    submit_and_wait(s, {tamper});
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_EQ(escalations(*db), 0) << "escalated before its time";
    stepped.advance(std::chrono::seconds(61));  // nobody acknowledged it for longer than escalate_after
    for (int i = 0; i < 50 && escalations(*db) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(escalations(*db), 1);
  }
  // After a restart the escalation is known from history: not escalated a second time.
  ingest::Sequencer again{config, supervised_device_site(), stepped, metrics};
  again.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(escalations(*db), 1);
}

TEST_F(SequencerTest, OneInstanceOwnsASite) {
  auto s = make();
  EXPECT_THROW(make(std::chrono::milliseconds(300)), std::runtime_error);
}

// Collects what a follower publishes, from the sequencer thread.
struct SeenUpdates : ingest::LiveObserver {
  void on_update(const ingest::LiveUpdate& update, bool live) override {
    std::lock_guard lock{mutex};
    if (update.event) (live ? live_seqs : replayed_seqs).push_back(update.site_seq);
  }
  void on_reset() override {}
  std::vector<std::int64_t> live() {
    std::lock_guard lock{mutex};
    return live_seqs;
  }
  std::mutex mutex;
  std::vector<std::int64_t> live_seqs, replayed_seqs;
};

TEST_F(SequencerTest, AFollowerPublishesWhatTheOwnerCommitsAndWritesNothing) {
  auto owner = make();
  ASSERT_EQ(submit_and_wait(*owner, {heartbeat("ctl-1", 1)}).status, Status::Stored);

  ingest::SequencerConfig config;
  config.site_id = "main";
  config.database = db->app();
  config.follower = true;
  config.follow_interval = std::chrono::milliseconds(20);
  SeenUpdates seen;
  ingest::Sequencer follower{config, std::make_shared<core::SiteModel>(), clock, metrics};
  follower.set_observer(&seen);
  follower.start();  // no ownership lock: starts while the owner runs
  EXPECT_EQ(follower.replayed_events(), 1);
  EXPECT_EQ(seen.replayed_seqs, std::vector<std::int64_t>{1});

  ASSERT_EQ(submit_and_wait(*owner, {heartbeat("ctl-1", 2), heartbeat("ctl-2", 1)}).status, Status::Stored);
  ASSERT_EQ(submit_and_wait(*owner, {heartbeat("ctl-1", 3)}).status, Status::Stored);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (seen.live().size() < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(seen.live(), (std::vector<std::int64_t>{2, 3, 4})) << "every committed record, once, in order";

  // It refuses every write: only the owner extends the chain.
  EXPECT_TRUE(follower.follower());
  ingest::Submission refused;
  refused.events = {heartbeat("ctl-9", 1)};
  refused.done = [](ingest::SubmissionResult) { ADD_FAILURE() << "a follower must not take a submission"; };
  EXPECT_FALSE(follower.submit(std::move(refused)));
  std::promise<bool> recorded;
  ingest::ServerFact fact;
  fact.type = "test.fact";
  fact.payload_json = "{}";
  fact.done = [&recorded](bool stored, std::int64_t) { recorded.set_value(stored); };
  follower.record(std::move(fact));
  EXPECT_FALSE(recorded.get_future().get());
  follower.stop();
  EXPECT_EQ(stored_rows(), 4);
}

ingest::CapturedEvent captured_event(std::size_t i) {
  ingest::CapturedEvent e;
  e.event_id = "urn:uuid:slice-test-" + std::to_string(i);
  e.canonical_sha256 = "content-" + std::to_string(i);
  e.path = "epcisBody.eventList[" + std::to_string(i) + "]";
  e.effect = "not_applied";
  e.not_applied_reason = "test";
  return e;
}

TEST_F(SequencerTest, ALargeEpcisCaptureIsStoredInSlicesAndDoorsAreAnsweredBetweenThem) {
  ingest::SequencerConfig config;
  config.site_id = "main";
  config.database = db->app();
  config.max_epcis_events_per_commit = 500;
  ingest::Sequencer s{config, std::make_shared<core::SiteModel>(), clock, metrics};
  s.start();

  std::mutex mutex;
  std::vector<std::string> order;  // callbacks run on the sequencer thread, in the order of answers
  std::promise<ingest::EpcisResult> big_answer, other_answer;
  ingest::EpcisSubmission big;
  big.device = core::DeviceId{"rfid-1"};
  for (std::size_t i = 0; i < 2000; ++i) big.events.push_back(captured_event(i));
  big.done = [&](ingest::EpcisResult r) {
    std::lock_guard lock{mutex};
    order.push_back("capture");
    big_answer.set_value(std::move(r));
  };
  // Another capture naming one of the same eventIDs while the first is being stored: told to retry.
  ingest::EpcisSubmission other;
  other.device = core::DeviceId{"rfid-2"};
  other.events = {captured_event(1999)};
  other.done = [&](ingest::EpcisResult r) { other_answer.set_value(std::move(r)); };
  // A door event queued behind the capture.
  std::promise<ingest::SubmissionResult> door_answer;
  ingest::Submission door;
  door.events = {heartbeat("ctl-1", 1)};
  door.done = [&](ingest::SubmissionResult r) {
    std::lock_guard lock{mutex};
    order.push_back("door");
    door_answer.set_value(std::move(r));
  };
  ASSERT_TRUE(s.submit(std::move(big)));
  ASSERT_TRUE(s.submit(std::move(other)));
  ASSERT_TRUE(s.submit(std::move(door)));

  const auto captured = big_answer.get_future().get();
  ASSERT_EQ(captured.status, ingest::EpcisResult::Status::Stored);
  ASSERT_EQ(captured.answers.size(), 2000U);
  EXPECT_EQ(captured.answers.back().event_id, "urn:uuid:slice-test-1999");
  EXPECT_EQ(door_answer.get_future().get().status, Status::Stored);
  EXPECT_EQ(order, (std::vector<std::string>{"door", "capture"}))
      << "the door must not wait for the whole capture";
  const auto refused = other_answer.get_future().get();
  EXPECT_EQ(refused.status, ingest::EpcisResult::Status::Unavailable);
  EXPECT_EQ(refused.error_field, "epcisBody.eventList[1999].eventID");

  // Once stored, the same event is a duplicate answered from history.
  std::promise<ingest::EpcisResult> retry_answer;
  ingest::EpcisSubmission retry;
  retry.device = core::DeviceId{"rfid-2"};
  retry.events = {captured_event(1999)};
  retry.done = [&](ingest::EpcisResult r) { retry_answer.set_value(std::move(r)); };
  ASSERT_TRUE(s.submit(std::move(retry)));
  const auto again = retry_answer.get_future().get();
  ASSERT_EQ(again.status, ingest::EpcisResult::Status::Stored);
  ASSERT_EQ(again.answers.size(), 1U);
  EXPECT_TRUE(again.answers[0].duplicate);
  s.stop();
  pqxx::connection c{db->admin()};
  pqxx::read_transaction tx{c};
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM events WHERE type = 'epcis.captured'")[0].as<int>(), 2000);
  const auto heartbeat_seq = tx.exec1("SELECT site_seq FROM events WHERE type = 'heartbeat'")[0].as<int>();
  EXPECT_GT(heartbeat_seq, 1) << "stored after the first slice";
  EXPECT_LT(heartbeat_seq, 2000) << "stored before the last slice";
}

}  // namespace
}  // namespace portcullis
