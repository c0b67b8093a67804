// The outbound buffer's write-ahead journal: events survive a crash of the gateway and are delivered
// exactly once after the restart.
#include "portcullis/gateway/event_journal.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "portcullis/gateway/outbound_buffer.hpp"

namespace portcullis::gateway {
namespace {

using nlohmann::json;

std::string temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("journal-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = (dir / name).string();
  std::filesystem::remove(path);
  return path;
}

json card(int n) {
  return json{{"type", "credential"},
              {"time", "2026-11-27T10:00:00.000Z"},
              {"reader", "rdr-lobby-in"},
              {"card", {{"facility", 42}, {"number", n}}}};
}

std::string answer_stored(const Batch& b) {
  json results = json::array();
  for (const auto seq : b.seqs) results.push_back({{"status", "stored"}, {"seq", seq}});
  return json{{"results", results}}.dump();
}

TEST(EventJournal, EventsNotAcknowledgedBeforeACrashAreResentWithTheirSeqsAfterTheRestart) {
  const auto path = temp_path("crash.journal");
  MemorySeqStore seqs;
  std::vector<std::int64_t> issued;
  {
    FileEventJournal journal{path};
    OutboundBuffer buffer{"ctl-lobby", seqs, {}, 1};
    buffer.attach_journal(journal);
    for (int n = 1; n <= 5; ++n) issued.push_back(buffer.enqueue(card(n)));
    auto batch = buffer.next_batch({});
    batch->seqs.resize(2);  // the server acknowledged the first two
    buffer.on_answer(*batch, 200, answer_stored(*batch), {});
    // kill -9 here: nothing else is written
  }
  FileEventJournal journal{path};
  OutboundBuffer restarted{"ctl-lobby", seqs, {}, 1};
  restarted.attach_journal(journal);
  ASSERT_EQ(restarted.size(), 3U);
  const auto batch = restarted.next_batch({});
  EXPECT_EQ(batch->seqs, (std::vector<std::int64_t>{issued[2], issued[3], issued[4]}));
  EXPECT_NE(batch->body.find("\"number\":3"), std::string::npos);
  EXPECT_GT(restarted.enqueue(card(6)), issued[4]) << "a new event reused a journaled seq";
}

TEST(EventJournal, ATornLastLineIsIgnoredAndAMalformedOneStopsTheGateway) {
  const auto path = temp_path("torn.journal");
  std::ofstream(path)
      << "E 7 {\"type\":\"heartbeat\"}\nS 7\nE 8 {\"type\":\"heartbeat\"}\nE 9 {\"type\":\"hea";
  FileEventJournal journal{path};
  const auto pending = journal.load();
  ASSERT_EQ(pending.size(), 1U);
  EXPECT_EQ(pending[0].first, 8);
  const auto bad = temp_path("bad.journal");
  std::ofstream(bad) << "X 7\n";
  FileEventJournal broken{bad};
  EXPECT_THROW((void)broken.load(), std::runtime_error);
}

TEST(EventJournal, PinsAreNeverWrittenToDisk) {
  const auto path = temp_path("pin.journal");
  MemorySeqStore seqs;
  FileEventJournal journal{path};
  OutboundBuffer buffer{"ctl-lobby", seqs, {}, 1};
  buffer.attach_journal(journal);
  (void)buffer.enqueue(
      json{{"type", "pin"}, {"time", "2026-11-27T10:00:00.000Z"}, {"reader", "r"}, {"pin", "4711"}});
  std::ifstream in(path);
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  EXPECT_EQ(text.find("4711"), std::string::npos);
  EXPECT_EQ(buffer.size(), 1U);
}

TEST(EventJournal, CompactionKeepsExactlyThePendingEvents) {
  const auto path = temp_path("compact.journal");
  MemorySeqStore seqs;
  {
    FileEventJournal journal{path, /*compact_after=*/3};
    OutboundBuffer buffer{"ctl-lobby", seqs, {}, 1};
    buffer.attach_journal(journal);
    for (int n = 1; n <= 10; ++n) (void)buffer.enqueue(card(n));
    auto batch = buffer.next_batch({});
    batch->seqs.resize(7);
    buffer.on_answer(*batch, 200, answer_stored(*batch), {});
  }
  std::ifstream in(path);
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  // Compacted after the 3rd and 6th settlement: the events of 7-10 remain, and one S record after them.
  std::size_t records = 0;
  for (const char c : text) records += c == '\n' ? 1U : 0U;
  EXPECT_EQ(records, 5U) << text;
  FileEventJournal journal{path};
  const auto pending = journal.load();
  std::set<std::string> numbers;
  for (const auto& [seq, body] : pending) numbers.insert(json::parse(body)["card"]["number"].dump());
  EXPECT_EQ(numbers, (std::set<std::string>{"8", "9", "10"}));
}

}  // namespace
}  // namespace portcullis::gateway
