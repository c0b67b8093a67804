// Store-and-forward towards the device API: order, bound, exactly-once given acknowledgements, refused
// events, backoff, and seq persistence across restarts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "portcullis/gateway/outbound_buffer.hpp"

namespace portcullis::gateway {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

json ev(int n) {
  return json{{"type", "heartbeat"}, {"time", "2026-11-27T10:00:00.000Z"}, {"n", n}};
}

// The device API's idempotency as far as the gateway can see it: stores each (device, seq) once, answers
// "duplicate" on a resend, refuses a seq at or below the last stored one that it never stored (409).
struct FakeServer {
  std::map<std::int64_t, int> stored;  // seq -> event "n"
  std::vector<std::int64_t> order;
  std::int64_t last = 0;

  std::pair<int, std::string> post(const std::string& body) {
    const auto request = json::parse(body);
    json results = json::array();
    for (const auto& e : request["events"]) {
      const auto seq = e["seq"].get<std::int64_t>();
      if (stored.count(seq)) {
        results.push_back({{"status", "duplicate"}, {"seq", seq}});
        continue;
      }
      if (seq <= last) return {409, R"({"error":{"field":"seq","message":"goes backwards"}})"};
      results.push_back({{"status", "stored"}, {"seq", seq}});
    }
    for (const auto& e : request["events"]) {  // a batch is all or nothing
      const auto seq = e["seq"].get<std::int64_t>();
      if (stored.emplace(seq, e["n"].get<int>()).second) order.push_back(seq);
      last = std::max(last, seq);
    }
    return {200, json{{"results", results}}.dump()};
  }
};

struct Fixture {
  MemorySeqStore store;
  std::vector<std::string> log;
  OutboundBuffer make(OutboundOptions o = {}, std::int64_t fresh = 1) {
    return OutboundBuffer{"gw-lobby", store, o, fresh, [this](const std::string& l) { log.push_back(l); }};
  }
};

TEST(OutboundBuffer, AssignsDeviceIdAndIncreasingSeqsAndSendsInOrder) {
  Fixture f;
  auto b = f.make();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(b.enqueue(ev(i)), i + 1);
  const auto batch = b.next_batch(Steady::now());
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->seqs, (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  const auto body = json::parse(batch->body);
  ASSERT_EQ(body["events"].size(), 5U);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(body["events"][i]["device_id"], "gw-lobby");
    EXPECT_EQ(body["events"][i]["seq"], i + 1);
    EXPECT_EQ(body["events"][i]["n"], i);
  }
  FakeServer server;
  const auto [status, answer] = server.post(batch->body);
  b.on_answer(*batch, status, answer, Steady::now());
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.counters().stored, 5U);
  EXPECT_FALSE(b.next_batch(Steady::now()));
}

TEST(OutboundBuffer, BatchesHoldAtMostMaxBatchOldestFirst) {
  Fixture f;
  auto b = f.make();  // max_batch 100
  for (int i = 0; i < 250; ++i) (void)b.enqueue(ev(i));
  FakeServer server;
  std::vector<std::size_t> sizes;
  while (auto batch = b.next_batch(Steady::now())) {
    sizes.push_back(batch->seqs.size());
    const auto [status, answer] = server.post(batch->body);
    b.on_answer(*batch, status, answer, Steady::now());
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{100, 100, 50}));
  ASSERT_EQ(server.order.size(), 250U);
  EXPECT_TRUE(std::is_sorted(server.order.begin(), server.order.end()));
}

TEST(OutboundBuffer, OverflowDropsTheOldestCountsAndLogs) {
  Fixture f;
  auto b = f.make(OutboundOptions{.capacity = 3});
  for (int i = 0; i < 7; ++i) (void)b.enqueue(ev(i));
  EXPECT_EQ(b.size(), 3U);
  EXPECT_EQ(b.oldest_seq(), 5);
  EXPECT_EQ(b.counters().dropped_overflow, 4U);
  // Logged at the 1st, 2nd and 4th drop.
  ASSERT_EQ(f.log.size(), 3U);
  EXPECT_NE(f.log[0].find("buffer full (3 events): dropped the oldest, seq 1 (1 dropped so far)"),
            std::string::npos)
      << f.log[0];
  EXPECT_NE(f.log[2].find("seq 4 (4 dropped so far)"), std::string::npos);
}

