// The sender thread around the outbound buffer: delivery through an outage, drain on finish, and the drain
// deadline when the server never comes back. Real threads, short backoff.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "portcullis/gateway/sender.hpp"

namespace portcullis::gateway {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::vector<json> heartbeats(int n) {
  std::vector<json> v;
  for (int i = 0; i < n; ++i) v.push_back({{"type", "heartbeat"}, {"time", "2026-11-27T10:00:00.000Z"}});
  return v;
}

// Acknowledges like the server (stored / duplicate), failing the first `outage` requests.
struct FakePost {
  std::mutex mutex;
  std::set<std::int64_t> stored;
  std::vector<std::int64_t> order;
  std::atomic<int> calls{0};
  int outage = 0;
  bool down_forever = false;

  PostAnswer operator()(const std::string& body) {
    const int call = calls++;
    if (down_forever || call < outage) throw std::runtime_error("connect: Connection refused [system:111]");
    std::lock_guard lock{mutex};
    json results = json::array();
    const auto request = json::parse(body);
    for (const auto& e : request["events"]) {
      const auto seq = e["seq"].get<std::int64_t>();
      const bool fresh = stored.insert(seq).second;
      if (fresh) order.push_back(seq);
      results.push_back({{"status", fresh ? "stored" : "duplicate"}, {"seq", seq}});
    }
    return {200, json{{"results", results}}.dump()};
  }
};

TEST(Sender, DeliversEverythingThroughAnOutageThenDrainsOnFinish) {
  MemorySeqStore store;
  std::vector<std::string> log;
  std::mutex log_mutex;
  auto logger = [&](const std::string& l) {
    std::lock_guard lock{log_mutex};
    log.push_back(l);
  };
  OutboundBuffer buffer{"ctl-lobby", store, OutboundOptions{.backoff_initial = 5ms, .backoff_max = 20ms}, 1,
                        logger};
  FakePost fake;
  fake.outage = 4;
  Sender sender{buffer, [&](const std::string& body) { return fake(body); }, logger};
  std::thread t{[&] { sender.run(); }};
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(sender.add(heartbeats(5)), 5U);
    std::this_thread::sleep_for(1ms);
  }
  sender.finish(10s);
  t.join();
  EXPECT_EQ(sender.buffered(), 0U);
  EXPECT_EQ(fake.stored.size(), 250U);
  EXPECT_TRUE(std::is_sorted(fake.order.begin(), fake.order.end()));
  EXPECT_EQ(sender.counters().failures, 4U);
  ASSERT_FALSE(log.empty());
  EXPECT_NE(log.front().find("server unreachable (connect: Connection refused)"), std::string::npos)
      << log.front();
}

TEST(Sender, GivesUpAtTheDrainDeadlineWhenTheServerStaysDown) {
  MemorySeqStore store;
  OutboundBuffer buffer{"ctl-lobby", store, OutboundOptions{.backoff_initial = 10ms, .backoff_max = 50ms}, 1};
  FakePost fake;
  fake.down_forever = true;
  Sender sender{buffer, [&](const std::string& body) { return fake(body); }};
  std::thread t{[&] { sender.run(); }};
  sender.add(heartbeats(3));
  const auto started = std::chrono::steady_clock::now();
  sender.finish(200ms);
  t.join();
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_GE(took, 150ms);
  EXPECT_LT(took, 2s);
  EXPECT_EQ(sender.buffered(), 3U);  // kept, reported by the caller as undelivered
  EXPECT_GT(fake.calls.load(), 1);
}

TEST(Sender, FinishWithAnEmptyBufferReturnsAtOnceAndLostSeqsAreLogged) {
  MemorySeqStore store;
  OutboundBuffer buffer{"ctl-lobby", store, OutboundOptions{}, 1};
  FakePost fake;
  std::vector<std::string> log;
  Sender sender{buffer, [&](const std::string& body) { return fake(body); },
                [&](const std::string& l) { log.push_back(l); }};
  store.fail_saves = true;
  EXPECT_EQ(sender.add(heartbeats(2)), 0U);
  ASSERT_EQ(log.size(), 2U);
  EXPECT_EQ(log[0].rfind("ALARM: event lost", 0), 0U);
  std::thread t{[&] { sender.run(); }};
  const auto started = std::chrono::steady_clock::now();
  sender.finish(30s);
  t.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  EXPECT_EQ(fake.calls.load(), 0);
}

}  // namespace
}  // namespace portcullis::gateway
