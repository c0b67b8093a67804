// What events mean to Portcullis: OBSERVE -> observations, ADD commissioning -> registrations, DELETE
// destroying -> destructions (two distinct witnesses or refused), the rest not applied; locations.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "examples.hpp"
#include "portcullis/epcis/capture.hpp"
#include "portcullis/epcis/mapping.hpp"

namespace portcullis::epcis {
namespace {

using nlohmann::json;
using test::test_site;

CaptureEvent parse_one(const json& event) {
  auto parsed = parse_capture_event(event.dump());
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().text());
  return parsed.ok() ? std::move(parsed).value() : CaptureEvent{};
}

json event_of(const std::string& document, std::size_t i = 0) {
  return json::parse(document)["epcisBody"]["eventList"][i];
}

// ---- locations ----

TEST(EpcisLocation, ExplicitUrnForms) {
  const auto site = test_site();
  const auto reader =
      resolve_location("urn:portcullis:reader:rdr-cage-rfid", LocationRole::ReadPoint, site, "p");
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(*reader, (Place{PlaceKind::Reader, "rdr-cage-rfid"}));
  const auto rack = resolve_location("urn:portcullis:rack:rack-c02", LocationRole::BizLocation, site, "p");
  ASSERT_TRUE(rack.ok());
  EXPECT_EQ(*rack, (Place{PlaceKind::Rack, "rack-c02"}));
  const auto zone = resolve_location("urn:portcullis:zone:cage", LocationRole::BizLocation, site, "p");
  ASSERT_TRUE(zone.ok());
  EXPECT_EQ(*zone, (Place{PlaceKind::Zone, "cage"}));
}

TEST(EpcisLocation, PlainIdsDependOnTheRole) {
  const auto site = test_site();
  EXPECT_EQ(*resolve_location("rdr-rack-c01", LocationRole::ReadPoint, site, "p"),
            (Place{PlaceKind::Reader, "rdr-rack-c01"}));
  EXPECT_EQ(*resolve_location("rack-c01", LocationRole::BizLocation, site, "p"),
            (Place{PlaceKind::Rack, "rack-c01"}));
  EXPECT_EQ(*resolve_location("compute-hall", LocationRole::BizLocation, site, "p"),
            (Place{PlaceKind::Zone, "compute-hall"}));
}

TEST(EpcisLocation, AliasesForSglnAndOtherUris) {
  const auto site = test_site();
  EXPECT_EQ(*resolve_location("urn:epc:id:sgln:4012345.00001.cage1", LocationRole::ReadPoint, site, "p"),
            (Place{PlaceKind::Reader, "rdr-cage-rfid"}));
  EXPECT_EQ(*resolve_location("urn:epc:id:sgln:4012345.00001.0", LocationRole::BizLocation, site, "p"),
            (Place{PlaceKind::Zone, "compute-hall"}));
}

TEST(EpcisLocation, RefusalsNameTheField) {
  const auto site = test_site();
  const auto check = [&](std::string_view id, LocationRole role, std::string_view expected) {
    const auto r = resolve_location(id, role, site, "epcisBody.eventList[2].readPoint.id");
    ASSERT_FALSE(r.ok()) << id;
    EXPECT_EQ(r.error().path, "epcisBody.eventList[2].readPoint.id");
    EXPECT_NE(r.error().message.find(expected), std::string::npos) << r.error().message;
  };
  check("rdr-nowhere", LocationRole::ReadPoint, "unknown RFID reader 'rdr-nowhere'");
  check("urn:portcullis:reader:rdr-nowhere", LocationRole::ReadPoint, "unknown RFID reader");
  check("urn:portcullis:rack:rack-c01", LocationRole::ReadPoint,
        "names a rack; a readPoint must be a reader");
  check("urn:portcullis:reader:rdr-rack-c01", LocationRole::BizLocation,
        "names a reader; a bizLocation must be");
  check("urn:portcullis:door:d1", LocationRole::ReadPoint, "unknown location kind 'door'");
  check("urn:portcullis:reader:", LocationRole::ReadPoint, "expected urn:portcullis:<reader|rack|zone>:<id>");
  check("urn:epc:id:sgln:9999999.00001.0", LocationRole::ReadPoint, "unknown location");
  check("no-such-place", LocationRole::BizLocation, "unknown rack or zone");
}

// ---- OBSERVE ----

TEST(EpcisMapping, ObserveGivesOneObservationPerEpcAtTheReader) {
  const auto doc = parse_capture_document(test::kObserveDocument);
  ASSERT_TRUE(doc.ok());
  const auto mapped = map_document(*doc, test_site());
  ASSERT_TRUE(mapped.ok()) << mapped.error().text();
  ASSERT_EQ(mapped->size(), 1u);
  const auto& m = mapped->front();
  EXPECT_EQ(m.effect, Effect::Observe);
  EXPECT_EQ(m.event_id, doc->events[0].event_id);
  ASSERT_EQ(m.observations.size(), 2u);
  EXPECT_EQ(m.observations[0].epc, "urn:epc:id:giai:4012345.GPU-0001");
  EXPECT_EQ(m.observations[1].epc, "urn:epc:id:giai:4012345.GPU-0002");
  for (const auto& o : m.observations) {
    EXPECT_EQ(o.reader, core::ReaderId{"rdr-cage-rfid"});  // the SGLN alias
    EXPECT_TRUE(o.at_rack.empty());
    EXPECT_TRUE(o.at_zone.empty());
    EXPECT_EQ(o.at, doc->events[0].event_time);
  }
}

TEST(EpcisMapping, ObserveBizLocationPlacesTheReadInARackOrZone) {
  json ev = event_of(test::kObserveDocument);
  ev["readPoint"]["id"] = "rdr-rack-c01";
  ev["bizLocation"] = {{"id", "urn:portcullis:rack:rack-c02"}};
  auto mapped = map_event(parse_one(ev), test_site());
  ASSERT_TRUE(mapped.ok()) << mapped.error().text();
  EXPECT_EQ(mapped->observations[0].reader, core::ReaderId{"rdr-rack-c01"});
  EXPECT_EQ(mapped->observations[0].at_rack, core::RackId{"rack-c02"});
  EXPECT_TRUE(mapped->observations[0].at_zone.empty());

  ev["bizLocation"] = {{"id", "cage"}};
  mapped = map_event(parse_one(ev), test_site());
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(mapped->observations[0].at_zone, core::ZoneId{"cage"});
  EXPECT_TRUE(mapped->observations[0].at_rack.empty());
}

TEST(EpcisMapping, ObserveWithoutReadPointIsRefused) {
  json ev = event_of(test::kObserveDocument);
  ev.erase("readPoint");
  ev["bizLocation"] = {{"id", "cage"}};
  const auto mapped = map_event(parse_one(ev), test_site());
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.error().path, "readPoint.id");
  EXPECT_NE(mapped.error().message.find("required for OBSERVE"), std::string::npos);
}

