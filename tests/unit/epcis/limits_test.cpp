// Every bound of Limits holds, at and just over the limit, and the refusal names the field.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "examples.hpp"
#include "portcullis/epcis/capture.hpp"

namespace portcullis::epcis {
namespace {

using nlohmann::json;

json observe_event(std::size_t i) {
  return json{{"type", "ObjectEvent"},
              {"eventID", "urn:uuid:limit-" + std::to_string(i)},
              {"eventTime", "2026-11-27T10:00:00Z"},
              {"eventTimeZoneOffset", "+00:00"},
              {"action", "OBSERVE"},
              {"epcList", {"urn:epc:id:giai:4012345.A" + std::to_string(i)}},
              {"readPoint", {{"id", "rdr-cage-rfid"}}}};
}

json document_with(std::size_t events) {
  json doc = json::parse(test::kObserveDocument);
  json list = json::array();
  for (std::size_t i = 0; i < events; ++i) list.push_back(observe_event(i));
  doc["epcisBody"]["eventList"] = std::move(list);
  return doc;
}

TEST(EpcisLimits, DefaultsAreDocumented) {
  const Limits l;
  // The EPCIS routes' HTTP body limit (16 MiB, api::EpcisSettings) and as many typical events as fit in it.
  EXPECT_EQ(l.max_body_bytes, 16u * 1024u * 1024u);
  EXPECT_EQ(l.max_events, 40'000u);
  EXPECT_EQ(l.max_epcs_per_event, 10'000u);
  EXPECT_EQ(l.max_string_bytes, 512u);
  EXPECT_EQ(l.max_depth, 32u);
  EXPECT_EQ(l.max_witnesses, 8u);
  EXPECT_EQ(l.max_errors, 50u);
}

TEST(EpcisLimits, EventsPerDocument) {
  Limits limits;
  limits.max_events = 5;
  EXPECT_TRUE(parse_capture_document(document_with(5).dump(), limits).ok());
  const auto over = parse_capture_document(document_with(6).dump(), limits);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().text(), "epcisBody.eventList: more than 5 events in one document");
}

TEST(EpcisLimits, FortyThousandEventsWithDefaultLimits) {
  const auto text = document_with(40'000).dump();
  EXPECT_LT(text.size(), Limits{}.max_body_bytes);
  const auto doc = parse_capture_document(text);
  ASSERT_TRUE(doc.ok()) << doc.error().text();
  EXPECT_EQ(doc->events.size(), 40'000u);
  const auto over = parse_capture_document(document_with(40'001).dump());
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().text(), "epcisBody.eventList: more than 40000 events in one document");
}

TEST(EpcisLimits, BodyOverTheBackstopNamesTheLimit) {
  Limits limits;
  limits.max_body_bytes = 1000;
  const auto over = parse_capture_document(std::string(1001, ' '), limits);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().text(), "$: body larger than 1000 bytes");
}

TEST(EpcisLimits, EpcsPerEvent) {
  Limits limits;
  limits.max_epcs_per_event = 3;
  json doc = document_with(1);
  doc["epcisBody"]["eventList"][0]["epcList"] = {"urn:epc:id:giai:1.a", "urn:epc:id:giai:1.b",
                                                 "urn:epc:id:giai:1.c"};
  EXPECT_TRUE(parse_capture_document(doc.dump(), limits).ok());
  doc["epcisBody"]["eventList"][0]["epcList"].push_back("urn:epc:id:giai:1.d");
  const auto over = parse_capture_document(doc.dump(), limits);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().text(), "epcisBody.eventList[0].epcList: more than 3 EPCs");
}

TEST(EpcisLimits, StringLength) {
  Limits limits;
  limits.max_string_bytes = 40;
  json doc = document_with(1);
  doc["epcisBody"]["eventList"][0]["epcList"] = {"urn:epc:id:giai:4012345." + std::string(16, 'x')};  // 40
  EXPECT_TRUE(parse_capture_document(doc.dump(), limits).ok());
  doc["epcisBody"]["eventList"][0]["epcList"] = {"urn:epc:id:giai:4012345." + std::string(17, 'x')};
  const auto over = parse_capture_document(doc.dump(), limits);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().text(), "epcisBody.eventList[0].epcList[0]: longer than 40 bytes");
}

TEST(EpcisLimits, Depth) {
  Limits limits;
  limits.max_depth = 8;
  json doc = document_with(1);
  // document(1) > epcisBody(2) > eventList(3) > event(4) > sensorElementList(5) > element(6) > a(7) > b(8)
  doc["epcisBody"]["eventList"][0]["sensorElementList"] = json::array({json{{"a", {{"b", json::object()}}}}});
  EXPECT_TRUE(parse_capture_document(doc.dump(), limits).ok());
  doc["epcisBody"]["eventList"][0]["sensorElementList"] =
      json::array({json{{"a", {{"b", {{"c", json::object()}}}}}}});
  const auto over = parse_capture_document(doc.dump(), limits);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().text(), "$: JSON nested deeper than 8 levels");
}

TEST(EpcisLimits, DeepNestingBombIsRefusedBeforeParsing) {
  const std::string bomb = std::string(100'000, '[') + std::string(100'000, ']');
  const auto parsed = parse_capture_document(bomb);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().text(), "$: JSON nested deeper than 32 levels");
  // Brackets inside strings do not count.
  json doc = document_with(1);
  doc["epcisBody"]["eventList"][0]["example:note"] = std::string(100, '[');
  EXPECT_TRUE(parse_capture_document(doc.dump()).ok());
}

TEST(EpcisLimits, BodySize) {
  Limits limits;
  limits.max_body_bytes = 100;
  const auto parsed = parse_capture_document(std::string(101, ' '), limits);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().text(), "$: body larger than 100 bytes");
}

TEST(EpcisLimits, Witnesses) {
  json doc = json::parse(test::kDestroyingDocument);
  json witnesses = json::array();
  for (int i = 0; i < 9; ++i) witnesses.push_back("person-" + std::to_string(i));
  doc["epcisBody"]["eventList"][0]["pc:witnesses"] = witnesses;
  const auto parsed = parse_capture_document(doc.dump());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().text(), "epcisBody.eventList[0].pc:witnesses: more than 8 witnesses");
}

TEST(EpcisLimits, ErrorListIsBoundedAndSaysHowManyMore) {
  Limits limits;
  limits.max_errors = 4;
  json doc = document_with(10);
  for (auto& ev : doc["epcisBody"]["eventList"]) ev["action"] = "nope";
  const auto parsed = parse_capture_document(doc.dump(), limits);
  ASSERT_FALSE(parsed.ok());
  ASSERT_EQ(parsed.errors().size(), 5u);
  EXPECT_EQ(parsed.errors()[3].path, "epcisBody.eventList[3].action");
  EXPECT_EQ(parsed.errors()[4].text(), "$: 6 more errors not listed");
}

}  // namespace
}  // namespace portcullis::epcis