TEST(OutboundBuffer, NetworkFailureKeepsEventsAndBacksOffExponentially) {
  Fixture f;
  auto b = f.make(OutboundOptions{.backoff_initial = 100ms, .backoff_max = 350ms});
  (void)b.enqueue(ev(0));
  const auto t0 = Steady::now();
  auto batch = b.next_batch(t0);
  ASSERT_TRUE(batch);
  b.on_network_error(*batch, "connection refused", t0);
  EXPECT_EQ(b.size(), 1U);
  EXPECT_FALSE(b.next_batch(t0 + 99ms));
  batch = b.next_batch(t0 + 100ms);
  ASSERT_TRUE(batch);
  b.on_network_error(*batch, "connection refused", t0 + 100ms);
  EXPECT_EQ(b.retry_at(), t0 + 300ms);  // doubled
  batch = b.next_batch(t0 + 300ms);
  b.on_network_error(*batch, "connection refused", t0 + 300ms);
  EXPECT_EQ(b.retry_at(), t0 + 650ms);  // capped at 350 ms
  ASSERT_EQ(f.log.size(), 1U);          // the outage is logged once
  EXPECT_NE(f.log[0].find("server unreachable (connection refused)"), std::string::npos);

  FakeServer server;
  batch = b.next_batch(t0 + 650ms);
  const auto [status, answer] = server.post(batch->body);
  b.on_answer(*batch, status, answer, t0 + 650ms);
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.retry_at(), Steady::time_point::min());
  EXPECT_NE(f.log.back().find("answering again"), std::string::npos);
  EXPECT_EQ(b.counters().failures, 3U);
}

TEST(OutboundBuffer, ServiceUnavailableAndUnauthorizedAreRetried) {
  Fixture f;
  auto b = f.make();
  (void)b.enqueue(ev(0));
  const auto t0 = Steady::now();
  auto batch = b.next_batch(t0);
  b.on_answer(*batch, 503, R"({"error":{"field":"server","message":"busy"}})", t0);
  EXPECT_EQ(b.size(), 1U);
  EXPECT_GE(b.retry_at(), t0 + 1s);  // Retry-After: 1
  batch = b.next_batch(b.retry_at());
  b.on_answer(*batch, 401, R"({"error":{"field":"authorization","message":"disabled"}})", b.retry_at());
  EXPECT_EQ(b.size(), 1U);
  EXPECT_EQ(b.counters().dropped_refused, 0U);
  batch = b.next_batch(b.retry_at());
  b.on_answer(*batch, 200, "not json", b.retry_at());  // an answer that acknowledges nothing
  EXPECT_EQ(b.size(), 1U);
}

TEST(OutboundBuffer, RefusedEventNamedByTheServerIsDroppedAndTheRestResent) {
  Fixture f;
  auto b = f.make();
  for (int i = 0; i < 3; ++i) (void)b.enqueue(ev(i));
  const auto t0 = Steady::now();
  auto batch = b.next_batch(t0);
  b.on_answer(*batch, 400, R"({"error":{"field":"events[1].card.facility","message":"expected an integer"}})",
              t0);
  EXPECT_EQ(b.size(), 2U);
  EXPECT_EQ(b.counters().dropped_refused, 1U);
  EXPECT_NE(f.log.at(0).find("event seq 2 refused"), std::string::npos) << f.log[0];
  EXPECT_NE(f.log.at(0).find("events[1].card.facility: expected an integer"), std::string::npos);
  batch = b.next_batch(t0);  // no backoff: the server is up
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->seqs, (std::vector<std::int64_t>{1, 3}));
}

TEST(OutboundBuffer, UnattributedRefusalIsIsolatedOneEventAtATime) {
  Fixture f;
  auto b = f.make();
  for (int i = 0; i < 3; ++i) (void)b.enqueue(ev(i));
  (void)b.enqueue(ev(3));
  const auto t0 = Steady::now();
  auto batch = b.next_batch(t0);
  batch->seqs.pop_back();  // pretend seq 4 arrived after this request went out
  b.on_answer(*batch, 413, R"({"error":{"field":"$","message":"too large"}})", t0);
  EXPECT_EQ(b.size(), 4U);
  std::vector<std::size_t> sizes;
  for (int i = 0; i < 3; ++i) {
    batch = b.next_batch(t0);
    sizes.push_back(batch->seqs.size());
    if (batch->seqs.front() == 2) {
      b.on_answer(*batch, 413, R"({"error":{"field":"$","message":"too large"}})", t0);
    } else {
      b.on_answer(*batch, 200,
                  json{{"results", {{{"status", "stored"}, {"seq", batch->seqs.front()}}}}}.dump(), t0);
    }
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{1, 1, 1}));
  EXPECT_EQ(b.counters().dropped_refused, 1U);
  batch = b.next_batch(t0);  // past the isolated range: batches again
  EXPECT_EQ(batch->seqs, (std::vector<std::int64_t>{4}));
}