// ---- ADD commissioning ----

TEST(EpcisMapping, CommissioningRegistersWithIlmdAttributes) {
  const auto doc = parse_capture_document(test::kCommissioningDocument);
  ASSERT_TRUE(doc.ok());
  const auto mapped = map_document(*doc, test_site());
  ASSERT_TRUE(mapped.ok()) << mapped.error().text();
  ASSERT_EQ(mapped->size(), 2u);
  const auto& first = (*mapped)[0];
  EXPECT_EQ(first.effect, Effect::Register);
  ASSERT_EQ(first.registrations.size(), 1u);
  const auto& r = first.registrations[0];
  EXPECT_EQ(r.asset, core::AssetId{"AMS-GPU-0001"});  // the asset tag
  EXPECT_EQ(r.epc, "urn:epc:id:giai:4012345.GPU-0001");
  EXPECT_EQ(r.attributes.serial, "SN-H100-0001");
  EXPECT_EQ(r.attributes.model, "HGX H100 8-GPU");
  EXPECT_EQ(r.attributes.kind, "gpu_server");
  EXPECT_EQ(r.attributes.home_rack, core::RackId{"rack-c01"});  // from bizLocation (a rack)
  EXPECT_EQ(r.at, doc->events[0].event_time);
  EXPECT_EQ((*mapped)[1].registrations[0].attributes.home_rack, core::RackId{"rack-c01"});  // from ilmd
}

