// Store-and-forward semantics: order kept, bound respected (oldest dropped and counted), and exactly-once
// delivery when acknowledgements are lost and events are resent.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "portcullis/sim/forward_buffer.hpp"

namespace portcullis::sim {
namespace {

PendingEvent ev(std::int64_t seq) {
  return PendingEvent{seq, "body-" + std::to_string(seq), static_cast<std::uint64_t>(seq), 0};
}

TEST(ForwardBuffer, KeepsOrderAndAcknowledgesOnlyTheOldest) {
  ForwardBuffer b{10};
  for (std::int64_t s = 1; s <= 3; ++s) EXPECT_FALSE(b.push(ev(s)));
  ASSERT_NE(b.front(), nullptr);
  EXPECT_EQ(b.front()->seq, 1);
  EXPECT_FALSE(b.acknowledge(2));  // out of order: ignored
  EXPECT_EQ(b.size(), 3U);
  EXPECT_TRUE(b.acknowledge(1));
  EXPECT_FALSE(b.acknowledge(1));  // a late second answer changes nothing
  EXPECT_EQ(b.front()->seq, 2);
  EXPECT_TRUE(b.acknowledge(2));
  EXPECT_TRUE(b.acknowledge(3));
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.front(), nullptr);
  EXPECT_EQ(b.acknowledged(), 3U);
}

TEST(ForwardBuffer, RefusesSeqThatDoesNotIncrease) {
  ForwardBuffer b{4};
  (void)b.push(ev(5));
  EXPECT_THROW((void)b.push(ev(5)), std::logic_error);
  EXPECT_THROW((void)b.push(ev(4)), std::logic_error);
  (void)b.acknowledge(5);
  EXPECT_THROW((void)b.push(ev(3)), std::logic_error);  // even after the older one left
  EXPECT_FALSE(b.push(ev(9)));                          // gaps are fine
}

TEST(ForwardBuffer, BoundDropsTheOldestAndCountsIt) {
  ForwardBuffer b{3};
  for (std::int64_t s = 1; s <= 3; ++s) EXPECT_FALSE(b.push(ev(s)));
  auto dropped = b.push(ev(4));
  ASSERT_TRUE(dropped);
  EXPECT_EQ(dropped->seq, 1);
  dropped = b.push(ev(5));
  ASSERT_TRUE(dropped);
  EXPECT_EQ(dropped->seq, 2);
  EXPECT_EQ(b.size(), 3U);
  EXPECT_EQ(b.dropped(), 2U);
  EXPECT_EQ(b.pushed(), 5U);
  EXPECT_EQ(b.front()->seq, 3);  // the survivors keep their order
  EXPECT_TRUE(b.acknowledge(3));
  EXPECT_TRUE(b.acknowledge(4));
  EXPECT_TRUE(b.acknowledge(5));
  EXPECT_THROW(ForwardBuffer{0}, std::invalid_argument);
}

TEST(ForwardBuffer, RejectedEventLeavesAndIsCounted) {
  ForwardBuffer b{3};
  (void)b.push(ev(1));
  (void)b.push(ev(2));
  EXPECT_TRUE(b.reject_front());
  EXPECT_EQ(b.front()->seq, 2);
  EXPECT_EQ(b.rejected(), 1U);
  EXPECT_TRUE(b.reject_front());
  EXPECT_FALSE(b.reject_front());
}

// A device and a server over a lossy link: requests get lost, answers get lost, the server is down for a
// while. The device only ever sends its oldest buffered event and keeps it until an answer arrives; the
// server stores each (device, seq) once and answers repeats as duplicates. Every event arrives exactly once
// and in order.
TEST(ForwardBuffer, ExactlyOnceReplayThroughLossAndOutage) {
  std::mt19937 rng{20261127};
  std::bernoulli_distribution lose_request{0.2}, lose_answer{0.2}, outage{0.1};
  ForwardBuffer device{10'000};
  std::map<std::int64_t, int> server_stores;  // seq -> times stored
  std::vector<std::int64_t> server_order;
  std::int64_t server_last = 0;
  std::int64_t seq = 1000;
  int duplicates = 0;
  for (int tick = 0; tick < 5000; ++tick) {
    if (tick % 3 == 0 && tick < 4000) (void)device.push(ev(++seq));  // events keep happening
    PendingEvent* next = device.front();
    if (next == nullptr) continue;
    ++next->attempts;
    if (outage(rng) || lose_request(rng)) continue;  // unreachable / 503: stays buffered
    // The server: strictly increasing per device, a repeat is a duplicate with the original outcome.
    if (next->seq > server_last) {
      server_last = next->seq;
      ++server_stores[next->seq];
      server_order.push_back(next->seq);
    } else {
      ASSERT_EQ(server_stores.count(next->seq), 1U);
      ++duplicates;
    }
    if (lose_answer(rng)) continue;  // the device will resend the same seq
    EXPECT_TRUE(device.acknowledge(next->seq));
  }
  EXPECT_TRUE(device.empty());
  EXPECT_EQ(device.dropped(), 0U);
  ASSERT_EQ(server_order.size(), static_cast<std::size_t>(seq - 1000));
  for (std::size_t i = 0; i < server_order.size(); ++i)
    EXPECT_EQ(server_order[i], 1001 + static_cast<std::int64_t>(i));
  for (const auto& [s, n] : server_stores) EXPECT_EQ(n, 1) << s;
  EXPECT_GT(duplicates, 0);  // lost answers really happened
}

TEST(Backoff, DoublesUpToTheCapAndResets) {
  using std::chrono::milliseconds;
  Backoff b{milliseconds{100}, milliseconds{1000}};
  EXPECT_EQ(b.next(), milliseconds{100});
  EXPECT_EQ(b.next(), milliseconds{200});
  EXPECT_EQ(b.next(), milliseconds{400});
  EXPECT_EQ(b.next(), milliseconds{800});
  EXPECT_EQ(b.next(), milliseconds{1000});
  EXPECT_EQ(b.next(), milliseconds{1000});
  b.reset();
  EXPECT_EQ(b.next(), milliseconds{100});
}

TEST(DeviceState, SeqStrictlyIncreasesFromTheBase) {
  DeviceState d{"ctl-lobby", 42, 8};
  EXPECT_EQ(d.next_seq(), 42);
  EXPECT_EQ(d.next_seq(), 43);
  EXPECT_EQ(d.peek_seq(), 44);
  EXPECT_EQ(d.buffer().capacity(), 8U);
  EXPECT_THROW((DeviceState{"x", 0, 1}), std::invalid_argument);
  // With a floor (the clock), seqs jump up to it but never go back or repeat.
  EXPECT_EQ(d.next_seq(1000), 1000);
  EXPECT_EQ(d.next_seq(500), 1001);
  EXPECT_EQ(d.next_seq(1001), 1002);
  // The default base is the wall clock in microseconds: a restarted simulator continues above its old seqs,
  // and stays far below the API's limit of 2^53 - 1.
  const auto base = default_first_seq();
  EXPECT_GT(base, 1'700'000'000'000'000LL);
  EXPECT_LT(base, (1LL << 53) - (1LL << 40));
}

}  // namespace
}  // namespace portcullis::sim
