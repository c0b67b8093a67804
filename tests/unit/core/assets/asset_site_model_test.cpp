// The site-model side of assets: EPC shapes, validation problems with their JSON paths, RFID reader
// placement in the model, and a book built from the site's registry.
#include <gtest/gtest.h>

#include <algorithm>

#include "asset_site.hpp"
#include "portcullis/core/model/validate.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

bool has_problem(const Problems& problems, const std::string& path, const std::string& fragment) {
  return std::any_of(problems.begin(), problems.end(), [&](const Problem& p) {
    return p.json_path == path && p.message.find(fragment) != std::string::npos;
  });
}

std::string all(const Problems& problems) {
  std::string s;
  for (const auto& p : problems) s += p.json_path + ": " + p.message + "\n";
  return s;
}

TEST(Epc, PureIdentityUrnShapes) {
  EXPECT_TRUE(is_valid_epc("urn:epc:id:giai:0614141.DRIVE-1"));
  EXPECT_TRUE(is_valid_epc("urn:epc:id:giai:4012345.DRV-W01-0042"));
  EXPECT_TRUE(is_valid_epc("urn:epc:id:giai:0614141.12345400%2F1"));
  EXPECT_TRUE(is_valid_epc("urn:epc:id:sgtin:0614141.812345.6789"));
  EXPECT_TRUE(is_valid_epc("urn:epc:id:sgtin:4012345.012345.100043"));
  EXPECT_FALSE(is_valid_epc(""));
  EXPECT_FALSE(is_valid_epc("DRIVE-1"));
  EXPECT_FALSE(is_valid_epc("urn:epc:id:giai:0614141"));                          // no asset reference
  EXPECT_FALSE(is_valid_epc("urn:epc:id:giai:06141.DRIVE-1"));                    // company prefix < 6 digits
  EXPECT_FALSE(is_valid_epc("urn:epc:id:giai:0614141.DRIVE 1"));                  // space
  EXPECT_FALSE(is_valid_epc("urn:epc:id:giai:0614141.DR%G1"));                    // bad escape
  EXPECT_FALSE(is_valid_epc("urn:epc:id:sgtin:0614141.8123.6789"));               // 11 digits, not 13
  EXPECT_FALSE(is_valid_epc("urn:epc:id:sgtin:0614141.812345"));                  // no serial
  EXPECT_FALSE(is_valid_epc("urn:epc:id:sscc:0614141.1234567890"));               // not an asset scheme
  EXPECT_FALSE(is_valid_epc("urn:epc:id:giai:0614141." + std::string(24, 'A')));  // GIAI longer than 30
  EXPECT_TRUE(is_sha256_hex(std::string(64, 'a')));
  EXPECT_FALSE(is_sha256_hex(std::string(63, 'a')));
  EXPECT_FALSE(is_sha256_hex(std::string(64, 'A')));
}

TEST(AssetText, StableStringsRoundTrip) {
  for (auto k : {AssetKind::GpuServer, AssetKind::StorageDrive, AssetKind::Hsm, AssetKind::NetworkDevice,
                 AssetKind::Other}) {
    EXPECT_EQ(asset_kind_from(to_string(k)), k);
  }
  for (auto l : {AssetLifecycle::Received, AssetLifecycle::InService, AssetLifecycle::Maintenance,
                 AssetLifecycle::Decommissioning, AssetLifecycle::Wiped, AssetLifecycle::Destroyed,
                 AssetLifecycle::Disposed}) {
    EXPECT_EQ(asset_lifecycle_from(to_string(l)), l);
  }
  for (auto st : {SealStatus::Intact, SealStatus::Broken, SealStatus::Replaced}) {
    EXPECT_EQ(seal_status_from(to_string(st)), st);
  }
  EXPECT_EQ(to_string(AssetKind::GpuServer), "gpu_server");
  EXPECT_EQ(to_string(AssetLifecycle::InService), "in_service");
  EXPECT_FALSE(asset_kind_from("toaster"));
  EXPECT_STREQ(type_name(AssetAction{RecordWipe{}}), "record_wipe");
  EXPECT_STREQ(type_name(AssetAction{FitSeal{}}), "fit_seal");
  EXPECT_EQ(to_string(Reason::EvidenceRequired), "evidence_required");
  EXPECT_EQ(to_string(ReadResult::Confirmed), "confirmed");
}

TEST(AssetValidation, TheTestSiteIsValid) {
  EXPECT_EQ(all(validate(asset_site_definition())), "");
}

