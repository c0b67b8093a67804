// The connection book's rules without a socket: per-address limit, per-address rate for unknown addresses,
// the share kept for known addresses, and release.
#include <gtest/gtest.h>

#include "portcullis/http/connection_book.hpp"

namespace portcullis::http {
namespace {

using namespace std::chrono_literals;
using Clock = ConnectionBook::Clock;

ConnectionLimits small_limits() {
  ConnectionLimits limits;
  limits.max_connections = 10;
  limits.max_per_address = 4;
  limits.reserved_for_known = 3;
  limits.new_per_second = 100;
  return limits;
}

TEST(ConnectionBook, AnAddressHoldsAtMostItsLimitAndGetsAPlaceBackWhenOneCloses) {
  ConnectionBook book{small_limits()};
  const auto now = Clock::now();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(book.admit("10.0.0.2", now), Admission::admitted);
  EXPECT_EQ(book.admit("10.0.0.2", now), Admission::over_address_limit);
  EXPECT_EQ(book.admit("10.0.0.3", now), Admission::admitted);
  book.release("10.0.0.2");
  EXPECT_EQ(book.open_from("10.0.0.2"), 3U);
  EXPECT_EQ(book.admit("10.0.0.2", now), Admission::admitted);
  EXPECT_EQ(book.open(), 5U);
}

TEST(ConnectionBook, UnknownAddressesLeaveTheReservedShareToKnownOnes) {
  ConnectionBook book{small_limits()};
  const auto now = Clock::now();
  book.mark_known("10.0.0.1", now);
  for (const auto* address : {"10.0.0.2", "10.0.0.3"})
    for (int i = 0; i < 4; ++i) book.admit(address, now);
  EXPECT_EQ(book.open(), 7U);  // 10 minus the 3 kept for known addresses
  EXPECT_EQ(book.admit("10.0.0.4", now), Admission::over_shared_limit);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(book.admit("10.0.0.1", now), Admission::admitted);
  EXPECT_EQ(book.admit("10.0.0.1", now), Admission::over_limit);
}

TEST(ConnectionBook, AnUnknownAddressOpensNoFasterThanItsRateAKnownOneIsNotHeldToIt) {
  auto limits = small_limits();
  limits.max_per_address = 100;
  limits.max_connections = 1000;
  limits.new_per_second = 2;  // four at once
  ConnectionBook book{limits};
  const auto now = Clock::now();
  int admitted = 0;
  for (int i = 0; i < 10; ++i) {
    if (book.admit("10.0.0.2", now) == Admission::admitted) {
      ++admitted;
      book.release("10.0.0.2");
    }
  }
  EXPECT_EQ(admitted, 4);
  EXPECT_EQ(book.admit("10.0.0.2", now), Admission::over_address_rate);
  EXPECT_EQ(book.admit("10.0.0.2", now + 500ms), Admission::admitted);  // one more after half a second
  book.mark_known("10.0.0.5", now);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(book.admit("10.0.0.5", now), Admission::admitted);
}

TEST(ConnectionBook, AKnownAddressIsForgottenAfterItsTimeAndTheOldestGoFirst) {
  auto limits = small_limits();
  limits.remembered_addresses = 2;
  ConnectionBook book{limits};
  const auto now = Clock::now();
  book.mark_known("10.0.0.1", now);
  book.mark_known("10.0.0.2", now + 1s);
  book.mark_known("10.0.0.3", now + 2s);
  EXPECT_FALSE(book.known("10.0.0.1", now + 2s));
  EXPECT_TRUE(book.known("10.0.0.2", now + 2s));
  EXPECT_TRUE(book.known("10.0.0.3", now + 2s));
  EXPECT_FALSE(book.known("10.0.0.3", now + 2s + limits.known_for));
}

TEST(ConnectionBook, ManyOneOffAddressesDoNotGrowTheTableWithoutBound) {
  auto limits = small_limits();
  limits.max_connections = 16;
  ConnectionBook book{limits};
  auto now = Clock::now();
  for (int i = 0; i < 20000; ++i) {
    const auto address = "10." + std::to_string(i / 65536) + "." + std::to_string((i / 256) % 256) + "." +
                         std::to_string(i % 256);
    if (book.admit(address, now) == Admission::admitted) book.release(address);
    now += 100ms;
  }
  EXPECT_EQ(book.open(), 0U);
  EXPECT_LE(book.tracked_addresses(), 2 * limits.max_connections + 1025);
  EXPECT_EQ(book.admit("10.9.9.9", now), Admission::admitted);
}

}  // namespace
}  // namespace portcullis::http
