// The asset lifecycle and the disposal custody trail: decommissioning -> wiped (method + certificate hash) ->
// destroyed (two distinct witnesses) -> disposed (vendor + manifest), each step with who, when, why and
// before/after; registry edits; and replay: the stored movements, actions and alarm ticks rebuild the same
// book.
#include <gtest/gtest.h>

#include "asset_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

const std::string kCert = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

RecordDestruction destruction(const char* w1, const char* w2) {
  RecordDestruction d;
  d.asset = AssetId{"drive-1"};
  d.method = "shred";
  d.witnesses[0] = PersonId{w1};
  d.witnesses[1] = PersonId{w2};
  d.certificate_sha256 = kCert;
  d.reason = "end of life";
  return d;
}

TEST(AssetLifecycle, OnlyTheEdgesOfTheGraph) {
  AssetScenario s;
  const Actor ada = person_actor("ada");
  AssetDef fresh = asset_def("gpu-2", "urn:epc:id:giai:0614141.GPU-2", "rack-2", AssetKind::GpuServer, false);
  fresh.lifecycle = AssetLifecycle::Received;
  ASSERT_EQ(s.act(RegisterAsset{fresh, "delivery PO-77"}, ada), "grant/applied");
  const AssetId gpu{"gpu-2"};
  EXPECT_EQ(s.act(ChangeLifecycle{gpu, AssetLifecycle::Maintenance, "x"}, ada), "deny/invalid_transition");
  EXPECT_EQ(s.act(ChangeLifecycle{gpu, AssetLifecycle::InService, ""}, ada), "deny/invalid_value");  // why?
  EXPECT_EQ(s.act(ChangeLifecycle{gpu, AssetLifecycle::InService, "racked"}, ada), "grant/applied");
  EXPECT_EQ(s.last.changes[0], (FieldChange{"lifecycle", "received", "in_service"}));
  EXPECT_EQ(s.act(ChangeLifecycle{gpu, AssetLifecycle::Maintenance, "fan"}, ada), "grant/applied");
  EXPECT_EQ(s.act(ChangeLifecycle{gpu, AssetLifecycle::InService, "fixed"}, ada), "grant/applied");
  EXPECT_EQ(s.act(ChangeLifecycle{gpu, AssetLifecycle::Received, "x"}, ada), "deny/invalid_transition");
  EXPECT_EQ(s.act(ChangeLifecycle{gpu, AssetLifecycle::Wiped, "x"}, ada), "deny/invalid_transition");
  EXPECT_EQ(s.act(ChangeLifecycle{gpu, AssetLifecycle::Decommissioning, "old"}, ada), "grant/applied");
  EXPECT_EQ(s.act(ChangeLifecycle{gpu, AssetLifecycle::InService, "x"}, ada), "deny/invalid_transition");
  EXPECT_EQ(s.act(ChangeLifecycle{AssetId{"nope"}, AssetLifecycle::InService, "x"}, ada),
            "deny/unknown_subject");
}