// Random outages, 503s and lost answers (the server stored the batch but the reply never arrived): every
// event still reaches the server exactly once, in seq order.
TEST(OutboundBuffer, ExactlyOnceInOrderDespiteOutagesAndLostAnswers) {
  Fixture f;
  auto b = f.make(
      OutboundOptions{.capacity = 100'000, .max_batch = 7, .backoff_initial = 1ms, .backoff_max = 4ms});
  FakeServer server;
  std::mt19937 rng{20261127};
  auto now = Steady::now();
  int next_n = 0;
  for (int step = 0; step < 5000; ++step) {
    now += 1ms;
    for (int k = static_cast<int>(rng() % 3); k > 0; --k) (void)b.enqueue(ev(next_n++));
    auto batch = b.next_batch(now);
    if (!batch) continue;
    switch (rng() % 6) {
      case 0: b.on_network_error(*batch, "connection reset", now); break;
      case 1: b.on_answer(*batch, 503, "{}", now); break;
      case 2:
        (void)server.post(batch->body);
        b.on_network_error(*batch, "timeout", now);
        break;  // lost answer
      default: {
        const auto [status, answer] = server.post(batch->body);
        b.on_answer(*batch, status, answer, now);
      }
    }
  }
  for (int guard = 0; !b.empty() && guard < 10'000; ++guard) {
    now += 10ms;
    if (auto batch = b.next_batch(now)) {
      const auto [status, answer] = server.post(batch->body);
      b.on_answer(*batch, status, answer, now);
    }
  }
  ASSERT_TRUE(b.empty());
  ASSERT_EQ(server.stored.size(), static_cast<std::size_t>(next_n));
  EXPECT_TRUE(std::is_sorted(server.order.begin(), server.order.end()));
  for (const auto& [seq, n] : server.stored) EXPECT_EQ(seq, n + 1);
  EXPECT_EQ(b.counters().stored, static_cast<std::uint64_t>(next_n) - b.counters().duplicates);
  EXPECT_GT(b.counters().duplicates, 0U);
  EXPECT_EQ(b.counters().dropped_refused + b.counters().dropped_overflow, 0U);
}

TEST(OutboundBuffer, SeqsAreReservedInBlocksAndNeverReusedAfterRestart) {
  Fixture f;
  {
    auto b = f.make(OutboundOptions{.seq_reserve = 10});
    EXPECT_FALSE(f.store.saved);  // nothing issued, nothing saved
    for (int i = 0; i < 3; ++i) (void)b.enqueue(ev(i));
    EXPECT_EQ(f.store.saved, 11);
    EXPECT_EQ(f.store.saves, 1);
    for (int i = 3; i < 12; ++i) (void)b.enqueue(ev(i));  // seq 11 needs a new block
    EXPECT_EQ(f.store.saved, 21);
    EXPECT_EQ(f.store.saves, 2);
    EXPECT_EQ(b.next_seq(), 13);
  }  // crash: seqs 13..20 were reserved but never issued
  auto restarted = f.make(OutboundOptions{.seq_reserve = 10}, /*fresh*/ 1);
  EXPECT_EQ(restarted.enqueue(ev(0)), 21);
  EXPECT_EQ(f.store.saved, 31);
}

TEST(OutboundBuffer, FreshStateStartsAtTheGivenSeqAndSaveFailureIssuesNothing) {
  Fixture f;
  auto b = f.make({}, 1'700'000'000'000'000);
  f.store.fail_saves = true;
  EXPECT_THROW((void)b.enqueue(ev(0)), std::runtime_error);
  EXPECT_TRUE(b.empty());
  f.store.fail_saves = false;
  EXPECT_EQ(b.enqueue(ev(0)), 1'700'000'000'000'000);
}

TEST(FileSeqStore, PersistsAcrossASimulatedRestart) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("gateway-seq-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                    std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  const auto path = (dir / "gw-lobby.seq").string();
  std::vector<std::int64_t> first_run;
  {
    FileSeqStore store{path};
    EXPECT_FALSE(store.load());
    OutboundBuffer b{"gw-lobby", store, OutboundOptions{.seq_reserve = 5}, 1};
    for (int i = 0; i < 7; ++i) first_run.push_back(b.enqueue(ev(i)));
  }
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "next_seq 11\n");
  {
    FileSeqStore store{path};
    OutboundBuffer b{"gw-lobby", store, OutboundOptions{.seq_reserve = 5}, 1};
    const auto seq = b.enqueue(ev(0));
    EXPECT_GT(seq, first_run.back());
    EXPECT_EQ(seq, 11);
  }
  std::ofstream(path) << "garbage\n";
  FileSeqStore bad{path};
  EXPECT_THROW((void)bad.load(), std::runtime_error);
  FileSeqStore unwritable{(dir / "missing-dir" / "x.seq").string()};
  EXPECT_THROW(unwritable.save(5), std::runtime_error);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace portcullis::gateway
