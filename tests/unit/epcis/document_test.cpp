// Valid EPCIS 2.0 input is accepted and normalised: documents, single events, CBV spellings, JSON-LD
// prefixes, event types other than ObjectEvent, idempotency keys and canonical forms.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "detail.hpp"
#include "examples.hpp"
#include "portcullis/epcis/capture.hpp"

namespace portcullis::epcis {
namespace {

using nlohmann::json;
using test::kCommissioningDocument;
using test::kDestroyingDocument;
using test::kObserveDocument;

core::Timestamp utc(int y, unsigned mo, unsigned d, int h, int mi, int s, int ms = 0) {
  using namespace std::chrono;
  return time_point_cast<core::Duration>(sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} +
                                         seconds{s} + milliseconds{ms});
}

TEST(EpcisDocument, CommissioningDocumentParses) {
  const auto doc = parse_capture_document(kCommissioningDocument);
  ASSERT_TRUE(doc.ok()) << doc.error().text();
  ASSERT_EQ(doc->events.size(), 2u);
  EXPECT_EQ(doc->creation_date, utc(2026, 11, 27, 9, 0, 0));

  const auto& first = doc->events[0];
  EXPECT_EQ(first.path, "epcisBody.eventList[0]");
  EXPECT_EQ(first.index, 0u);
  EXPECT_EQ(first.event_id, "urn:uuid:2f1d6f0e-6f55-4a53-9a7e-1b9a3c0f0001");
  EXPECT_EQ(first.type, EventType::ObjectEvent);
  EXPECT_EQ(first.event_time, utc(2026, 11, 27, 9, 0, 0));  // 10:00+01:00
  EXPECT_EQ(first.event_time_text, "2026-11-27T10:00:00.000+01:00");
  EXPECT_EQ(first.event_time_zone_offset, "+01:00");
  EXPECT_EQ(first.action, Action::Add);
  EXPECT_EQ(first.biz_step, "commissioning");
  EXPECT_EQ(first.disposition, "active");
  EXPECT_EQ(first.epc_list, std::vector<std::string>{"urn:epc:id:giai:4012345.GPU-0001"});
  EXPECT_EQ(first.read_point, "urn:portcullis:reader:rdr-rack-c01");
  EXPECT_EQ(first.biz_location, "urn:portcullis:rack:rack-c01");
  EXPECT_EQ(first.ilmd.asset_tag, "AMS-GPU-0001");
  EXPECT_EQ(first.ilmd.serial, "SN-H100-0001");
  EXPECT_EQ(first.ilmd.model, "HGX H100 8-GPU");
  EXPECT_EQ(first.ilmd.kind, "gpu_server");
  EXPECT_TRUE(first.ilmd.home_rack.empty());
  EXPECT_FALSE(first.ilmd.holds_model_weights);

  const auto& second = doc->events[1];
  EXPECT_EQ(second.biz_step, "commissioning");  // from the URN form
  EXPECT_EQ(second.disposition, "active");      // from the https://ref.gs1.org/cbv/ form
  EXPECT_EQ(second.ilmd.home_rack, core::RackId{"rack-c01"});
  EXPECT_TRUE(second.ilmd.holds_model_weights);
}

TEST(EpcisDocument, ObserveDocumentWithStandardExtrasAndForeignExtensions) {
  const auto doc = parse_capture_document(kObserveDocument);
  ASSERT_TRUE(doc.ok()) << doc.error().text();
  ASSERT_EQ(doc->events.size(), 1u);
  const auto& ev = doc->events[0];
  EXPECT_EQ(ev.action, Action::Observe);
  EXPECT_EQ(ev.biz_step, "inspecting");
  EXPECT_EQ(ev.disposition, "in_progress");
  EXPECT_EQ(ev.epc_list.size(), 2u);
  EXPECT_EQ(ev.read_point, "urn:epc:id:sgln:4012345.00001.cage1");
  EXPECT_TRUE(ev.biz_location.empty());
  EXPECT_EQ(ev.event_time, utc(2026, 11, 27, 11, 30, 47, 116));
}

TEST(EpcisDocument, DestroyingDocumentReadsCustodyUnderAnyBoundPrefix) {
  const auto doc = parse_capture_document(kDestroyingDocument);
  ASSERT_TRUE(doc.ok()) << doc.error().text();
  const auto& ev = doc->events.at(0);
  EXPECT_EQ(ev.action, Action::Delete);
  EXPECT_EQ(ev.biz_step, "destroying");
  ASSERT_EQ(ev.custody.witnesses.size(), 2u);
  EXPECT_EQ(ev.custody.witnesses[0], core::PersonId{"alice-nguyen"});
  EXPECT_EQ(ev.custody.witnesses[1], core::PersonId{"hana-sato"});
  EXPECT_EQ(ev.custody.destruction_method, "shred");
  // Normalised to lowercase hex.
  EXPECT_EQ(ev.custody.certificate_sha256,
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
}

TEST(EpcisDocument, UndeclaredPortcullisPrefixIsUnderstood) {
  json doc = json::parse(kDestroyingDocument);
  doc["@context"] = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
  auto& ev = doc["epcisBody"]["eventList"][0];
  ev["portcullis:witnesses"] = ev["pc:witnesses"];
  ev["portcullis:destructionMethod"] = "disintegrate";
  ev.erase("pc:witnesses");
  ev.erase("pc:destructionMethod");
  ev.erase("pc:certificateSha256");
  const auto parsed = parse_capture_document(doc.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.error().text();
  EXPECT_EQ(parsed->events[0].custody.witnesses.size(), 2u);
  EXPECT_EQ(parsed->events[0].custody.destruction_method, "disintegrate");
}

TEST(EpcisDocument, PrefixBoundElsewhereIsAnotherVocabulary) {
  // "portcullis" bound to another IRI: those keys are someone else's extension and are ignored.
  json doc = json::parse(kCommissioningDocument);
  doc["@context"][1]["portcullis"] = "http://ns.example.com/other/";
  const auto parsed = parse_capture_document(doc.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.error().text();
  EXPECT_TRUE(parsed->events[0].ilmd.serial.empty());
}

TEST(EpcisDocument, FullIriKeysInOurNamespace) {
  json doc = json::parse(kCommissioningDocument);
  auto& ilmd = doc["epcisBody"]["eventList"][0]["ilmd"];
  ilmd = json{{"urn:portcullis:epcis:serial", "SN-X"}, {"cbvmda:lotNumber", "LOT-7"}};
  const auto parsed = parse_capture_document(doc.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.error().text();
  EXPECT_EQ(parsed->events[0].ilmd.serial, "SN-X");
}

TEST(EpcisDocument, EmptyEventListIsAccepted) {
  const auto parsed =
      parse_capture_document(R"({"@context":"https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
    "type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-27T09:00:00Z","epcisBody":{"eventList":[]}})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().text();
  EXPECT_TRUE(parsed->events.empty());
}

TEST(EpcisDocument, OtherEventTypesAreAcceptedAndKeptShallow) {
  const std::string body = R"({
    "@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-11-27T09:00:00Z",
    "epcisBody": {"eventList": [
      {"type": "AggregationEvent", "eventID": "urn:uuid:a-1", "eventTime": "2026-11-27T09:00:00Z",
       "eventTimeZoneOffset": "+00:00", "parentID": "urn:epc:id:sscc:4012345.0000000001", "action": "ADD",
       "childEPCs": ["urn:epc:id:giai:4012345.SSD-0001", "urn:epc:id:giai:4012345.SSD-0002"],
       "bizStep": "packing", "disposition": "in_progress"},
      {"type": "TransformationEvent", "eventID": "urn:uuid:t-1", "eventTime": "2026-11-27T09:00:00Z",
       "eventTimeZoneOffset": "+00:00", "inputEPCList": ["urn:epc:id:giai:4012345.SSD-0001"],
       "outputEPCList": ["urn:epc:id:giai:4012345.SSD-0003"]},
      {"type": "TransactionEvent", "eventID": "urn:uuid:x-1", "eventTime": "2026-11-27T09:00:00Z",
       "eventTimeZoneOffset": "+00:00", "action": "ADD", "epcList": ["urn:epc:id:giai:4012345.SSD-0001"],
       "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:4012345000009:PO-1"}]},
      {"type": "AssociationEvent", "eventID": "urn:uuid:s-1", "eventTime": "2026-11-27T09:00:00Z",
       "eventTimeZoneOffset": "+00:00", "action": "ADD", "parentID": "urn:epc:id:grai:4012345.55555.1",
       "childEPCs": ["urn:epc:id:giai:4012345.SENSOR-1"]}
    ]}})";
  const auto parsed = parse_capture_document(body);
  ASSERT_TRUE(parsed.ok()) << parsed.error().text();
  ASSERT_EQ(parsed->events.size(), 4u);
  EXPECT_EQ(parsed->events[0].type, EventType::AggregationEvent);
  EXPECT_TRUE(parsed->events[0].epc_list.empty());  // childEPCs are validated, not kept
  EXPECT_EQ(parsed->events[1].type, EventType::TransformationEvent);
  EXPECT_FALSE(parsed->events[1].action.has_value());
  EXPECT_EQ(parsed->events[2].type, EventType::TransactionEvent);
  EXPECT_EQ(parsed->events[3].type, EventType::AssociationEvent);
}

