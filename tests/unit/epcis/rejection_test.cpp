// Every refusal names the event and the field: one mutation of a valid document per case, and the
// exact path plus the key words of the message are pinned.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "examples.hpp"
#include "portcullis/epcis/capture.hpp"

namespace portcullis::epcis {
namespace {

using nlohmann::json;

struct Case {
  const char* name;
  std::function<void(json&)> mutate;
  const char* path;
  const char* message_contains;
};

json& event0(json& doc) {
  return doc["epcisBody"]["eventList"][0];
}
json& event1(json& doc) {
  return doc["epcisBody"]["eventList"][1];
}

std::vector<Case> cases() {
  return {
      {"document not an object", [](json& d) { d = json::array(); }, "$", "expected an EPCISDocument object"},
      {"wrong document type", [](json& d) { d["type"] = "EPCISQueryDocument"; }, "type", "EPCISDocument"},
      {"wrong schema version", [](json& d) { d["schemaVersion"] = "1.2"; }, "schemaVersion", "\"2.0\""},
      {"schema version as number", [](json& d) { d["schemaVersion"] = 2.0; }, "schemaVersion", "\"2.0\""},
      {"missing context", [](json& d) { d.erase("@context"); }, "@context", "required"},
      {"context without EPCIS", [](json& d) { d["@context"] = "https://schema.org/"; }, "@context",
       "EPCIS 2.0 context"},
      {"context entry of wrong type", [](json& d) { d["@context"][1] = 5; }, "@context[1]",
       "prefix bindings"},
      {"missing creationDate", [](json& d) { d.erase("creationDate"); }, "creationDate", "required"},
      {"creationDate without offset", [](json& d) { d["creationDate"] = "2026-11-27T09:00:00"; },
       "creationDate", "RFC 3339"},
      {"unknown document field", [](json& d) { d["eventList"] = json::array(); }, "eventList",
       "unknown field"},
      {"missing body", [](json& d) { d.erase("epcisBody"); }, "epcisBody", "required"},
      {"query results instead of events",
       [](json& d) {
         d["epcisBody"] = {{"queryResults", json::object()}};
       },
       "epcisBody.queryResults", "unknown field"},
      {"eventList not an array", [](json& d) { d["epcisBody"]["eventList"] = json::object(); },
       "epcisBody.eventList", "array"},
      {"event not an object", [](json& d) { event1(d) = "ObjectEvent"; }, "epcisBody.eventList[1]",
       "expected an event object"},
      {"missing type", [](json& d) { event1(d).erase("type"); }, "epcisBody.eventList[1].type", "required"},
      {"unknown type", [](json& d) { event1(d)["type"] = "ThingEvent"; }, "epcisBody.eventList[1].type",
       "ObjectEvent, AggregationEvent"},
      {"missing eventID", [](json& d) { event1(d).erase("eventID"); }, "epcisBody.eventList[1].eventID",
       "idempotency"},
      {"eventID not a URI", [](json& d) { event1(d)["eventID"] = "12345"; }, "epcisBody.eventList[1].eventID",
       "expected a URI"},
      {"eventID with spaces", [](json& d) { event1(d)["eventID"] = "urn:uuid:a b"; },
       "epcisBody.eventList[1].eventID", "spaces"},
      {"empty eventID", [](json& d) { event1(d)["eventID"] = ""; }, "epcisBody.eventList[1].eventID",
       "empty"},
      {"duplicate eventID", [](json& d) { event1(d)["eventID"] = event0(d)["eventID"]; },
       "epcisBody.eventList[1].eventID", "duplicate of epcisBody.eventList[0].eventID"},
      {"missing eventTime", [](json& d) { event1(d).erase("eventTime"); }, "epcisBody.eventList[1].eventTime",
       "required"},
      {"eventTime without offset", [](json& d) { event1(d)["eventTime"] = "2026-11-27T10:01:00"; },
       "epcisBody.eventList[1].eventTime", "with an offset"},
      {"eventTime impossible date", [](json& d) { event1(d)["eventTime"] = "2026-02-30T10:01:00Z"; },
       "epcisBody.eventList[1].eventTime", "RFC 3339"},
      {"eventTime as number", [](json& d) { event1(d)["eventTime"] = 1764237660; },
       "epcisBody.eventList[1].eventTime", "date-time string"},
      {"missing offset", [](json& d) { event1(d).erase("eventTimeZoneOffset"); },
       "epcisBody.eventList[1].eventTimeZoneOffset", "required"},
      {"offset out of range", [](json& d) { event1(d)["eventTimeZoneOffset"] = "+15:00"; },
       "epcisBody.eventList[1].eventTimeZoneOffset", "-14:00 to +14:00"},
      {"offset as Z", [](json& d) { event1(d)["eventTimeZoneOffset"] = "Z"; },
       "epcisBody.eventList[1].eventTimeZoneOffset", "+01:00"},
      {"missing action", [](json& d) { event1(d).erase("action"); }, "epcisBody.eventList[1].action",
       "required for ObjectEvent"},
      {"lowercase action", [](json& d) { event1(d)["action"] = "add"; }, "epcisBody.eventList[1].action",
       "must be ADD, OBSERVE or DELETE"},
      {"unknown action", [](json& d) { event1(d)["action"] = "DESTROY"; }, "epcisBody.eventList[1].action",
       "must be ADD, OBSERVE or DELETE"},
      {"action on TransformationEvent",
       [](json& d) {
         event1(d)["type"] = "TransformationEvent";
         event1(d).erase("epcList");
         event1(d).erase("ilmd");
       },
       "epcisBody.eventList[1].action", "unknown field for TransformationEvent"},
      {"bare bizStep outside the CBV", [](json& d) { event1(d)["bizStep"] = "commision"; },
       "epcisBody.eventList[1].bizStep", "not a CBV 2.0 bizStep"},
      {"unknown name in the CBV URN space",
       [](json& d) { event1(d)["bizStep"] = "urn:epcglobal:cbv:bizstep:teleporting"; },
       "epcisBody.eventList[1].bizStep", "not a CBV 2.0 bizStep"},
      {"disposition URI of the wrong CBV list",
       [](json& d) { event1(d)["disposition"] = "https://ref.gs1.org/cbv/BizStep-active"; },
       "epcisBody.eventList[1].disposition", "not a CBV 2.0 disposition"},
      {"epcList not an array", [](json& d) { event1(d)["epcList"] = "urn:epc:id:giai:4012345.X"; },
       "epcisBody.eventList[1].epcList", "array of EPC URIs"},
      {"EPC not a URI", [](json& d) { event1(d)["epcList"] = {"GPU-0002"}; },
       "epcisBody.eventList[1].epcList[0]", "expected a URI"},
      {"EPC of wrong type", [](json& d) { event1(d)["epcList"] = {42}; }, "epcisBody.eventList[1].epcList[0]",
       "expected a string"},
      {"duplicate EPC",
       [](json& d) {
         event1(d)["epcList"] = {"urn:epc:id:giai:4012345.A", "urn:epc:id:giai:4012345.A"};
       },
       "epcisBody.eventList[1].epcList[1]", "duplicate of epcisBody.eventList[1].epcList[0]"},
      {"readPoint not an object", [](json& d) { event1(d)["readPoint"] = "rdr-rack-c01"; },
       "epcisBody.eventList[1].readPoint", "object with an \"id\""},
      {"readPoint without id", [](json& d) { event1(d)["readPoint"] = json::object(); },
       "epcisBody.eventList[1].readPoint.id", "required"},
      {"bizLocation id with control character", [](json& d) { event1(d)["bizLocation"]["id"] = "rack\tc01"; },
       "epcisBody.eventList[1].bizLocation.id", "control characters"},
      {"unknown unprefixed field", [](json& d) { event1(d)["evenTime"] = "2026-11-27T10:01:00Z"; },
       "epcisBody.eventList[1].evenTime", "namespace prefix"},
      {"AggregationEvent field on ObjectEvent", [](json& d) { event1(d)["childEPCs"] = json::array(); },
       "epcisBody.eventList[1].childEPCs", "unknown field for ObjectEvent"},
      {"errorDeclaration",
       [](json& d) {
         event1(d)["errorDeclaration"] = {{"declarationTime", "2026-11-27T10:05:00Z"}};
       },
       "epcisBody.eventList[1].errorDeclaration", "not supported"},
      {"bizTransactionList of strings", [](json& d) { event1(d)["bizTransactionList"] = {"po-1"}; },
       "epcisBody.eventList[1].bizTransactionList[0]", "expected an object"},
      {"recordTime garbage", [](json& d) { event1(d)["recordTime"] = "yesterday"; },
       "epcisBody.eventList[1].recordTime", "RFC 3339"},
      {"ilmd not an object", [](json& d) { event1(d)["ilmd"] = json::array(); },
       "epcisBody.eventList[1].ilmd", "expected an object"},
      {"ilmd field without prefix", [](json& d) { event1(d)["ilmd"]["serial"] = "SN"; },
       "epcisBody.eventList[1].ilmd.serial", "namespace prefix"},
      {"unknown Portcullis ilmd field", [](json& d) { event1(d)["ilmd"]["portcullis:colour"] = "red"; },
       "epcisBody.eventList[1].ilmd.portcullis:colour",
       "assetTag, serial, model, kind, homeRack, holdsModelWeights"},
      {"holdsModelWeights not a boolean",
       [](json& d) { event1(d)["ilmd"]["portcullis:holdsModelWeights"] = "yes"; },
       "epcisBody.eventList[1].ilmd.portcullis:holdsModelWeights", "true or false"},
      {"unknown asset kind", [](json& d) { event1(d)["ilmd"]["portcullis:kind"] = "toaster"; },
       "epcisBody.eventList[1].ilmd.portcullis:kind", "gpu_server, storage_drive"},
      {"witnesses inside ilmd",
       [](json& d) {
         event1(d)["ilmd"]["portcullis:witnesses"] = {"a", "b"};
       },
       "epcisBody.eventList[1].ilmd.portcullis:witnesses", "on the event itself"},
      {"serial outside ilmd", [](json& d) { event1(d)["portcullis:serial"] = "SN"; },
       "epcisBody.eventList[1].portcullis:serial", "belongs in ilmd"},
      {"unknown Portcullis event field", [](json& d) { event1(d)["portcullis:witness"] = "alice"; },
       "epcisBody.eventList[1].portcullis:witness", "witnesses, destructionMethod, certificateSha256"},
      {"witnesses not an array", [](json& d) { event1(d)["portcullis:witnesses"] = "alice-nguyen"; },
       "epcisBody.eventList[1].portcullis:witnesses", "non-empty array"},
      {"witness id of wrong type",
       [](json& d) {
         event1(d)["portcullis:witnesses"] = {"alice-nguyen", 7};
       },
       "epcisBody.eventList[1].portcullis:witnesses[1]", "expected a string"},
      {"certificate hash too short", [](json& d) { event1(d)["portcullis:certificateSha256"] = "abc123"; },
       "epcisBody.eventList[1].portcullis:certificateSha256", "64 hexadecimal digits"},
      {"serial with two EPCs",
       [](json& d) {
         event1(d)["epcList"] = {"urn:epc:id:giai:4012345.A", "urn:epc:id:giai:4012345.B"};
       },
       "epcisBody.eventList[1].ilmd.portcullis:serial", "exactly one EPC"},
      {"TransactionEvent without bizTransactionList",
       [](json& d) {
         event1(d)["type"] = "TransactionEvent";
         event1(d).erase("ilmd");
       },
       "epcisBody.eventList[1].bizTransactionList", "required for TransactionEvent"},
  };
}

TEST(EpcisRejection, EveryCaseNamesItsField) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    json doc = json::parse(test::kCommissioningDocument);
    c.mutate(doc);
    const auto parsed = parse_capture_document(doc.dump());
    ASSERT_FALSE(parsed.ok());
    const auto& errors = parsed.errors();
    const auto match = std::find_if(errors.begin(), errors.end(), [&](const FieldError& e) {
      return e.path == c.path && e.message.find(c.message_contains) != std::string::npos;
    });
    std::string all;
    for (const auto& e : errors) all += e.text() + "\n";
    EXPECT_NE(match, errors.end()) << "wanted " << c.path << ": ..." << c.message_contains << "...\ngot:\n"
                                   << all;
  }
}

