// Documents exactly as GS1's epcis2.js (tests/e2e/epcis/capture.mjs) built and sent them, captured from the
// wire: they parse and map as the end-to-end test expects, and the deliberate mistakes are refused naming
// their field. Regenerate with `node capture.mjs --dry-run` if the client changes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "examples.hpp"
#include "portcullis/epcis/capture.hpp"
#include "portcullis/epcis/mapping.hpp"

namespace portcullis::epcis {
namespace {

std::string data(const std::string& name) {
  std::ifstream in(std::filesystem::path(PORTCULLIS_EPCIS_TEST_DATA) / name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  EXPECT_FALSE(out.str().empty()) << name;
  return out.str();
}

SiteDirectory example_site() {
  SiteDirectory s;
  s.readers = {"rfid-audit-hall", "rfid-rack-c01"};
  s.racks = {"rack-c01", "rack-c02"};
  s.zones = {"compute-hall"};
  return s;
}

TEST(EpcisInterop, CommissioningFromEpcis2js) {
  const auto doc = parse_capture_document(data("epcis2js_commission.json"));
  ASSERT_TRUE(doc.ok()) << doc.error().text();
  const auto mapped = map_document(*doc, example_site());
  ASSERT_TRUE(mapped.ok()) << mapped.error().text();
  ASSERT_EQ(mapped->size(), 2u);
  for (const auto& m : *mapped) {
    EXPECT_EQ(m.effect, Effect::Register);
    EXPECT_EQ(m.event_id.rfind("ni:///sha-256;", 0), 0u);
    ASSERT_EQ(m.registrations.size(), 1u);
    EXPECT_EQ(m.registrations[0].attributes.home_rack, core::RackId{"rack-c01"});
    EXPECT_EQ(m.registrations[0].attributes.kind, "gpu_server");
  }
  EXPECT_EQ((*mapped)[0].registrations[0].asset, core::AssetId{"E2E-0001-1"});
}

TEST(EpcisInterop, ObserveEventFromEpcis2js) {
  const auto ev = parse_capture_event(data("epcis2js_observe_event.json"));
  ASSERT_TRUE(ev.ok()) << ev.error().text();
  const auto mapped = map_event(*ev, example_site());
  ASSERT_TRUE(mapped.ok()) << mapped.error().text();
  EXPECT_EQ(mapped->effect, Effect::Observe);
  ASSERT_EQ(mapped->observations.size(), 2u);
  EXPECT_EQ(mapped->observations[0].reader, core::ReaderId{"rfid-audit-hall"});
  EXPECT_EQ(mapped->observations[0].at_rack, core::RackId{"rack-c01"});
}

TEST(EpcisInterop, DestructionFromEpcis2js) {
  const auto doc = parse_capture_document(data("epcis2js_destroy.json"));
  ASSERT_TRUE(doc.ok()) << doc.error().text();
  const auto mapped = map_document(*doc, example_site());
  ASSERT_TRUE(mapped.ok()) << mapped.error().text();
  ASSERT_EQ(mapped->at(0).destructions.size(), 1u);
  EXPECT_EQ(mapped->at(0).destructions[0].witnesses[0], core::PersonId{"alice-nguyen"});
  EXPECT_EQ(mapped->at(0).destructions[0].witnesses[1], core::PersonId{"hana-sato"});
  EXPECT_EQ(mapped->at(0).destructions[0].method, "shred");
}

TEST(EpcisInterop, RefusalsFromEpcis2js) {
  const auto bad_action = parse_capture_document(data("epcis2js_invalid_action.json"));
  ASSERT_FALSE(bad_action.ok());
  EXPECT_EQ(bad_action.error().text(), "epcisBody.eventList[1].action: must be ADD, OBSERVE or DELETE");

  const auto no_id = parse_capture_event(data("epcis2js_missing_event_id.json"));
  ASSERT_FALSE(no_id.ok());
  EXPECT_EQ(no_id.error().path, "eventID");

  const auto unwitnessed = parse_capture_document(data("epcis2js_no_witnesses.json"));
  ASSERT_TRUE(unwitnessed.ok()) << unwitnessed.error().text();
  const auto mapped = map_document(*unwitnessed, example_site());
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.error().path, "epcisBody.eventList[0].portcullis:witnesses");
}

}  // namespace
}  // namespace portcullis::epcis