TEST(AssetDisposal, TheFullCustodyTrailFromRackToVendor) {
  AssetScenario s;
  const Actor ada = person_actor("ada");
  ASSERT_EQ(s.read("rfid-rack-c", kDriveEpc), "moved rack:rack-c");
  s.advance_s(60);
  ASSERT_EQ(s.act(ChangeLifecycle{AssetId{"drive-1"}, AssetLifecycle::Decommissioning, "end of life"}, ada),
            "grant/applied");
  // Removal to the wipe bench in the hall under a move order requested by Bob, approved by Ada.
  RequestMoveOrder order{MoveOrderId{"mo-wipe"}, AssetId{"drive-1"},           ZoneId{"hall"}, RackId{},
                         "to the wipe bench",    s.now + std::chrono::hours{8}};
  ASSERT_EQ(s.act(order, person_actor("bob")), "grant/applied");
  ASSERT_EQ(s.act(ApproveMoveOrder{MoveOrderId{"mo-wipe"}, "two-person carry"}, person_actor("ada", true)),
            "grant/applied");
  s.advance_s(60);
  ASSERT_EQ(s.read("cage-out-rfid", kDriveEpc), "moved zone:hall");

  RecordWipe wipe{AssetId{"drive-1"}, "nist-800-88-purge", "", "purge before destruction"};
  EXPECT_EQ(s.act(wipe, ada), "deny/evidence_required");
  EXPECT_EQ(s.last.detail.rfind("certificate_sha256", 0), 0U);
  wipe.certificate_sha256 =
      "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";  // not lowercase
  EXPECT_EQ(s.act(wipe, ada), "deny/evidence_required");
  wipe.certificate_sha256 = kCert;
  wipe.method = "format c:";
  EXPECT_EQ(s.act(wipe, ada), "deny/evidence_required");
  EXPECT_EQ(s.act(destruction("bob", "carl"), ada), "deny/invalid_transition");  // not wiped yet
  wipe.method = "nist-800-88-purge";
  s.advance_s(3600);
  EXPECT_EQ(s.act(wipe, ada), "grant/applied");
  EXPECT_EQ(s.asset("drive-1").def.lifecycle, AssetLifecycle::Wiped);

  s.advance_s(3600);
  EXPECT_EQ(s.act(destruction("bob", "bob"), ada), "deny/same_person_twice");
  EXPECT_EQ(s.act(destruction("bob", ""), ada), "deny/second_person_required");
  EXPECT_EQ(s.act(destruction("bob", "eve"), ada), "deny/person_revoked");
  EXPECT_EQ(s.act(destruction("bob", "zed"), ada), "deny/unknown_subject");
  EXPECT_EQ(s.act(destruction("bob", "carl"), ada), "grant/applied");

  s.advance_s(3600);
  RecordDisposal disposal{AssetId{"drive-1"}, "ShredCo GmbH", "", "collected"};
  EXPECT_EQ(s.act(disposal, ada), "deny/evidence_required");
  disposal.manifest = "SC-2026-11-0042";
  EXPECT_EQ(s.act(disposal, ada), "grant/applied");
  EXPECT_EQ(s.act(ChangeLifecycle{AssetId{"drive-1"}, AssetLifecycle::InService, "x"}, ada),
            "deny/invalid_transition");
  EXPECT_EQ(s.act(disposal, ada), "deny/invalid_transition");

  // One unbroken record, in order, with who and why.
  const auto& trail = s.book.custody_trail(AssetId{"drive-1"});
  std::vector<std::string> what;
  for (const auto& e : trail) what.push_back(e.what);
  EXPECT_EQ(what, (std::vector<std::string>{"movement", "lifecycle", "move_order_requested",
                                            "move_order_approved", "movement", "move_order_completed", "wipe",
                                            "destruction", "disposal"}));
  for (std::size_t i = 1; i < trail.size(); ++i) EXPECT_LE(trail[i - 1].at, trail[i].at);
  const CustodyEntry& wiped = trail[6];
  EXPECT_EQ(wiped.by, OperatorId{"op-ada"});
  EXPECT_EQ(wiped.reason, "purge before destruction");
  EXPECT_EQ(wiped.changes[0], (FieldChange{"lifecycle", "decommissioning", "wiped"}));
  EXPECT_EQ(wiped.changes[1], (FieldChange{"wipe_method", "", "nist-800-88-purge"}));
  EXPECT_EQ(wiped.changes[2], (FieldChange{"wipe_certificate_sha256", "", kCert}));
  const CustodyEntry& destroyed = trail[7];
  EXPECT_EQ(destroyed.witnesses, (std::vector<PersonId>{PersonId{"bob"}, PersonId{"carl"}}));
  EXPECT_EQ(destroyed.changes[0], (FieldChange{"lifecycle", "wiped", "destroyed"}));
  const CustodyEntry& disposed = trail[8];
  EXPECT_EQ(disposed.changes[1], (FieldChange{"vendor", "", "ShredCo GmbH"}));
  EXPECT_EQ(disposed.changes[2], (FieldChange{"manifest", "", "SC-2026-11-0042"}));
  EXPECT_EQ(trail[4].changes[0], (FieldChange{"location", "rack:rack-c", "zone:hall"}));
  EXPECT_EQ(trail[4].changes[1], (FieldChange{"reader", "", "cage-out-rfid"}));
  // A disposed asset leaving with the vendor raises nothing.
  EXPECT_EQ(s.read("front-out-rfid", kDriveEpc), "moved zone:public");
}