TEST(EpcisMapping, CommissioningSeveralEpcsWithoutTagUsesTheEpcAsAssetId) {
  json ev = event_of(test::kCommissioningDocument);
  ev["epcList"] = {"urn:epc:id:giai:4012345.SSD-0001", "urn:epc:id:sgtin:4012345.012345.77"};
  ev["ilmd"] = {{"portcullis:model", "PM1733 7.68TB"}, {"portcullis:kind", "storage_drive"}};
  const auto mapped = map_event(parse_one(ev), test_site());
  ASSERT_TRUE(mapped.ok()) << mapped.error().text();
  ASSERT_EQ(mapped->registrations.size(), 2u);
  EXPECT_EQ(mapped->registrations[0].asset, core::AssetId{"urn:epc:id:giai:4012345.SSD-0001"});
  EXPECT_EQ(mapped->registrations[1].asset, core::AssetId{"urn:epc:id:sgtin:4012345.012345.77"});
  EXPECT_EQ(mapped->registrations[1].attributes.kind, "storage_drive");
}

TEST(EpcisMapping, CommissioningNeedsGiaiOrSgtinUrnAndAKnownHomeRack) {
  json ev = event_of(test::kCommissioningDocument, 1);
  ev["epcList"] = {"https://id.gs1.org/8004/4012345GPU0002"};
  ev["ilmd"].erase("portcullis:assetTag");
  ev["ilmd"].erase("portcullis:serial");
  ev["ilmd"]["portcullis:homeRack"] = "rack-z99";
  const auto mapped = map_event(parse_one(ev), test_site());
  ASSERT_FALSE(mapped.ok());
  ASSERT_EQ(mapped.errors().size(), 2u);
  EXPECT_EQ(mapped.errors()[0].path, "epcList[0]");
  EXPECT_NE(mapped.errors()[0].message.find("urn:epc:id:giai:"), std::string::npos);
  EXPECT_EQ(mapped.errors()[1].text(), "ilmd.portcullis:homeRack: unknown rack 'rack-z99'");
}

TEST(EpcisMapping, AddWithoutCommissioningIsNotApplied) {
  json ev = event_of(test::kCommissioningDocument);
  ev["bizStep"] = "receiving";
  const auto mapped = map_event(parse_one(ev), test_site());
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(mapped->effect, Effect::NotApplied);
  EXPECT_NE(mapped->not_applied_reason.find("only with bizStep commissioning"), std::string::npos);
  EXPECT_TRUE(mapped->registrations.empty());
}

TEST(EpcisMapping, WrongBizLocationIsRefusedEvenWhenNotApplied) {
  json ev = event_of(test::kCommissioningDocument);
  ev["bizStep"] = "receiving";
  ev["bizLocation"]["id"] = "urn:portcullis:rack:nowhere";
  const auto mapped = map_event(parse_one(ev), test_site());
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.error().text(), "bizLocation.id: unknown rack 'nowhere'");
}

// ---- DELETE destroying ----

TEST(EpcisMapping, DestroyingRecordsDestructionWithTwoWitnesses) {
  const auto doc = parse_capture_document(test::kDestroyingDocument);
  ASSERT_TRUE(doc.ok());
  const auto mapped = map_document(*doc, test_site());
  ASSERT_TRUE(mapped.ok()) << mapped.error().text();
  const auto& m = mapped->front();
  EXPECT_EQ(m.effect, Effect::Destroy);
  ASSERT_EQ(m.destructions.size(), 1u);
  const auto& d = m.destructions[0];
  EXPECT_EQ(d.epc, "urn:epc:id:giai:4012345.SSD-0042");
  EXPECT_EQ(d.method, "shred");
  EXPECT_EQ(d.witnesses[0], core::PersonId{"alice-nguyen"});
  EXPECT_EQ(d.witnesses[1], core::PersonId{"hana-sato"});
  EXPECT_EQ(d.certificate_sha256, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
}

TEST(EpcisMapping, DestroyingWithoutWitnessesIsRefused) {
  json doc = json::parse(test::kDestroyingDocument);
  doc["epcisBody"]["eventList"][0].erase("pc:witnesses");
  const auto parsed = parse_capture_document(doc.dump());
  ASSERT_TRUE(parsed.ok());
  const auto mapped = map_document(*parsed, test_site());
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.error().path, "epcisBody.eventList[0].portcullis:witnesses");
  EXPECT_NE(mapped.error().message.find("two distinct witnesses"), std::string::npos);
}

