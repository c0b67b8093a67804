// A number beyond the range of a double in an EPCIS body is refused with a message of our own: it used to
// surface nlohmann's exception text ("[json.exception.out_of_range.406] ...") to the client.
#include <gtest/gtest.h>

#include "portcullis/epcis/capture.hpp"

namespace portcullis::epcis {
namespace {

TEST(EpcisHostileInput, NumberOutOfRangeIsRefusedWithoutLibraryText) {
  const auto parsed = parse_capture_event(R"({"type":"ObjectEvent","quantity":1e400})", Limits{});
  ASSERT_FALSE(parsed);
  ASSERT_FALSE(parsed.errors().empty());
  for (const auto& e : parsed.errors()) {
    EXPECT_EQ(e.message.find("json.exception"), std::string::npos) << e.message;
    EXPECT_EQ(e.message.find("nlohmann"), std::string::npos) << e.message;
  }
  EXPECT_EQ(parsed.errors().front().path, "quantity");
  EXPECT_EQ(parsed.errors().front().message, "number out of range");
}

// EPCIS bodies are read by the server's one strict JSON parser: a key given twice is refused with its path,
// where nlohmann's default parser silently kept the last value (a downstream JSON-LD tool may keep the
// first, and the two would then disagree about the same document).
TEST(EpcisHostileInput, KeyGivenTwiceIsRefusedNamingIt) {
  const auto parsed =
      parse_capture_event(R"({"type":"ObjectEvent","action":"OBSERVE","action":"DELETE"})", Limits{});
  ASSERT_FALSE(parsed);
  ASSERT_FALSE(parsed.errors().empty());
  EXPECT_EQ(parsed.errors().front().path, "action");
  EXPECT_EQ(parsed.errors().front().message, "duplicate key \"action\"");
}

}  // namespace
}  // namespace portcullis::epcis
