// Failover at the sequencer: a follower on stand-by takes the site only once its owner's session is gone,
// carries on with the state it built by following (alarms, escalations, deadlines, answers to retries), and
// an owner whose session ended writes nothing until it holds the site's lock again.
#include <gtest/gtest.h>

#include <atomic>
#include <pqxx/pqxx>
#include <thread>

#include "portcullis/audit/chain_verifier.hpp"
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/storage/sequencer_store.hpp"
#include "sequencer_support.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

using testing::heartbeat;
using testing::submit_and_wait;
using Status = ingest::SubmissionResult::Status;

int count_of(const testing::TestDatabase& db, const std::string& where) {
  pqxx::connection c{db.admin()};
  pqxx::read_transaction tx{c};
  return tx.exec("SELECT count(*) FROM events WHERE " + where)[0][0].as<int>();
}
int escalations(const testing::TestDatabase& db) {
  return count_of(db, "type = 'alarm.escalated'");
}
int silent_device_records(const testing::TestDatabase& db) {
  return count_of(db, "type = 'engine.deadlines' AND outcome::text LIKE '%device_silent%'");
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return done();
}

class SequencerTakeoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    owner_config.site_id = "main";
    owner_config.database = db->app();
    owner_config.escalate_after = std::chrono::seconds(60);
    owner_config.ownership_wait = std::chrono::milliseconds(300);
    standby_config = owner_config;
    standby_config.follower = true;
    standby_config.take_over = true;
    standby_config.takeover_check = std::chrono::milliseconds(50);
    standby_config.follow_interval = std::chrono::milliseconds(20);
  }
  std::unique_ptr<testing::TestDatabase> db;
  ingest::SequencerConfig owner_config, standby_config;
  testing::SteppedClock clock;
  metrics::ServerMetrics metrics;
};

