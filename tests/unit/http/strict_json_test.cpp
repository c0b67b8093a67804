// Request bodies are read by one strict parser: numbers beyond a double, duplicate keys and NUL characters
// are refused with the field named, and nothing throws (an exception out of a parser ended the process).
#include <gtest/gtest.h>

#include "portcullis/json/device_event_json.hpp"
#include "portcullis/json/operator_json.hpp"

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

}  // namespace
}  // namespace portcullis::json