TEST(EpcisRejection, NotJsonNamesTheByte) {
  const auto parsed = parse_capture_document(R"({"type": "EPCISDocument",)");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().path, "$");
  EXPECT_NE(parsed.error().message.find("malformed JSON at byte"), std::string::npos);
}

TEST(EpcisRejection, InvalidUtf8IsRefusedNotThrown) {
  const std::string body = "{\"type\": \"EPCISDocument\", \"x\": \"\xff\xfe\"}";
  const auto parsed = parse_capture_document(body);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().path, "$");
}

TEST(EpcisRejection, AllErrorsOfAllEventsAreReportedInOrder) {
  json doc = json::parse(test::kCommissioningDocument);
  event0(doc)["action"] = "add";
  event1(doc).erase("eventTime");
  event1(doc)["bizStep"] = "commision";
  const auto parsed = parse_capture_document(doc.dump());
  ASSERT_FALSE(parsed.ok());
  ASSERT_EQ(parsed.errors().size(), 3u);
  EXPECT_EQ(parsed.errors()[0].text(), "epcisBody.eventList[0].action: must be ADD, OBSERVE or DELETE");
  EXPECT_EQ(parsed.errors()[1].path, "epcisBody.eventList[1].eventTime");
  EXPECT_EQ(parsed.errors()[2].path, "epcisBody.eventList[1].bizStep");
}