TEST(AssetRegistry, RegisterAndUpdateKeepBeforeAndAfter) {
  AssetScenario s;
  const Actor ada = person_actor("ada");
  AssetDef a =
      asset_def("drive-9", "urn:epc:id:giai:0614141.DRIVE-9", "rack-2", AssetKind::StorageDrive, true);
  a.epc = "epc-9";
  EXPECT_EQ(s.act(RegisterAsset{a, "intake"}, ada), "deny/invalid_value");
  a.epc = kDriveEpc;
  EXPECT_EQ(s.act(RegisterAsset{a, "intake"}, ada), "deny/duplicate_id");
  a.epc = "urn:epc:id:giai:0614141.DRIVE-9";
  a.home_rack = RackId{"rack-9"};
  EXPECT_EQ(s.act(RegisterAsset{a, "intake"}, ada), "deny/unknown_subject");
  a.home_rack = RackId{"rack-2"};
  EXPECT_EQ(s.act(RegisterAsset{a, ""}, ada), "deny/invalid_value");
  EXPECT_EQ(s.act(RegisterAsset{a, "intake"}, ada), "grant/applied");
  EXPECT_EQ(s.act(RegisterAsset{a, "intake"}, ada), "deny/duplicate_id");
  ASSERT_NE(s.book.asset_by_epc("urn:epc:id:giai:0614141.DRIVE-9"), nullptr);

  UpdateAsset u;
  u.asset = AssetId{"drive-9"};
  u.custodian = PersonId{"bob"};
  u.unit = 12;
  u.epc = "urn:epc:id:giai:0614141.DRIVE-9B";
  u.reason = "retagged, new custodian";
  EXPECT_EQ(s.act(u, ada), "grant/applied");
  EXPECT_EQ(s.last.changes, (std::vector<FieldChange>{{"epc", "urn:epc:id:giai:0614141.DRIVE-9",
                                                       "urn:epc:id:giai:0614141.DRIVE-9B"},
                                                      {"unit", "4", "12"},
                                                      {"custodian", "ada", "bob"}}));
  EXPECT_EQ(s.book.asset_by_epc("urn:epc:id:giai:0614141.DRIVE-9"), nullptr);
  EXPECT_EQ(s.book.asset_by_epc("urn:epc:id:giai:0614141.DRIVE-9B")->def.custodian, PersonId{"bob"});
  EXPECT_EQ(s.read("rfid-rack-2", "urn:epc:id:giai:0614141.DRIVE-9B"), "moved rack:rack-2");
  EXPECT_EQ(s.act(u, ada), "deny/invalid_value");  // nothing changes any more
  u.custodian = PersonId{"eve"};
  EXPECT_EQ(s.act(u, ada), "deny/person_revoked");
  const auto& trail = s.book.custody_trail(AssetId{"drive-9"});
  ASSERT_EQ(trail.size(), 3U);
  EXPECT_EQ(trail[0].what, "registered");
  EXPECT_EQ(trail[1].what, "updated");
  EXPECT_EQ(trail[1].reason, "retagged, new custodian");
}

// What a restart does: replay the stored records through a fresh book.
void replay(const std::vector<StoredRecord>& log, AssetBook& book, std::vector<AssetOutcome>& outcomes) {
  for (const auto& r : log) {
    switch (r.kind) {
      case StoredRecord::Kind::Movement: outcomes.push_back(book.apply_movement(r.movement, r.at)); break;
      case StoredRecord::Kind::Action: outcomes.push_back(book.apply(r.action, r.at, r.actor)); break;
      case StoredRecord::Kind::Tick: outcomes.push_back(book.tick(r.at)); break;
    }
  }
}

