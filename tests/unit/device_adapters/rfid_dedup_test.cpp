// RFID read de-duplication window.
#include "portcullis/adapters/rfid_dedup.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace rfid = portcullis::adapters::rfid;
using portcullis::adapters::ErrorCode;
using std::chrono::microseconds;
using std::chrono::milliseconds;

namespace {

constexpr const char* kEpc = "urn:epc:id:giai:0614141.12345";
constexpr const char* kReader = "dock-door-1";

rfid::ReadDecision at(rfid::ReadDeduplicator& d, std::int64_t ms, const std::string& epc = kEpc,
                      const std::string& reader = kReader) {
  const auto r = d.observe(epc, reader, milliseconds{ms});
  EXPECT_TRUE(r.ok()) << r.error().reason;
  return r.value();
}

}  // namespace

TEST(RfidDedup, FirstReadEmitsRepeatsAreCountedWindowEndEmitsWithCount) {
  rfid::ReadDeduplicator d;  // 2 s window
  EXPECT_EQ(at(d, 0), (rfid::ReadDecision{true, 0}));
  EXPECT_EQ(at(d, 100), (rfid::ReadDecision{false, 1}));
  EXPECT_EQ(at(d, 1999), (rfid::ReadDecision{false, 2}));
  EXPECT_EQ(at(d, 2000), (rfid::ReadDecision{true, 2}));  // window [0, 2000) closed with 2 repeats
  EXPECT_EQ(at(d, 2500), (rfid::ReadDecision{false, 1}));
  EXPECT_EQ(at(d, 9000), (rfid::ReadDecision{true, 1}));
}

TEST(RfidDedup, KeysAreTagAndReader) {
  rfid::ReadDeduplicator d;
  EXPECT_TRUE(at(d, 0, "A", "r1").emit);
  EXPECT_TRUE(at(d, 1, "A", "r2").emit);  // same tag, other reader
  EXPECT_TRUE(at(d, 2, "B", "r1").emit);  // other tag, same reader
  EXPECT_FALSE(at(d, 3, "A", "r1").emit);
  // Concatenation does not collide: ("ab","c") vs ("a","bc").
  EXPECT_TRUE(at(d, 4, "ab", "c").emit);
  EXPECT_TRUE(at(d, 5, "a", "bc").emit);
  EXPECT_EQ(d.size(), 5U);
}

TEST(RfidDedup, WindowIsConfigurable) {
  rfid::ReadDeduplicator d(rfid::DedupOptions{milliseconds{500}, 100});
  EXPECT_TRUE(at(d, 0).emit);
  EXPECT_FALSE(at(d, 499).emit);
  EXPECT_TRUE(at(d, 500).emit);
  // A zero window is clamped to 1 us: every distinct instant emits.
  rfid::ReadDeduplicator zero(rfid::DedupOptions{microseconds{0}, 10});
  EXPECT_EQ(zero.options().window, microseconds{1});
  EXPECT_TRUE(at(zero, 0).emit);
  EXPECT_FALSE(at(zero, 0).emit);
  EXPECT_TRUE(at(zero, 1).emit);
}

TEST(RfidDedup, BoundedEntriesEvictTheLeastRecentlyRead) {
  rfid::ReadDeduplicator d(rfid::DedupOptions{milliseconds{10'000}, 2});
  EXPECT_TRUE(at(d, 0, "A").emit);
  EXPECT_TRUE(at(d, 1, "B").emit);
  EXPECT_FALSE(at(d, 2, "A").emit);  // A is now the most recent
  EXPECT_TRUE(at(d, 3, "C").emit);   // evicts B
  EXPECT_EQ(d.size(), 2U);
  EXPECT_EQ(d.evictions(), 1U);
  EXPECT_FALSE(at(d, 4, "A").emit);  // A survived
  EXPECT_TRUE(at(d, 5, "B").emit);   // B was forgotten, so it emits again (evicting C)
  EXPECT_EQ(d.evictions(), 2U);
  rfid::ReadDeduplicator one(rfid::DedupOptions{milliseconds{1}, 0});
  EXPECT_EQ(one.options().max_entries, 1U);
}

TEST(RfidDedup, ClockSteppingBackDelaysAtMostOneWindow) {
  rfid::ReadDeduplicator d;
  EXPECT_TRUE(at(d, 100'000).emit);
  EXPECT_EQ(at(d, 5'000), (rfid::ReadDecision{false, 1}));  // stepped back: window restarts at 5 s
  EXPECT_FALSE(at(d, 6'999).emit);
  EXPECT_EQ(at(d, 7'000), (rfid::ReadDecision{true, 2}));
}

TEST(RfidDedup, PruneDropsOnlyFinishedIdleKeys) {
  rfid::ReadDeduplicator d;
  EXPECT_TRUE(at(d, 0, "old").emit);
  EXPECT_TRUE(at(d, 1'500, "recent").emit);
  EXPECT_EQ(d.prune(milliseconds{2'500}), 1U);  // "old" window over and idle; "recent" still open
  EXPECT_EQ(d.size(), 1U);
  EXPECT_TRUE(at(d, 2'600, "old").emit);
  EXPECT_EQ(d.prune(milliseconds{0}), 0U);  // time before everything: nothing is over
}

TEST(RfidDedup, RejectsBadIdentifiersWithoutRecording) {
  rfid::ReadDeduplicator d;
  auto r = d.observe("", kReader, microseconds{0});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::BadIdentifier);
  EXPECT_NE(r.error().reason.find("EPC is empty"), std::string::npos);
  r = d.observe(kEpc, "", microseconds{0});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().reason.find("reader id is empty"), std::string::npos);
  r = d.observe(std::string(rfid::kMaxIdentifierLength + 1, 'E'), kReader, microseconds{0});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::BadIdentifier);
  EXPECT_EQ(d.size(), 0U);
  EXPECT_TRUE(d.observe(std::string(rfid::kMaxIdentifierLength, 'E'), kReader, microseconds{0}).ok());
}

TEST(RfidDedup, ExtremeTimestampsDoNotOverflow) {
  rfid::ReadDeduplicator d;
  const auto lo = microseconds{std::numeric_limits<std::int64_t>::min() + 1};
  const auto hi = microseconds{std::numeric_limits<std::int64_t>::max()};
  EXPECT_EQ(d.observe(kEpc, kReader, lo).value(), (rfid::ReadDecision{true, 0}));
  EXPECT_EQ(d.observe(kEpc, kReader, hi).value(), (rfid::ReadDecision{true, 0}));  // ~584k years later
  EXPECT_EQ(d.observe(kEpc, kReader, hi).value(), (rfid::ReadDecision{false, 1}));
  EXPECT_EQ(d.prune(hi), 0U);
  EXPECT_EQ(d.prune(lo), 0U);
}