TEST_F(SequencerTakeoverTest, AStandbyTakesTheSiteOnlyOnceTheOwnerIsGoneAndCarriesOnItsAlarmsAndDeadlines) {
  auto owner =
      std::make_unique<ingest::Sequencer>(owner_config, testing::supervised_device_site(), clock, metrics);
  owner->start();
  ingest::Sequencer standby{standby_config, testing::supervised_device_site(), clock, metrics};
  standby.start();
  std::atomic<int> hooks{0};
  standby.allow_takeover([&] { ++hooks; });

  core::DeviceEvent tamper = heartbeat("ctl-1", 1);
  tamper.payload = core::Tamper{"enclosure", true};
  const auto first = submit_and_wait(*owner, {tamper});
  ASSERT_EQ(first.status, Status::Stored);
  clock.advance(std::chrono::seconds(61));  // the tamper alarm is escalated; the device is now silent
  ASSERT_TRUE(eventually([&] { return escalations(*db) == 1 && silent_device_records(*db) == 1; },
                         std::chrono::seconds(5)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(standby.follower()) << "took the site while its owner held it";
  EXPECT_FALSE(standby.ready());
  EXPECT_EQ(hooks.load(), 0);

  owner.reset();  // its session, and the lock with it, ends
  ASSERT_TRUE(eventually([&] { return standby.ready(); }, std::chrono::seconds(5)));
  EXPECT_FALSE(standby.follower());
  EXPECT_EQ(hooks.load(), 1);
  // What the owner recorded is known: neither the silent device nor the escalation is recorded again...
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(silent_device_records(*db), 1);
  EXPECT_EQ(escalations(*db), 1);
  // ...and the alarms it followed run on: the silent-device alarm, raised by the old owner, is escalated by
  // the new one when its time comes, once.
  clock.advance(std::chrono::seconds(61));
  EXPECT_TRUE(eventually([&] { return escalations(*db) == 2; }, std::chrono::seconds(5)));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(escalations(*db), 2);
  EXPECT_EQ(silent_device_records(*db), 1);

  const auto retry = submit_and_wait(standby, {tamper});
  ASSERT_EQ(retry.status, Status::Stored);
  EXPECT_EQ(retry.answers[0].status, ingest::EventAnswer::Status::Duplicate);
  EXPECT_EQ(retry.answers[0].site_seq, first.answers[0].site_seq);
  const auto head = standby.committed_head().site_seq;
  const auto next = submit_and_wait(standby, {heartbeat("ctl-1", 2)});
  ASSERT_EQ(next.status, Status::Stored);
  EXPECT_EQ(next.answers[0].site_seq, head + 1);
  EXPECT_TRUE(audit::verify_chain(db->admin(), "main").intact);
}

TEST_F(SequencerTakeoverTest, AnOwnerWhoseSessionEndedWritesNothingUntilItHoldsTheSiteAgain) {
  ingest::Sequencer owner{owner_config, testing::supervised_device_site(), clock, metrics};
  owner.start();
  ASSERT_EQ(submit_and_wait(owner, {heartbeat("ctl-1", 1)}).status, Status::Stored);
  const auto rows = count_of(*db, "true");
  {
    // Ends the owner's session and holds the site from another session at once, as an instance elsewhere
    // would once the lock is free (the lock is queued for here before the owner can ask again).
    pqxx::connection other{db->admin()};
    pqxx::nontransaction tx{other};
    tx.exec(
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND "
        "database = (SELECT oid FROM pg_database WHERE datname = current_database())");
    tx.exec("SELECT pg_advisory_lock(hashtext('portcullis-site:main'))");
    EXPECT_TRUE(eventually([&] { return !owner.ready(); }, std::chrono::seconds(3)))
        << "the owner did not notice by itself that its session ended";
    EXPECT_EQ(submit_and_wait(owner, {heartbeat("ctl-1", 2)}).status, Status::Unavailable);
    EXPECT_EQ(count_of(*db, "true"), rows) << "written without the site's lock";
  }  // the other session ends: the owner takes its site back, rebuilt from history
  ASSERT_TRUE(eventually([&] { return owner.ready(); }, std::chrono::seconds(10)));
  const auto stored = submit_and_wait(owner, {heartbeat("ctl-1", 2)});
  ASSERT_EQ(stored.status, Status::Stored);
  EXPECT_EQ(stored.answers[0].status, ingest::EventAnswer::Status::Stored);
  EXPECT_EQ(count_of(*db, "true"), rows + 1);
  EXPECT_TRUE(audit::verify_chain(db->admin(), "main").intact);
}

TEST_F(SequencerTakeoverTest, AConnectionThatDoesNotHoldTheSiteAppendsNothing) {
  storage::SequencerStore store{db->app(), "main"};
  EXPECT_THROW(store.append({}, {}), std::runtime_error);
  storage::SequencerStore owner{db->app(), "main"};
  owner.take_ownership(std::chrono::milliseconds(300));
  EXPECT_FALSE(store.try_take_ownership()) << "two connections hold one site";
  EXPECT_THROW(store.append({}, {}), std::runtime_error);
}

// libpqxx 6 quietly opens a new session on the next use of a connection whose session broke. The site's lock
// went with the old session, so the store must not take the new one for the one that holds the site: after
// a broken connection it appends nothing, however the next call reaches the database.
TEST_F(SequencerTakeoverTest, AnOwnerWhoseSessionBrokeAppendsNothingOnTheSessionLibpqxxOpensAgain) {
  storage::SequencerStore owner{db->app(), "main"};
  owner.take_ownership(std::chrono::milliseconds(300));
  {
    pqxx::connection admin{db->admin()};
    pqxx::nontransaction tx{admin};
    tx.exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  }
  EXPECT_ANY_THROW(owner.check_connection());
  storage::SequencerStore standby{db->app(), "main"};
  ASSERT_TRUE(standby.try_take_ownership()) << "the lock ended with the owner's session";
  // libpqxx gives up on the broken session at the first use and opens a new one at a later one: a read
  // (the sequencer reads before it writes) brings the connection back on a session without the lock.
  bool reopened = false;
  for (int use = 0; use < 4 && !reopened; ++use) {
    try {
      (void)owner.find_device_event("ctl-none", 1);
      reopened = true;
    } catch (const std::exception&) {
    }
  }
  ASSERT_TRUE(reopened) << "libpqxx did not open a new session: the test proves nothing here";
  EXPECT_THROW(owner.append({}, {}), std::runtime_error) << "a second writer on a session without the lock";
  EXPECT_ANY_THROW(owner.check_connection()) << "the owner must learn that its session changed";
}

}  // namespace
}  // namespace portcullis