TEST(EpcisDocument, CustomVocabularyUrisAreKeptAsSent) {
  json doc = json::parse(kObserveDocument);
  doc["epcisBody"]["eventList"][0]["bizStep"] = "https://ns.example.com/bizstep/rack-audit";
  doc["epcisBody"]["eventList"][0]["disposition"] = "urn:example:disp:quarantined";
  const auto parsed = parse_capture_document(doc.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.error().text();
  EXPECT_EQ(parsed->events[0].biz_step, "https://ns.example.com/bizstep/rack-audit");
  EXPECT_EQ(parsed->events[0].disposition, "urn:example:disp:quarantined");
}

TEST(EpcisSingleEvent, ParsesWithPathDollarAndOwnContext) {
  const auto ev = parse_capture_event(R"({
    "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"p": "urn:portcullis:epcis:"}],
    "type": "ObjectEvent", "eventID": "urn:uuid:single-1",
    "eventTime": "2026-11-27T12:00:00.5-06:00", "eventTimeZoneOffset": "-06:00",
    "epcList": ["urn:epc:id:giai:4012345.GPU-0003"], "action": "ADD", "bizStep": "commissioning",
    "ilmd": {"p:serial": "SN-3", "p:kind": "hsm"}})");
  ASSERT_TRUE(ev.ok()) << ev.error().text();
  EXPECT_EQ(ev->path, "$");
  EXPECT_EQ(ev->event_time, utc(2026, 11, 27, 18, 0, 0, 500));
  EXPECT_EQ(ev->ilmd.serial, "SN-3");
  EXPECT_EQ(ev->ilmd.kind, "hsm");
}

