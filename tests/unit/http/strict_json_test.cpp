// Request bodies are read by one strict parser: numbers beyond a double, duplicate keys and NUL characters
// are refused with the field named, and nothing throws (an exception out of a parser ended the process).
#include <gtest/gtest.h>

#include "portcullis/json/device_event_json.hpp"
#include "portcullis/json/operator_json.hpp"
#include "portcullis/json/stream_json.hpp"
#include "portcullis/json/strict_json.hpp"

namespace portcullis::json {
namespace {

template <class T>
FieldError error_of(const std::variant<T, FieldError>& parsed) {
  EXPECT_TRUE(std::holds_alternative<FieldError>(parsed));
  return std::holds_alternative<FieldError>(parsed) ? std::get<FieldError>(parsed) : FieldError{};
}

TEST(StrictJson, LoginTotpOutOfDoubleRangeIsRefusedNotThrown) {
  std::variant<LoginBody, FieldError> parsed = FieldError{};
  ASSERT_NO_THROW(parsed = parse_login(R"({"username":"x","password":"y","totp":1e309})"));
  const auto e = error_of(parsed);
  EXPECT_EQ(e.field, "totp");
  EXPECT_EQ(e.message, "number out of range");
}

TEST(StrictJson, DeviceEventSeqOutOfDoubleRangeIsRefusedNotThrown) {
  std::variant<EventRequest, FieldError> parsed = FieldError{};
  ASSERT_NO_THROW(
      parsed = parse_event_request(
          R"({"events":[{"device_id":"d","seq":1e400,"time":"2026-01-01T00:00:00Z","type":"heartbeat"}]})"));
  EXPECT_EQ(error_of(parsed).field, "events[0].seq");
  ASSERT_NO_THROW(parsed = parse_event_request(R"({"device_id":"d","seq":-1e400})"));
  EXPECT_EQ(error_of(parsed).field, "seq");
}

TEST(StrictJson, DuplicateKeyIsRefusedNamingIt) {
  const auto e = error_of(parse_login(R"({"username":"x","password":"y","totp":"1","username":"admin"})"));
  EXPECT_EQ(e.field, "username");
  EXPECT_NE(e.message.find("duplicate"), std::string::npos);
  const auto nested = error_of(parse_event_request(
      R"({"events":[{"device_id":"d","seq":1,"seq":2,"time":"2026-01-01T00:00:00Z","type":"heartbeat"}]})"));
  EXPECT_EQ(nested.field, "events[0].seq");
}

TEST(StrictJson, NulInACommentIsRefusedNamingTheField) {
  const auto e = error_of(parse_comment(R"({"comment":"checked\u0000"})"));
  EXPECT_EQ(e.field, "comment");
}

TEST(StrictJson, DeepNestingIsRefusedWithoutRecursion) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  std::variant<EventRequest, FieldError> parsed = FieldError{};
  ASSERT_NO_THROW(parsed = parse_event_request(deep));
  EXPECT_TRUE(std::holds_alternative<FieldError>(parsed));
}

TEST(StrictJson, WellFormedBodiesStillParse) {
  const auto parsed = parse_login(R"({"username":"x","password":"y","totp":"123456"})");
  ASSERT_TRUE(std::holds_alternative<LoginBody>(parsed));
  EXPECT_EQ(std::get<LoginBody>(parsed).username, "x");
}

// Nesting is a property of the whole document, so it is reported as "$" by the one parser itself, with the
// limit in words, without a separate scan of the text before it.
TEST(StrictJson, NestingBeyondTheLimitIsRefusedAsTheWholeDocument) {
  const std::string deep = std::string(9, '[') + std::string(9, ']');
  const auto parsed = parse_strict(deep, 8);
  ASSERT_TRUE(std::holds_alternative<FieldError>(parsed));
  EXPECT_EQ(std::get<FieldError>(parsed).field, "$");
  EXPECT_EQ(std::get<FieldError>(parsed).message, "JSON nested deeper than 8 levels");
  EXPECT_TRUE(
      std::holds_alternative<nlohmann::json>(parse_strict(std::string(8, '[') + std::string(8, ']'), 8)));
  const std::string bomb = std::string(100'000, '[') + std::string(100'000, ']');
  ASSERT_NO_THROW((void)parse_strict(bomb, 32));
  EXPECT_EQ(std::get<FieldError>(parse_strict(bomb, 32)).field, "$");
  // Brackets inside strings are text, not nesting.
  EXPECT_TRUE(std::holds_alternative<nlohmann::json>(parse_strict(R"({"a":"[[[[[[[[[[[["})", 2)));
}

// The live stream's subscribe message goes through the same parser: a key given twice is refused instead of
// one of its values silently winning (two parsers that disagree on which one counts are a classic bypass).
TEST(StrictJson, SubscribeWithAKeyGivenTwiceIsRefused) {
  EXPECT_TRUE(parse_subscribe(R"({"type":"subscribe","resume_from":1})").has_value());
  EXPECT_FALSE(parse_subscribe(R"({"type":"subscribe","resume_from":1,"resume_from":99})").has_value());
  EXPECT_FALSE(parse_subscribe(std::string(50, '[') + std::string(50, ']')).has_value());
}

}  // namespace
}  // namespace portcullis::json
