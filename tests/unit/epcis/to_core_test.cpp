// The mapping's results in the core asset book's types, and the directory built from a site definition.
#include <gtest/gtest.h>

#include "portcullis/core/assets/asset_text.hpp"
#include "portcullis/epcis/to_core.hpp"

namespace portcullis::epcis {
namespace {

core::SiteDefinition small_site() {
  core::SiteDefinition s;
  s.zones.push_back(core::ZoneDef{core::ZoneId{"public"}, "Public", {}, 0});
  s.zones.push_back(core::ZoneDef{core::ZoneId{"hall"}, "Hall", core::ZoneId{"public"}, 2});
  core::PortalDef door;
  door.id = core::PortalId{"hall-door"};
  door.from = core::ZoneId{"public"};
  door.to = core::ZoneId{"hall"};
  door.readers.push_back(
      core::ReaderDef{core::ReaderId{"rdr-hall-in"}, core::ReaderSide::Entry, core::kReadsBadge});
  door.readers.push_back(
      core::ReaderDef{core::ReaderId{"rfid-hall"}, core::ReaderSide::Entry, core::kReadsRfid});
  s.portals.push_back(door);
  core::RackDef rack;
  rack.id = core::RackId{"rack-1"};
  rack.zone = core::ZoneId{"hall"};
  rack.readers.push_back(
      core::ReaderDef{core::ReaderId{"rfid-rack-1"}, core::ReaderSide::Entry, core::kReadsRfid});
  s.racks.push_back(rack);
  s.area_readers.push_back(core::AreaReaderDef{core::ReaderId{"rfid-handheld"}, core::ZoneId{"hall"}});
  return s;
}

TEST(EpcisToCore, DirectoryHasRfidReadersRacksAndZones) {
  const auto d = directory_from(small_site());
  EXPECT_EQ(d.readers, (std::set<std::string, std::less<>>{"rfid-hall", "rfid-rack-1", "rfid-handheld"}));
  EXPECT_EQ(d.racks, (std::set<std::string, std::less<>>{"rack-1"}));
  EXPECT_EQ(d.zones, (std::set<std::string, std::less<>>{"public", "hall"}));
  EXPECT_TRUE(d.aliases.empty());
  // A badge reader is not an RFID reader: naming it as a readPoint is refused.
  const auto r = resolve_location("rdr-hall-in", LocationRole::ReadPoint, d, "readPoint.id");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().text(), "readPoint.id: unknown RFID reader 'rdr-hall-in'");
}

TEST(EpcisToCore, Observation) {
  Observation o{"urn:epc:id:giai:4012345.A", core::ReaderId{"rfid-handheld"}, core::RackId{"rack-1"}, {}, {}};
  const auto c = to_core(o, core::DeviceId{"rfid-handheld-1"});
  EXPECT_EQ(c.device, core::DeviceId{"rfid-handheld-1"});
  EXPECT_EQ(c.reader, core::ReaderId{"rfid-handheld"});
  EXPECT_EQ(c.epc, "urn:epc:id:giai:4012345.A");
  EXPECT_EQ(c.count, 1u);
  EXPECT_EQ(c.at_rack, core::RackId{"rack-1"});
  EXPECT_TRUE(c.at_zone.empty());
}

TEST(EpcisToCore, Registration) {
  Registration r;
  r.asset = core::AssetId{"AMS-GPU-0001"};
  r.epc = "urn:epc:id:giai:4012345.GPU-0001";
  r.attributes.asset_tag = "AMS-GPU-0001";
  r.attributes.serial = "SN1";
  r.attributes.model = "DGX H100";
  r.attributes.kind = "gpu_server";
  r.attributes.home_rack = core::RackId{"rack-1"};
  r.attributes.holds_model_weights = true;
  const auto c = to_core(r, "urn:uuid:e1");
  EXPECT_EQ(c.asset.id, core::AssetId{"AMS-GPU-0001"});
  EXPECT_EQ(c.asset.tag, "AMS-GPU-0001");
  EXPECT_EQ(c.asset.serial, "SN1");
  EXPECT_EQ(c.asset.model, "DGX H100");
  EXPECT_EQ(c.asset.kind, core::AssetKind::GpuServer);
  EXPECT_EQ(c.asset.epc, r.epc);
  EXPECT_TRUE(core::is_valid_epc(c.asset.epc));
  EXPECT_EQ(c.asset.home_rack, core::RackId{"rack-1"});
  EXPECT_EQ(c.asset.lifecycle, core::AssetLifecycle::Received);
  EXPECT_TRUE(c.asset.holds_model_weights);
  EXPECT_EQ(c.reason, "EPCIS event urn:uuid:e1");

  r.attributes.kind.clear();
  EXPECT_EQ(to_core(r, "x").asset.kind, core::AssetKind::Other);
}

TEST(EpcisToCore, Destruction) {
  Destruction d;
  d.epc = "urn:epc:id:giai:4012345.SSD-1";
  d.method = "shred";
  d.witnesses[0] = core::PersonId{"alice"};
  d.witnesses[1] = core::PersonId{"bob"};
  d.certificate_sha256 = std::string(64, 'a');
  const auto c = to_core(d, core::AssetId{"ssd-1"}, "urn:uuid:d1");
  EXPECT_EQ(c.asset, core::AssetId{"ssd-1"});
  EXPECT_EQ(c.method, "shred");
  EXPECT_EQ(c.witnesses[0], core::PersonId{"alice"});
  EXPECT_EQ(c.witnesses[1], core::PersonId{"bob"});
  EXPECT_EQ(c.certificate_sha256, std::string(64, 'a'));
  EXPECT_EQ(c.reason, "EPCIS event urn:uuid:d1");
}

}  // namespace
}  // namespace portcullis::epcis
