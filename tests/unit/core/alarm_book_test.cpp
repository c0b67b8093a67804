// The alarm book keeps what operators act on (open and acknowledged alarms) and forgets resolved alarms on
// documented rules, so a long-running site's memory and its once-a-second escalation scan stay flat.
#include <gtest/gtest.h>

#include "portcullis/core/alarms/alarm_book.hpp"

namespace portcullis::core {
namespace {

Alarm door_held(int door) {
  return Alarm{"door_held_open", Severity::Medium, "door-" + std::to_string(door), "held 60 s", false};
}

TEST(AlarmBookMemory, ResolvedAlarmsLeaveMemoryAndTheBookStaysFlatOverALongRun) {
  AlarmBook book;  // default rules: resolved alarms kept 24 h, at most 10,000 of them
  const auto start = from_unix_micros(1'800'000'000'000'000);
  std::size_t largest = 0;
  std::string first_id;
  // 100,000 alarms over ~70 days, one a minute, each acknowledged and resolved, plus one that stays open.
  const auto& kept_open = book.raise(Alarm{"tamper", Severity::High, "reader-9", "", false}, start, 1, 0);
  const auto open_id = kept_open.id;
  for (int i = 0; i < 100'000; ++i) {
    const auto at = start + std::chrono::minutes(i);
    const auto& a = book.raise(door_held(i % 50), at, 2 + i, 0);
    const auto id = a.id;
    if (i == 0) first_id = id;
    ASSERT_EQ(book.acknowledge(id, "guard", "on my way", at + std::chrono::seconds(10)), AlarmChange::Done);
    ASSERT_EQ(book.resolve(id, "guard", "closed it", at + std::chrono::seconds(30)), AlarmChange::Done);
    ASSERT_NE(book.find(id), nullptr) << "an alarm just resolved is still there for the answer";
    largest = std::max(largest, book.size());
  }
  // 24 h of one-a-minute resolutions is 1,440 alarms: the book never held more than that and the open one.
  EXPECT_LE(largest, 1'442U);
  EXPECT_EQ(book.find(first_id), nullptr) << "a 70-day-old resolved alarm is still in memory";
  EXPECT_EQ(book.can_resolve(first_id, "again"), AlarmChange::UnknownAlarm);
  ASSERT_NE(book.find(open_id), nullptr) << "an open alarm is never forgotten";
  EXPECT_TRUE(book.has_open("tamper"));
  EXPECT_FALSE(book.has_open("door_held_open"));
  const auto due = book.due_for_escalation(start + std::chrono::minutes(100'000), std::chrono::minutes(2));
  EXPECT_EQ(due, std::vector<std::string>{open_id});
}

TEST(AlarmBookMemory, AtMostTheConfiguredNumberOfResolvedAlarmsIsKept) {
  AlarmBook book{AlarmRetention{std::chrono::hours(24 * 365), 100}};
  const auto start = from_unix_micros(1'800'000'000'000'000);
  for (int i = 0; i < 5'000; ++i) {
    const auto at = start + std::chrono::seconds(i);
    const auto id = book.raise(door_held(i), at, 1 + i, 0).id;
    ASSERT_EQ(book.resolve(id, "guard", "closed", at), AlarmChange::Done);
  }
  EXPECT_LE(book.size(), 100U);
  EXPECT_NE(book.find("A5000.0"), nullptr);  // the newest resolutions are kept
  EXPECT_EQ(book.find("A1.0"), nullptr);
}

}  // namespace
}  // namespace portcullis::core
