// The settings of the log lines and the SIEM feed: accepted as documented (docs/operations.md, "Logs and
// SIEM"), and a bad value stops start-up naming the file, line and setting.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "config.hpp"

namespace portcullis::app {
namespace {

std::string config_file(const std::string& text) {
  const auto path = ::testing::TempDir() + "/portcullisd-settings-" + std::to_string(::getpid()) + ".conf";
  std::ofstream{path} << text;
  return path;
}

std::string refusal(const std::string& text) {
  try {
    (void)load_config(config_file(text));
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "accepted";
}

TEST(LogAndSiemSettings, AreReadFromTheConfigFile) {
  const auto c = load_config(
      config_file("log_format = text\nsyslog_target = siem-relay.example:10514\nsyslog_facility = local4\n"
                  "syslog_hostname = portcullis-1\n"));
  EXPECT_EQ(c.log_format, "text");
  EXPECT_EQ(c.syslog_target, "siem-relay.example:10514");
  EXPECT_EQ(c.syslog_facility, 20);
  EXPECT_EQ(c.syslog_hostname, "portcullis-1");
}

TEST(LogAndSiemSettings, DefaultsAreAutomaticFormatNoFeedAndAuthpriv) {
  const auto c = load_config(config_file("site_id = main\n"));
  EXPECT_EQ(c.log_format, "");
  EXPECT_EQ(c.syslog_target, "");
  EXPECT_EQ(c.syslog_facility, 10);
}

TEST(LogAndSiemSettings, BadValuesAreRefusedNamingTheLineAndSetting) {
  EXPECT_NE(refusal("log_format = yaml\n").find(":1: log_format must be 'json' or 'text'"),
            std::string::npos);
  EXPECT_NE(
      refusal("site_id = x\nsyslog_target = siem.example\n").find(":2: syslog_target must be HOST:PORT"),
      std::string::npos);
  EXPECT_NE(refusal("syslog_target = siem.example:99999\n").find("syslog_target port must be 1 to 65535"),
            std::string::npos);
  EXPECT_NE(refusal("syslog_facility = local9\n").find(":1: syslog_facility must be"), std::string::npos);
}

}  // namespace
}  // namespace portcullis::app
