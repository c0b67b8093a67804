// Report logic without a database: the SELECT each report runs and how its rows are written.
// g++ 12 reports a false maybe-uninitialized inside std::optional<std::string> here (GCC bug 105562).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "portcullis/audit/report.hpp"

namespace portcullis::audit {
namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<CopyField> decision_fields(std::string_view person, std::string_view reason = "granted") {
  return {{"7", false},
          {"1700000000000001", false},
          {{}, true},
          {"rdr-1", false},
          {"credential", false},
          {"grant", false},
          {reason, false},
          {{}, true},
          {person, false},
          {"p-lobby", false},
          {"z-hall", false},
          {{}, true},
          {"ab12", false}};
}

TEST(ReportSelect, AppliesEachFilterAsALiteral) {
  ReportFilter f;
  f.person = "o'brien";
  f.portal = "p-1";
  f.zone = "z-1";
  f.from_us = 100;
  f.to_us = 200;
  const auto sql = report_select(ReportKind::Access, f, "main");
  EXPECT_TRUE(has(sql, "e.site_id = 'main'"));
  EXPECT_TRUE(has(sql, "d.person = 'o''brien'"));
  EXPECT_TRUE(has(sql, "d.portal = 'p-1'"));
  EXPECT_TRUE(has(sql, "d.destination = 'z-1'"));
  EXPECT_TRUE(has(sql, "e.received_us >= 100"));
  EXPECT_TRUE(has(sql, "e.received_us < 200"));
  EXPECT_TRUE(has(sql, "ORDER BY e.site_seq"));
  EXPECT_FALSE(has(sql, "d.verdict = 'deny'"));
  EXPECT_TRUE(has(report_select(ReportKind::Denied, {}, "main"), "d.verdict = 'deny'"));
  EXPECT_TRUE(has(report_select(ReportKind::Alarms, f, "main"), "a.subject = 'p-1'"));
  EXPECT_FALSE(has(sql, "e.site_seq >="));
  f.first_seq = 10;
  f.last_seq = 20;  // the exporter's bounds from the chain range
  const auto bounded = report_select(ReportKind::Access, f, "main");
  EXPECT_TRUE(has(bounded, "e.site_seq >= 10 AND e.site_seq <= 20"));
  EXPECT_EQ(filters_json(ReportKind::Access, f).find("seq"), std::string::npos);  // not a user filter
}

TEST(ReportSelect, AfterHoursUsesTheLocalWindow) {
  ReportFilter f;
  f.window = *parse_window("07:30-18:00");
  f.time_zone = "Europe/Berlin";
  const auto sql = report_select(ReportKind::AfterHours, f, "main");
  EXPECT_TRUE(has(sql, "AT TIME ZONE 'Europe/Berlin'"));
  EXPECT_TRUE(has(sql, "NOT ("));
  EXPECT_TRUE(has(sql, "'07:30'::time"));
  EXPECT_TRUE(has(sql, "'18:00'::time"));
  f.window = *parse_window("22:00-06:00");  // a night shift's working hours
  EXPECT_FALSE(has(report_select(ReportKind::AfterHours, f, "main"), "NOT ("));
}

TEST(ReportFilterValidation, RejectsWhatTheQueryCannotTake) {
  ReportFilter f;
  EXPECT_FALSE(validate(ReportKind::Access, f));
  f.decision = "maybe";
  EXPECT_TRUE(validate(ReportKind::Access, f));
  f.decision = "grant";
  EXPECT_TRUE(validate(ReportKind::Denied, f));
  f = {};
  f.time_zone = "UTC'; DROP TABLE events; --";
  EXPECT_TRUE(validate(ReportKind::AfterHours, f));
  f = {};
  f.from_us = 5;
  f.to_us = 5;
  EXPECT_TRUE(validate(ReportKind::Access, f));
  EXPECT_FALSE(parse_window("07:00-07:00"));
  EXPECT_FALSE(parse_window("7:00-19:00"));
  EXPECT_TRUE(parse_window("00:00-24:00"));
}

TEST(FormatRow, CsvNeutralizesAndQuotes) {
  std::string out;
  ASSERT_TRUE(format_row(ReportKind::Access, OutputFormat::Csv, decision_fields("=2+3", "a,b"), out));
  EXPECT_EQ(
      out,
      "7,2023-11-14T22:13:20.000001Z,,rdr-1,credential,grant,\"a,b\",,\"'=2+3\",p-lobby,z-hall,,ab12\r\n");
  EXPECT_EQ(
      header(ReportKind::Access, OutputFormat::Csv),
      "site_seq,received_at,device_time,device_id,event_type,verdict,reason,needed,person,portal,destination,"
      "rack,hash\r\n");
}

TEST(FormatRow, JsonLinesKeepsNullsAndTypes) {
  std::string out;
  ASSERT_TRUE(format_row(ReportKind::Access, OutputFormat::JsonLines, decision_fields("=2+3"), out));
  ASSERT_EQ(out.back(), '\n');
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["site_seq"], 7);
  EXPECT_EQ(j["received_at"], "2023-11-14T22:13:20.000001Z");
  EXPECT_TRUE(j["device_time"].is_null());
  EXPECT_EQ(j["person"], "=2+3");  // JSON is data, not a spreadsheet: kept as is
  EXPECT_TRUE(j["needed"].is_null());
  EXPECT_EQ(header(ReportKind::Access, OutputFormat::JsonLines), "");
}

TEST(FormatRow, RefusesRowsOfTheWrongShape) {
  std::string out = "kept";
  std::vector<CopyField> fields = decision_fields("p");
  fields.pop_back();
  EXPECT_FALSE(format_row(ReportKind::Access, OutputFormat::Csv, fields, out));
  fields = decision_fields("p");
  fields[1].text = "noon";
  EXPECT_FALSE(format_row(ReportKind::Access, OutputFormat::Csv, fields, out));
  EXPECT_EQ(out, "kept");
}

TEST(FiltersJson, NamesEveryFilterInTheManifest) {
  ReportFilter f;
  f.person = "alice";
  f.from_us = 0;
  EXPECT_EQ(filters_json(ReportKind::Denied, f),
            R"({"decision":"deny","from":"1970-01-01T00:00:00.000000Z","person":"alice"})");
  EXPECT_EQ(filters_json(ReportKind::AfterHours, {}), R"({"time_zone":"UTC","working_hours":"07:00-19:00"})");
}

}  // namespace
}  // namespace portcullis::audit