void expect_same_state(const AssetBook& a, const AssetBook& b) {
  ASSERT_EQ(a.assets().size(), b.assets().size());
  for (std::size_t i = 0; i < a.assets().size(); ++i) {
    const AssetState& x = a.assets()[i];
    const AssetState& y = b.assets()[i];
    EXPECT_EQ(x.def, y.def) << x.def.id.str();
    EXPECT_EQ(x.location, y.location) << x.def.id.str();
    EXPECT_EQ(x.located_at, y.located_at) << x.def.id.str();
    EXPECT_EQ(x.confirmed_in_home_at, y.confirmed_in_home_at) << x.def.id.str();
    EXPECT_EQ(x.missing_since_base, y.missing_since_base) << x.def.id.str();
    EXPECT_EQ(x.missing, y.missing) << x.def.id.str();
    EXPECT_EQ(a.custody_trail(x.def.id), b.custody_trail(y.def.id)) << x.def.id.str();
  }
  ASSERT_EQ(a.seals().size(), b.seals().size());
  for (std::size_t i = 0; i < a.seals().size(); ++i) {
    EXPECT_EQ(a.seals()[i].def, b.seals()[i].def);
    EXPECT_EQ(a.seals()[i].status, b.seals()[i].status);
    EXPECT_EQ(a.seals()[i].retired, b.seals()[i].retired);
  }
  EXPECT_EQ(a.counters().movements, b.counters().movements);
  EXPECT_EQ(a.counters().confirmations, b.counters().confirmations);
}

TEST(AssetReplay, StoredRecordsRebuildTheSameBook) {
  AssetScenario s;
  const Actor ada = person_actor("ada");
  // Reads with duplicates and unchanged ones (not stored), movements with alarms, actions, missing ticks.
  s.read("rfid-rack-c", kDriveEpc, 4);
  s.read("rfid-rack-1", kGpuEpc);
  for (int i = 0; i < 40; ++i) {
    s.advance_ms(1500);
    s.read("rfid-rack-c", kDriveEpc, 2);
    s.read("rfid-rack-1", kGpuEpc, 1);
  }
  s.read("rfid-rack-2", kGpuEpc);   // wrong rack
  s.read("cage-in-rfid", kGpuEpc);  // into the cage: within its hall
  s.act(RequestMoveOrder{MoveOrderId{"mo-1"}, AssetId{"gpu-1"}, ZoneId{}, RackId{"rack-2"}, "move",
                         s.now + std::chrono::hours{1}},
        person_actor("bob"));
  s.act(ApproveMoveOrder{MoveOrderId{"mo-1"}, ""}, person_actor("ada", true));
  s.advance_s(5);
  s.read("handheld", kGpuEpc, 1, "rack-2");  // completes the order: rack-2 is home now
  s.read("cage-out-rfid", kDriveEpc);        // unauthorized
  s.tick(200);                               // drive-1 missing
  s.act(CheckSeal{SealId{"seal-c"}, SealStatus::Broken, "S-1", ""}, ada);
  s.act(FitSeal{SealDef{SealId{"seal-c2"}, "S-10", RackId{"rack-c"}, AssetId{}}, SealId{"seal-c"},
                PersonId{"bob"}, "resealed"},
        ada);
  s.read("cage-in-rfid", kDriveEpc);
  s.advance_s(3);
  s.read("rfid-rack-c", kDriveEpc);  // back home: clears missing
  s.act(ChangeLifecycle{AssetId{"drive-1"}, AssetLifecycle::Decommissioning, "eol"}, ada);
  s.act(RecordWipe{AssetId{"drive-1"}, "crypto-erase", kCert, "erase"}, ada);
  s.act(destruction("bob", "carl"), ada);
  s.tick(2000);  // gpu-1 (now home rack-2) and hsm-1

  AssetBook fresh{s.model, s.start};
  std::vector<AssetOutcome> outcomes;
  replay(s.log, fresh, outcomes);
  expect_same_state(s.book, fresh);
  // And the alarms come out again, record by record.
  ASSERT_EQ(outcomes.size(), s.log.size());
  std::vector<Alarm> replayed;
  for (std::size_t i = 0; i < s.log.size(); ++i) {
    EXPECT_EQ(outcomes[i].alarms, s.log[i].alarms) << "record " << i;
    replayed.insert(replayed.end(), outcomes[i].alarms.begin(), outcomes[i].alarms.end());
  }
  std::vector<std::string> kinds;
  for (const auto& a : replayed) kinds.push_back(a.kind + ":" + a.subject);
  EXPECT_EQ(kinds, (std::vector<std::string>{"asset_wrong_rack:gpu-1", "asset_unauthorized_movement:drive-1",
                                             "asset_missing:drive-1", "seal_broken:seal-c",
                                             "asset_missing:gpu-1", "asset_missing:hsm-1"}));
}

}  // namespace
}  // namespace portcullis::core