TEST(EpcisCbv, AllThreeSpellingsNormalise) {
  for (const char* form : {"commissioning", "urn:epcglobal:cbv:bizstep:commissioning",
                           "https://ref.gs1.org/cbv/BizStep-commissioning"}) {
    EXPECT_EQ(cbv_biz_step(form), "commissioning") << form;
  }
  for (const char* form :
       {"destroying", "urn:epcglobal:cbv:bizstep:destroying", "https://ref.gs1.org/cbv/BizStep-destroying"}) {
    EXPECT_EQ(cbv_biz_step(form), "destroying") << form;
  }
  for (const char* form :
       {"destroyed", "urn:epcglobal:cbv:disp:destroyed", "https://ref.gs1.org/cbv/Disp-destroyed"}) {
    EXPECT_EQ(cbv_disposition(form), "destroyed") << form;
  }
  EXPECT_FALSE(cbv_biz_step("Commissioning"));
  EXPECT_FALSE(cbv_biz_step("urn:epcglobal:cbv:disp:commissioning"));
  EXPECT_FALSE(cbv_biz_step("https://ref.gs1.org/cbv/Disp-commissioning"));
  EXPECT_FALSE(cbv_disposition("destroying"));
  EXPECT_TRUE(detail::vocabulary_tables_sorted());
}

TEST(EpcisIdempotency, KeyIsTheEventIdAndCanonicalFormIgnoresPosition) {
  const auto doc = parse_capture_document(kCommissioningDocument);
  ASSERT_TRUE(doc.ok());
  const auto& ev = doc->events[1];
  EXPECT_EQ(idempotency_key(ev), "urn:uuid:2f1d6f0e-6f55-4a53-9a7e-1b9a3c0f0002");

  // The same event sent alone through POST /epcis/events, with the URN bizStep spelled bare and its time
  // written in UTC: same meaning, same canonical form.
  json alone = json::parse(kCommissioningDocument)["epcisBody"]["eventList"][1];
  alone["bizStep"] = "commissioning";
  alone["disposition"] = "active";
  alone["eventTime"] = "2026-11-27T09:01:00Z";
  const auto single = parse_capture_event(alone.dump());
  ASSERT_TRUE(single.ok()) << single.error().text();
  EXPECT_EQ(canonical_form(*single), canonical_form(ev));
  EXPECT_NE(single->path, ev.path);

  // A retry that changes content under the same eventID is distinguishable (a conflict).
  alone["ilmd"]["portcullis:serial"] = "SN-OTHER";
  const auto changed = parse_capture_event(alone.dump());
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(idempotency_key(*changed), idempotency_key(ev));
  EXPECT_NE(canonical_form(*changed), canonical_form(ev));
}

TEST(EpcisIdempotency, HashStyleEventIdsAreAccepted) {
  const auto doc = parse_capture_document(kObserveDocument);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(idempotency_key(doc->events[0]).rfind("ni:///sha-256;", 0), 0u);
}

TEST(EpcisErrorsJson, ProjectFormatWithEpcisExceptionType) {
  const FieldErrors errors{{"epcisBody.eventList[3].action", "must be ADD, OBSERVE or DELETE"},
                           {"epcisBody.eventList[4].eventTime", "required"}};
  const json j = json::parse(errors_to_json(errors));
  EXPECT_EQ(j["type"], "epcisException:ValidationException");
  EXPECT_EQ(j["error"]["field"], "epcisBody.eventList[3].action");
  EXPECT_EQ(j["error"]["message"], "must be ADD, OBSERVE or DELETE");
  ASSERT_EQ(j["errors"].size(), 2u);
  EXPECT_EQ(j["errors"][1]["field"], "epcisBody.eventList[4].eventTime");
  EXPECT_EQ(errors[0].text(), "epcisBody.eventList[3].action: must be ADD, OBSERVE or DELETE");
}

}  // namespace
}  // namespace portcullis::epcis
