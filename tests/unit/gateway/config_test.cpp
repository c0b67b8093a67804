#include <gtest/gtest.h>

#include "frames.hpp"
#include "portcullis/gateway/config.hpp"
#include "portcullis/gateway/output.hpp"

namespace portcullis::gateway {
namespace {

TEST(GatewayConfig, MapsAddressesAndReaderNumbers) {
  const auto c = parse_config(R"({"readers": {"1": "rdr-lobby-in", "3:1": "rdr-cage-bio", "3": "ctl-cage"},
                                  "pin_max_digits": 6, "pin_timeout_seconds": 20,
                                  "biometric_threshold": 90, "biometric_template_id": "finger"})");
  EXPECT_EQ(c.reader_for(1, 0), "rdr-lobby-in");
  EXPECT_EQ(c.reader_for(1, 7), "rdr-lobby-in");
  EXPECT_EQ(c.reader_for(3, 1), "rdr-cage-bio");  // the specific key wins
  EXPECT_EQ(c.reader_for(3, 0), "ctl-cage");
  EXPECT_EQ(c.reader_for(2, 0), std::nullopt);
  EXPECT_EQ(c.pd_name(1), "rdr-lobby-in");
  EXPECT_EQ(c.pd_name(3), "ctl-cage");
  EXPECT_EQ(c.pd_name(9), "osdp-9");
  EXPECT_EQ(c.pin_max_digits, 6U);
  EXPECT_EQ(c.pin_timeout, std::chrono::seconds{20});
  EXPECT_EQ(c.biometric_threshold, 90);
  EXPECT_EQ(c.biometric_template_id, "finger");
}

TEST(GatewayConfig, PdNameFallsBackToLowestReader) {
  const auto c = parse_config(R"({"readers": {"4:2": "rdr-b", "4:1": "rdr-a"}})");
  EXPECT_EQ(c.pd_name(4), "rdr-a");
}

TEST(GatewayConfig, RefusesMistakesNamingTheField) {
  auto refuses = [](const char* text, const char* needle) {
    try {
      (void)parse_config(text);
      ADD_FAILURE() << "accepted " << text;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  refuses("not json", "not valid JSON");
  refuses(R"({"readers": {}})", "readers");
  refuses(R"({"readers": {"1": "rdr"}, "pin_digits": 4})", "unknown field 'pin_digits'");
  refuses(R"({"readers": {"127": "rdr"}})", "out of range");
  refuses(R"({"readers": {"x": "rdr"}})", "ADDRESS");
  refuses(R"({"readers": {"1:": "rdr"}})", "ADDRESS");
  refuses(R"({"readers": {"1": "has space"}})", "readers.1");
  refuses(R"({"readers": {"1": "r-0123456789012345678901234567890123456789"}})", "readers.1");
  refuses(R"({"readers": {"1": "rdr"}, "pin_max_digits": 3})", "pin_max_digits");
  refuses(R"({"readers": {"1": "rdr"}, "pin_max_digits": 13})", "pin_max_digits");
  refuses(R"({"readers": {"1": "rdr"}, "biometric_threshold": "high"})", "biometric_threshold");
}

TEST(GatewayTime, FormatsAndParsesRfc3339) {
  const auto t = parse_rfc3339("2026-11-27T10:00:00.123Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_rfc3339(*t), "2026-11-27T10:00:00.123Z");
  EXPECT_EQ(parse_rfc3339("2026-11-27T11:00:00+01:00"), parse_rfc3339("2026-11-27T10:00:00Z"));
  EXPECT_EQ(parse_rfc3339("2026-11-27T09:30:00-00:30"), parse_rfc3339("2026-11-27T10:00:00Z"));
  EXPECT_EQ(format_rfc3339(*parse_rfc3339("1999-12-31T23:59:59.9999Z")), "1999-12-31T23:59:59.999Z");
  EXPECT_FALSE(parse_rfc3339("2026-11-27T10:00:00"));   // no offset
  EXPECT_FALSE(parse_rfc3339("2026-02-30T10:00:00Z"));  // no such day
  EXPECT_FALSE(parse_rfc3339("2026-11-27T10:00:00.Z"));
  EXPECT_FALSE(parse_rfc3339("2026-11-27T10:00:00Zjunk"));
  EXPECT_FALSE(parse_rfc3339("tomorrow"));
}

}  // namespace
}  // namespace portcullis::gateway
