// State on the decision path stays bounded over a long run: EPCIS eventIDs leave the sequencer's memory on
// documented rules (docs/epcis.md, "Idempotency") and idempotency stays exact, answered from the database for
// an eventID memory no longer holds. Against a real PostgreSQL.
#include <gtest/gtest.h>

#include <future>
#include <pqxx/pqxx>

#include "portcullis/ingest/sequencer.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

ingest::CapturedEvent captured(std::size_t i, const std::string& content = "content") {
  ingest::CapturedEvent e;
  e.event_id = "urn:uuid:memory-test-" + std::to_string(i);
  e.canonical_sha256 = content + "-" + std::to_string(i);
  e.path = "epcisBody.eventList[0]";
  e.effect = "not_applied";
  e.not_applied_reason = "test";
  return e;
}

ingest::EpcisResult capture(ingest::Sequencer& s, std::vector<ingest::CapturedEvent> events) {
  std::promise<ingest::EpcisResult> answer;
  auto future = answer.get_future();
  ingest::EpcisSubmission submission;
  submission.device = core::DeviceId{"rfid-1"};
  submission.events = std::move(events);
  submission.done = [&answer](ingest::EpcisResult r) { answer.set_value(std::move(r)); };
  if (!s.submit(std::move(submission))) throw std::runtime_error("queue full");
  return future.get();
}

class BoundedMemory : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
  }
  std::unique_ptr<ingest::Sequencer> make() {
    ingest::SequencerConfig config;
    config.site_id = "main";
    config.database = db->app();
    config.max_epcis_ids_in_memory = 100;
    auto s = std::make_unique<ingest::Sequencer>(config, std::make_shared<core::SiteModel>(), clock, metrics);
    s->start();
    return s;
  }
  std::unique_ptr<testing::TestDatabase> db;
  core::SystemClock clock;
  metrics::ServerMetrics metrics;
};

TEST_F(BoundedMemory, EpcisEventIdsLeaveMemoryAndARetryIsStillAnsweredWithItsFirstAnswer) {
  auto s = make();
  std::string first_answer;
  std::size_t largest = 0;
  for (std::size_t batch = 0; batch < 20; ++batch) {
    std::vector<ingest::CapturedEvent> events;
    for (std::size_t i = 0; i < 50; ++i) events.push_back(captured(batch * 50 + i));
    const auto result = capture(*s, std::move(events));
    ASSERT_EQ(result.status, ingest::EpcisResult::Status::Stored) << result.error_message;
    if (batch == 0) first_answer = result.answers.at(0).result_json;
    largest = std::max(largest, s->epcis_ids_in_memory());
  }
  EXPECT_LE(largest, 100U) << "1,000 eventIDs captured, memory holds at most 100";

  // Long forgotten by memory: a retry is still a duplicate with the first answer, nothing stored again...
  const auto retry = capture(*s, {captured(0)});
  ASSERT_EQ(retry.status, ingest::EpcisResult::Status::Stored) << retry.error_message;
  ASSERT_EQ(retry.answers.size(), 1U);
  EXPECT_TRUE(retry.answers[0].duplicate);
  EXPECT_EQ(retry.answers[0].result_json, first_answer);
  // ...and a reuse of the eventID with other content is still a conflict.
  const auto reuse = capture(*s, {captured(1, "other")});
  EXPECT_EQ(reuse.status, ingest::EpcisResult::Status::Conflict);

  // A restart's replay forgets by the same rule.
  s.reset();
  s = make();
  EXPECT_LE(s->epcis_ids_in_memory(), 100U);
  const auto after_restart = capture(*s, {captured(2)});
  ASSERT_EQ(after_restart.status, ingest::EpcisResult::Status::Stored);
  EXPECT_TRUE(after_restart.answers.at(0).duplicate);

  pqxx::connection c{db->admin()};
  pqxx::read_transaction tx{c};
  EXPECT_EQ(tx.exec("SELECT count(*) FROM events WHERE type = 'epcis.captured'")[0][0].as<int>(), 1000);
  // The lookup can use the index of migration 0006 instead of scanning the site's history (a table this
  // small would be scanned anyway, hence enable_seqscan off).
  tx.exec("SET LOCAL enable_seqscan = off");
  std::string plan;
  for (const auto& row :
       tx.exec("EXPLAIN SELECT payload FROM events WHERE site_id = 'main' AND type = 'epcis.captured' AND "
               "substring(payload from "
               "'^\\{\"canonical_sha256\":\"[^\"]*\",\"event_id\":(\"(?:[^\"\\\\]|\\\\.)*\")') "
               "= '\"urn:uuid:memory-test-0\"'"))
    plan += row[0].as<std::string>() + "\n";
  EXPECT_NE(plan.find("events_epcis_event_id"), std::string::npos) << plan;
}

}  // namespace
}  // namespace portcullis
