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
  EXPECT_EQ(parsed.errors().front().message, "a number is out of range");
}

}  // namespace
}  // namespace portcullis::epcis
