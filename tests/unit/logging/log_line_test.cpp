// A log line is one JSON object on one line, with the fields a log pipeline filters on, whatever the
// message holds (quotes, newlines, bytes that are not UTF-8 from an exception that quotes a request).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "portcullis/logging/log.hpp"
#include "portcullis/logging/log_line.hpp"

namespace portcullis::logging {
namespace {

using nlohmann::json;

constexpr util::UtcMicros kAt{std::chrono::microseconds{1'796'000'000'123'456}};

std::string line_of(std::string_view message, const std::vector<Field>& fields, Format format = Format::Json,
                    Level level = Level::Warning) {
  LogLine line;
  line.at = kAt;
  line.level = level;
  line.component = "ingest";
  line.message = message;
  line.fields = &fields;
  return format_line(line, format);
}

TEST(LogLine, IsOneJsonObjectOnOneLineWithTheStandardFields) {
  const auto text = line_of("storing a batch failed", {{"error", "connection lost"}, {"site_seq", 42}});
  ASSERT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\n'), text.size() - 1) << "one line";
  const auto parsed = json::parse(text);
  EXPECT_EQ(parsed.at("ts"), "2026-11-30T00:53:20.123456Z");
  EXPECT_EQ(parsed.at("level"), "warning");
  EXPECT_EQ(parsed.at("component"), "ingest");
  EXPECT_EQ(parsed.at("msg"), "storing a batch failed");
  EXPECT_EQ(parsed.at("error"), "connection lost");
  EXPECT_EQ(parsed.at("site_seq"), 42) << "numbers stay numbers";
}

TEST(LogLine, QuotesNewlinesAndBrokenUtf8InAMessageStayOneValidLine) {
  const std::string hostile = "bad \"request\"\n{\"level\":\"info\"}\\ \xff\xfe end";
  const auto text = line_of(hostile, {{"error", hostile}});
  EXPECT_EQ(text.find('\n'), text.size() - 1) << text;
  const auto parsed = json::parse(text);  // throws on invalid JSON or invalid UTF-8
  EXPECT_EQ(parsed.at("level"), "warning") << "a message cannot forge the level";
  EXPECT_EQ(parsed.at("msg").get<std::string>().substr(0, 14), "bad \"request\"\n");
}

TEST(LogLine, AFieldNamedLikeAStandardFieldCannotReplaceIt) {
  const auto parsed = json::parse(line_of("m", {{"level", "info"}, {"ts", "never"}}));
  EXPECT_EQ(parsed.at("level"), "warning");
  EXPECT_EQ(parsed.at("_level"), "info");
  EXPECT_EQ(parsed.at("_ts"), "never");
}

TEST(LogLine, FlagsAreJsonBooleans) {
  const auto parsed = json::parse(line_of("m", {{"follower", true}}));
  EXPECT_EQ(parsed.at("follower"), true);
}

TEST(LogLine, TextFormatIsOneReadableLine) {
  const auto text = line_of("stopped\nnow", {{"reason", "a signal"}, {"code", 0}}, Format::Text, Level::Info);
  EXPECT_EQ(text, "2026-11-30T00:53:20.123456Z info ingest: stopped now reason=\"a signal\" code=0\n");
}

TEST(LogFormat, ParsesOnlyJsonAndText) {
  EXPECT_EQ(parse_format("json"), Format::Json);
  EXPECT_EQ(parse_format("text"), Format::Text);
  EXPECT_EQ(parse_format("JSON"), std::nullopt);
  EXPECT_EQ(parse_format(""), std::nullopt);
}

}  // namespace
}  // namespace portcullis::logging