TEST(EpcisRejection, SingleEventPathsAreRelativeToTheEvent) {
  json ev = json::parse(test::kCommissioningDocument)["epcisBody"]["eventList"][0];
  ev["action"] = "MOVE";
  const auto parsed = parse_capture_event(ev.dump());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().text(), "action: must be ADD, OBSERVE or DELETE");

  const auto not_object = parse_capture_event("[1,2]");
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.error().text(), "$: expected an event object");
}

// Found by fuzz_epcis_capture: an empty JSON key must still be named.
TEST(EpcisRejection, EmptyKeysAreNamed) {
  json doc = json::parse(test::kCommissioningDocument);
  doc[""] = 1;
  event1(doc)[""] = 2;
  const auto parsed = parse_capture_document(doc.dump());
  ASSERT_FALSE(parsed.ok());
  ASSERT_EQ(parsed.errors().size(), 2u);
  EXPECT_EQ(parsed.errors()[0].path, "$[\"\"]");
  EXPECT_EQ(parsed.errors()[1].path, "epcisBody.eventList[1][\"\"]");

  const auto single = parse_capture_event(R"({"type":"ObjectEvent","":{}})");
  ASSERT_FALSE(single.ok());
  for (const auto& e : single.errors()) EXPECT_FALSE(e.path.empty());
}

TEST(EpcisRejection, MessagesQuoteBoundedValues) {
  json doc = json::parse(test::kCommissioningDocument);
  event1(doc)["bizStep"] = "x" + std::string(400, 'y');
  const auto parsed = parse_capture_document(doc.dump());
  ASSERT_FALSE(parsed.ok());
  EXPECT_LT(parsed.error().message.size(), 300u);
}

}  // namespace
}  // namespace portcullis::epcis