TEST(EpcisMapping, DestroyingNeedsTwoDistinctWitnessesAndAMethod) {
  json ev = event_of(test::kDestroyingDocument);
  ev["pc:witnesses"] = {"alice-nguyen", "alice-nguyen"};
  ev.erase("pc:destructionMethod");
  ev["@context"] = {{"pc", "urn:portcullis:epcis:"}};
  auto mapped = map_event(parse_one(ev), test_site());
  ASSERT_FALSE(mapped.ok());
  ASSERT_EQ(mapped.errors().size(), 2u);
  EXPECT_EQ(mapped.errors()[0].text(),
            "portcullis:witnesses: destruction needs exactly two distinct witnesses");
  EXPECT_EQ(mapped.errors()[1].path, "portcullis:destructionMethod");

  ev["pc:witnesses"] = {"alice-nguyen"};
  ev["pc:destructionMethod"] = "shred";
  mapped = map_event(parse_one(ev), test_site());
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.error().message, "destruction needs exactly two distinct witnesses");

  ev["pc:witnesses"] = {"alice-nguyen", "hana-sato", "ivan-petrov"};
  mapped = map_event(parse_one(ev), test_site());
  ASSERT_FALSE(mapped.ok());
}

TEST(EpcisMapping, DeleteWithOtherBizStepIsNotApplied) {
  json ev = event_of(test::kDestroyingDocument);
  ev["bizStep"] = "urn:epcglobal:cbv:bizstep:decommissioning";
  ev["@context"] = {{"pc", "urn:portcullis:epcis:"}};
  const auto mapped = map_event(parse_one(ev), test_site());
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(mapped->effect, Effect::NotApplied);
  EXPECT_NE(mapped->not_applied_reason.find("only with bizStep destroying"), std::string::npos);
}

// ---- not applied, all or nothing ----

TEST(EpcisMapping, OtherEventTypesAndQuantityOnlyAreNotApplied) {
  json agg = {{"type", "AggregationEvent"},
              {"eventID", "urn:uuid:agg"},
              {"eventTime", "2026-11-27T09:00:00Z"},
              {"eventTimeZoneOffset", "+00:00"},
              {"action", "OBSERVE"},
              {"parentID", "urn:epc:id:sscc:4012345.0000000001"}};
  auto mapped = map_event(parse_one(agg), test_site());
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(mapped->effect, Effect::NotApplied);
  EXPECT_EQ(mapped->not_applied_reason,
            "only ObjectEvent is applied; AggregationEvent is accepted and recorded as not applied");

  json quantity = event_of(test::kObserveDocument);
  quantity.erase("epcList");
  quantity["quantityList"] = {{{"epcClass", "urn:epc:class:lgtin:4012345.012345.LOT1"}, {"quantity", 4}}};
  mapped = map_event(parse_one(quantity), test_site());
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(mapped->effect, Effect::NotApplied);
  EXPECT_NE(mapped->not_applied_reason.find("quantityList"), std::string::npos);
}

TEST(EpcisMapping, DocumentIsAllOrNothingAndListsEveryBadEvent) {
  json doc = json::parse(test::kCommissioningDocument);
  doc["epcisBody"]["eventList"][0]["bizLocation"]["id"] = "urn:portcullis:rack:rack-x";
  doc["epcisBody"]["eventList"][1]["ilmd"]["portcullis:homeRack"] = "rack-y";
  const auto parsed = parse_capture_document(doc.dump());
  ASSERT_TRUE(parsed.ok());
  const auto mapped = map_document(*parsed, test_site());
  ASSERT_FALSE(mapped.ok());
  ASSERT_EQ(mapped.errors().size(), 2u);
  EXPECT_EQ(mapped.errors()[0].text(), "epcisBody.eventList[0].bizLocation.id: unknown rack 'rack-x'");
  EXPECT_EQ(mapped.errors()[1].text(),
            "epcisBody.eventList[1].ilmd.portcullis:homeRack: unknown rack 'rack-y'");
}

TEST(EpcisMapping, EffectNames) {
  EXPECT_EQ(to_string(Effect::Observe), "observe");
  EXPECT_EQ(to_string(Effect::Register), "register");
  EXPECT_EQ(to_string(Effect::Destroy), "destroy");
  EXPECT_EQ(to_string(Effect::NotApplied), "not_applied");
  EXPECT_EQ(to_string(PlaceKind::Zone), "zone");
}

}  // namespace
}  // namespace portcullis::epcis