TEST(AssetValidation, ProblemsNameTheirJsonPath) {
  SiteDefinition s = asset_site_definition();
  s.assets[0].home_rack = RackId{"rack-9"};
  s.assets[1].epc = kDriveEpc;
  s.assets[2].epc = "urn:epc:id:giai:12.X";
  s.assets[2].custodian = PersonId{"zed"};
  s.assets[2].allowed_zones = {ZoneId{"lab"}};  // its home rack-c is in the cage
  s.assets[2].missing_after_s = -1;
  AssetDef dup = s.assets[1];
  dup.epc = "urn:epc:id:giai:0614141.OTHER";
  s.assets.push_back(dup);              // duplicate id gpu-1
  s.seals[0].asset = AssetId{"gpu-1"};  // both rack and asset
  s.seals[1].serial = "S-2";            // serial of seal-hsm
  s.seals.push_back(SealDef{SealId{"seal-x"}, "S-9", RackId{}, AssetId{"nope"}});
  s.area_readers.push_back(AreaReaderDef{ReaderId{"rfid-rack-1"}, ZoneId{"attic"}});
  s.racks[0].readers.push_back(ReaderDef{ReaderId{"dead"}, ReaderSide::Entry, 0});
  s.settings.rfid_dedup_window_ms = -5;
  s.settings.asset_missing_after_s = 0;
  const Problems p = validate(s);
  EXPECT_TRUE(has_problem(p, "$.assets[0].home_rack", "unknown rack \"rack-9\"")) << all(p);
  EXPECT_TRUE(has_problem(p, "$.assets[1].epc", "duplicate EPC")) << all(p);
  EXPECT_TRUE(has_problem(p, "$.assets[2].epc", "EPC pure-identity URN")) << all(p);
  EXPECT_TRUE(has_problem(p, "$.assets[2].custodian", "unknown person \"zed\"")) << all(p);
  EXPECT_TRUE(has_problem(p, "$.assets[2].allowed_zones", "outside the allowed zones")) << all(p);
  EXPECT_TRUE(has_problem(p, "$.assets[2].missing_after_s", "must not be negative")) << all(p);
  EXPECT_TRUE(has_problem(p, "$.assets[3].id", "duplicate asset id \"gpu-1\"")) << all(p);
  EXPECT_TRUE(has_problem(p, "$.seals[0]", "exactly one of rack or asset")) << all(p);
  EXPECT_TRUE(has_problem(p, "$.seals[2].serial", "duplicate seal serial \"S-2\" (first at $.seals[1])"))
      << all(p);
  EXPECT_TRUE(has_problem(p, "$.seals[3].asset", "unknown asset \"nope\"")) << all(p);
  EXPECT_TRUE(has_problem(p, "$.area_readers[1].id", "duplicate reader id \"rfid-rack-1\"")) << all(p);
  EXPECT_TRUE(has_problem(p, "$.area_readers[1].zone", "unknown zone \"attic\"")) << all(p);
  EXPECT_TRUE(has_problem(p, "$.racks[0].readers[2].reads", "must read something")) << all(p);
  EXPECT_TRUE(has_problem(p, "$.settings.rfid_dedup_window_ms", "0..60000")) << all(p);
  EXPECT_TRUE(has_problem(p, "$.settings.asset_missing_after_s", "positive")) << all(p);
}

TEST(AssetModel, RfidReadersAreIndexedWhereTheyStand) {
  SiteDefinition def = asset_site_definition();
  def.devices.push_back(DeviceDef{DeviceId{"hh-1"},
                                  DeviceKind::RfidReader,
                                  {ReaderId{"handheld"}},
                                  {},
                                  {},
                                  std::string(64, 'b'),
                                  0,
                                  {},
                                  {}});
  const auto model = build_or_throw(def);
  const Index handheld = model->area_reader_index(ReaderId{"handheld"});
  ASSERT_NE(handheld, kNoIndex);
  EXPECT_EQ(model->zone(model->area_reader(handheld).zone).def.id, ZoneId{"hall"});
  EXPECT_EQ(model->area_reader(handheld).devices,
            (std::vector<DeviceId>{DeviceId{"rfid-dev"}, DeviceId{"hh-1"}}));
  EXPECT_EQ(model->reader_index(ReaderId{"handheld"}), kNoIndex);  // never an access reader
  const Index rack_reader = model->reader_index(ReaderId{"rfid-rack-c"});
  ASSERT_NE(rack_reader, kNoIndex);
  EXPECT_TRUE(model->reader(rack_reader).on_rack);
  EXPECT_EQ(model->assets().size(), 3U);
  EXPECT_EQ(model->seals().size(), 3U);
}

TEST(AssetModel, BoundReadersOnlyCountFromTheirDevices) {
  SiteDefinition def = asset_site_definition();
  std::erase(def.devices.back().readers, ReaderId{"rfid-rack-2"});  // no device lists it any more
  AssetScenario s{def};
  EXPECT_EQ(s.read("rfid-rack-1", kGpuEpc), "moved rack:rack-1");  // the scenario's device is "rfid-dev"
  EXPECT_EQ(s.read("rfid-rack-2", kGpuEpc), "unknown_reader");     // not listed by any device
}

TEST(AssetModel, AReloadAddsNewAssetsAndKeepsTheBooksState) {
  AssetScenario s;
  ASSERT_EQ(s.read("rfid-rack-c", kDriveEpc), "moved rack:rack-c");
  SiteDefinition def = asset_site_definition();
  def.version = "2";
  def.assets.push_back(
      asset_def("gpu-2", "urn:epc:id:giai:0614141.GPU-2", "rack-2", AssetKind::GpuServer, false));
  def.assets[0].custodian = PersonId{"bob"};  // the book owns known assets after the first load
  s.book.replace_model(build_or_throw(def), s.now);
  ASSERT_NE(s.book.asset(AssetId{"gpu-2"}), nullptr);
  EXPECT_EQ(s.asset("drive-1").def.custodian, PersonId{"ada"});
  EXPECT_EQ(s.location("drive-1"), "rack:rack-c");
  EXPECT_EQ(s.read("rfid-rack-2", "urn:epc:id:giai:0614141.GPU-2"), "moved rack:rack-2");
}

}  // namespace
}  // namespace portcullis::core
