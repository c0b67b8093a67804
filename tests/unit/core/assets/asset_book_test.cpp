// RFID location, movement alarms, move orders, missing assets and seals, as scenarios on the asset test site
// (asset_site.hpp): reads are de-duplicated per (tag, reader), only changes of location are stored, and the
// alarms come from the stored movements so a replay raises them again.
#include <gtest/gtest.h>

#include "asset_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

RequestMoveOrder move_order(const char* id, const char* asset, const char* rack, const char* zone,
                            Timestamp valid_until) {
  RequestMoveOrder r;
  r.order = MoveOrderId{id};
  r.asset = AssetId{asset};
  r.to_rack = RackId{rack};
  r.to_zone = ZoneId{zone};
  r.reason = "rebalance shards";
  r.valid_until = valid_until;
  return r;
}

TEST(AssetReads, DuplicatesWithinTheWindowAreOnlyCounted) {
  AssetScenario s;
  EXPECT_EQ(s.read("rfid-rack-1", kGpuEpc, 3), "moved rack:rack-1");
  s.advance_ms(500);
  EXPECT_EQ(s.read("rfid-rack-1", kGpuEpc, 2), "duplicate");
  s.advance_ms(1499);
  EXPECT_EQ(s.read("rfid-rack-1", kGpuEpc), "duplicate");  // 1999 ms after the accepted read
  s.advance_ms(1);
  EXPECT_EQ(s.read("rfid-rack-1", kGpuEpc), "unchanged");  // a new window: accepted, nothing to store
  // Another reader is another (tag, reader) pair: not a duplicate. A zone read of the rack's zone does not
  // take the asset out of its rack.
  EXPECT_EQ(s.read("handheld", kGpuEpc), "unchanged");
  EXPECT_EQ(s.read("rfid-rack-1", "urn:epc:id:giai:0614141.NOBODY"), "unknown_epc");
  EXPECT_EQ(s.read("no-such-reader", kGpuEpc), "unknown_reader");
  EXPECT_EQ(s.read("front-in", kGpuEpc), "unknown_reader");  // a badge reader does not read RFID

  const ReadCounters& c = s.book.counters();
  EXPECT_EQ(c.observations, 8U);
  EXPECT_EQ(c.raw, 11U);
  EXPECT_EQ(c.duplicates, 2U);
  EXPECT_EQ(c.unknown_epc, 1U);
  EXPECT_EQ(c.unknown_reader, 2U);
  EXPECT_EQ(c.movements, 1U);
  EXPECT_EQ(s.log.size(), 1U);  // only the movement is stored
}

TEST(AssetReads, TheMovementCountsTheRawReadsSinceThePreviousOne) {
  AssetScenario s;
  ASSERT_EQ(s.read("rfid-rack-1", kGpuEpc, 3), "moved rack:rack-1");
  EXPECT_EQ(s.last_observation.movement->reads, 3U);
  for (int i = 0; i < 5; ++i) {
    s.advance_ms(700);
    s.read("rfid-rack-1", kGpuEpc, 2);
  }
  s.advance_ms(700);
  ASSERT_EQ(s.read("rfid-rack-2", kGpuEpc, 1), "moved rack:rack-2 !asset_wrong_rack/medium");
  EXPECT_EQ(s.last_observation.movement->reads, 11U);
  EXPECT_EQ(s.last_observation.movement->from, (Location{ZoneId{"hall"}, RackId{"rack-1"}}));
  EXPECT_EQ(s.last_observation.movement->to, (Location{ZoneId{"hall"}, RackId{"rack-2"}}));
}

TEST(AssetReads, DedupMemoryStaysBoundedByOneWindow) {
  AssetScenario s;
  const Actor ada = person_actor("ada");
  for (int i = 0; i < 2000; ++i) {
    AssetDef a = asset_def("x", "", "rack-1", AssetKind::StorageDrive, false);
    a.id = AssetId{"bulk-" + std::to_string(i)};
    a.epc = "urn:epc:id:giai:0614141.BULK-" + std::to_string(i);
    ASSERT_EQ(s.act(RegisterAsset{a, "bulk intake"}, ada), "grant/applied");
  }
  std::size_t peak = 0;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 2000; ++i) {
      s.advance_ms(10);
      const std::string epc = "urn:epc:id:giai:0614141.BULK-" + std::to_string(i);
      s.read("rfid-rack-1", epc.c_str());
      peak = std::max(peak, s.book.dedup_entries());
    }
  }
  // 2 s window at one accepted read per 10 ms: about 200 live entries, never the 2000 tags.
  EXPECT_LE(peak, 210U);
  EXPECT_EQ(s.book.counters().duplicates, 0U);
}

TEST(AssetLocation, OnlyChangesOfLocationAreStored) {
  AssetScenario s;
  EXPECT_EQ(s.location("drive-1"), "unknown");
  EXPECT_EQ(s.read("rfid-rack-c", kDriveEpc), "moved rack:rack-c");
  s.advance_s(3);
  EXPECT_EQ(s.read("rfid-rack-c", kDriveEpc), "unchanged");
  EXPECT_EQ(s.read("cage-in-rfid", kDriveEpc), "unchanged");  // the cage, where its rack is
  EXPECT_EQ(s.location("drive-1"), "rack:rack-c");
  EXPECT_EQ(s.log.size(), 1U);
  // A handheld audit names the rack it scanned.
  EXPECT_EQ(s.read("handheld", kGpuEpc, 1, "rack-1"), "moved rack:rack-1");
  EXPECT_EQ(s.book.assets_in_rack(RackId{"rack-1"}), std::vector<AssetId>{AssetId{"gpu-1"}});
  EXPECT_EQ(s.book.assets_in_rack(RackId{"rack-c"}), std::vector<AssetId>{AssetId{"drive-1"}});
}

TEST(AssetMovement, CarriedOutOfTheCageWithoutAMoveOrderIsCritical) {
  AssetScenario s;
  ASSERT_EQ(s.read("rfid-rack-c", kDriveEpc), "moved rack:rack-c");
  s.advance_s(30);
  EXPECT_EQ(s.read("cage-out-rfid", kDriveEpc), "moved zone:hall !asset_unauthorized_movement/critical");
  EXPECT_EQ(s.last_observation.outcome.alarms[0].subject, "drive-1");
  s.advance_s(30);
  EXPECT_EQ(s.read("hall-out-rfid", kDriveEpc), "moved zone:office !asset_unauthorized_movement/critical");
  // An asset without model weights: high. Into the cage is within its hall.
  EXPECT_EQ(s.read("cage-in-rfid", kGpuEpc), "moved zone:cage");
  EXPECT_EQ(s.read("hall-out-rfid", kGpuEpc), "moved zone:office !asset_unauthorized_movement/high");
}

TEST(AssetMovement, AnApprovedMoveOrderCoversTheRouteAndMovesTheHomeRack) {
  AssetScenario s;
  ASSERT_EQ(s.read("rfid-rack-c", kDriveEpc), "moved rack:rack-c");
  const Timestamp until = s.now + std::chrono::hours{2};
  EXPECT_EQ(s.act(move_order("mo-1", "drive-1", "rack-1", "", until), person_actor("bob")), "grant/applied");
  // Requested is not enough.
  s.advance_s(10);
  EXPECT_EQ(s.read("cage-out-rfid", kDriveEpc), "moved zone:hall !asset_unauthorized_movement/critical");
  EXPECT_EQ(s.read("cage-in-rfid", kDriveEpc), "moved zone:cage");
  ASSERT_EQ(s.act(ApproveMoveOrder{MoveOrderId{"mo-1"}, "ok, shards rebalanced"}, person_actor("ada", true)),
            "grant/applied");
  ASSERT_EQ(s.book.open_move_orders(s.now).size(), 1U);
  s.advance_s(10);
  EXPECT_EQ(s.read("cage-out-rfid", kDriveEpc), "moved zone:hall");
  EXPECT_EQ(s.read("rfid-rack-1", kDriveEpc), "moved rack:rack-1");
  EXPECT_EQ(s.book.move_order(MoveOrderId{"mo-1"})->status, MoveOrderStatus::Completed);
  EXPECT_EQ(s.asset("drive-1").def.home_rack, RackId{"rack-1"});
  EXPECT_TRUE(s.book.open_move_orders(s.now).empty());
  // Completed: the next trip is not covered any more.
  EXPECT_EQ(s.read("hall-out-rfid", kDriveEpc), "moved zone:office !asset_unauthorized_movement/critical");
}

TEST(AssetMovement, AMoveOrderDoesNotCoverADetourOrAnExpiredWindow) {
  AssetScenario s;
  ASSERT_EQ(s.read("rfid-rack-c", kDriveEpc), "moved rack:rack-c");
  const Timestamp until = s.now + std::chrono::minutes{30};
  ASSERT_EQ(s.act(move_order("mo-1", "drive-1", "rack-1", "", until), person_actor("bob")), "grant/applied");
  ASSERT_EQ(s.act(ApproveMoveOrder{MoveOrderId{"mo-1"}, ""}, person_actor("ada", true)), "grant/applied");
  EXPECT_EQ(s.read("cage-out-rfid", kDriveEpc), "moved zone:hall");
  EXPECT_EQ(s.read("hall-out-rfid", kDriveEpc), "moved zone:office !asset_unauthorized_movement/critical");
  s.advance_s(31 * 60);
  EXPECT_EQ(s.read("rfid-rack-1", kDriveEpc), "moved rack:rack-1 !asset_wrong_rack/high");
}

TEST(AssetMovement, ASiteExitNeedsAnOrderToThePublicZone) {
  AssetScenario s;
  ASSERT_EQ(s.read("rfid-rack-1", kGpuEpc), "moved rack:rack-1");
  ASSERT_EQ(
      s.act(move_order("rma-7", "gpu-1", "", "public", s.now + std::chrono::hours{4}), person_actor("bob")),
      "grant/applied");
  ASSERT_EQ(s.act(ApproveMoveOrder{MoveOrderId{"rma-7"}, "RMA to vendor"}, person_actor("ada", true)),
            "grant/applied");
  EXPECT_EQ(s.read("hall-out-rfid", kGpuEpc), "moved zone:office");
  EXPECT_EQ(s.read("front-out-rfid", kGpuEpc), "moved zone:public");
  EXPECT_EQ(s.book.move_order(MoveOrderId{"rma-7"})->status, MoveOrderStatus::Completed);
  // With an approved order the missing clock does not run either (checked in AssetMissing below).
}

TEST(MoveOrders, TheRequesterCannotApprove) {
  AssetScenario s;
  const Timestamp until = s.now + std::chrono::hours{1};
  ASSERT_EQ(s.act(move_order("mo-1", "drive-1", "rack-1", "", until), person_actor("ada", true)),
            "grant/applied");
  EXPECT_EQ(s.act(ApproveMoveOrder{MoveOrderId{"mo-1"}, ""}, person_actor("ada", true)),
            "deny/self_approval");
  // The same person through a second operator account.
  EXPECT_EQ(
      s.act(ApproveMoveOrder{MoveOrderId{"mo-1"}, ""}, Actor{OperatorId{"ada-2"}, PersonId{"ada"}, true}),
      "deny/self_approval");
  EXPECT_EQ(s.act(ApproveMoveOrder{MoveOrderId{"mo-1"}, ""}, person_actor("bob")),
            "deny/approver_role_required");
  EXPECT_EQ(s.act(ApproveMoveOrder{MoveOrderId{"mo-2"}, ""}, person_actor("bob", true)),
            "deny/unknown_subject");
  EXPECT_EQ(s.act(ApproveMoveOrder{MoveOrderId{"mo-1"}, ""}, person_actor("bob", true)), "grant/applied");
  EXPECT_EQ(s.act(ApproveMoveOrder{MoveOrderId{"mo-1"}, ""}, person_actor("carl", true)),
            "deny/already_decided");
  EXPECT_EQ(s.act(move_order("mo-1", "drive-1", "rack-1", "", until), person_actor("bob")),
            "deny/duplicate_id");
  EXPECT_EQ(s.act(move_order("mo-3", "drive-1", "rack-1", "hall", until), person_actor("bob")),
            "deny/invalid_value");
  EXPECT_EQ(s.act(move_order("mo-4", "drive-1", "rack-1", "", s.now), person_actor("bob")),
            "deny/request_expired");
  const MoveOrder& order = *s.book.move_order(MoveOrderId{"mo-1"});
  EXPECT_EQ(order.requester, PersonId{"ada"});
  EXPECT_EQ(order.approver, PersonId{"bob"});
  EXPECT_EQ(order.origin, ZoneId{"cage"});  // location unknown: its home rack's zone
}

TEST(MoveOrders, AnExpiredRequestCannotBeApproved) {
  AssetScenario s;
  ASSERT_EQ(
      s.act(move_order("mo-1", "gpu-1", "rack-2", "", s.now + std::chrono::minutes{5}), person_actor("bob")),
      "grant/applied");
  s.advance_s(301);
  EXPECT_EQ(s.act(ApproveMoveOrder{MoveOrderId{"mo-1"}, ""}, person_actor("ada", true)),
            "deny/request_expired");
  EXPECT_TRUE(s.book.open_move_orders(s.now).empty());
}

TEST(AssetMovement, SeenInAnotherRackWithoutAnOrderIsTheWrongRack) {
  AssetScenario s;
  ASSERT_EQ(s.read("rfid-rack-1", kGpuEpc), "moved rack:rack-1");
  EXPECT_EQ(s.read("rfid-rack-2", kGpuEpc), "moved rack:rack-2 !asset_wrong_rack/medium");
  EXPECT_EQ(s.last_observation.outcome.alarms[0].subject, "gpu-1");
  s.advance_s(5);
  EXPECT_EQ(s.read("rfid-rack-2", kGpuEpc), "unchanged");  // raised once, on the movement
  // With an approved order to rack-2: no alarm, and rack-2 becomes home.
  ASSERT_EQ(
      s.act(move_order("mo-1", "drive-1", "rack-2", "", s.now + std::chrono::hours{1}), person_actor("bob")),
      "grant/applied");
  ASSERT_EQ(s.act(ApproveMoveOrder{MoveOrderId{"mo-1"}, ""}, person_actor("ada", true)), "grant/applied");
  EXPECT_EQ(s.read("rfid-rack-2", kDriveEpc), "moved rack:rack-2");
  EXPECT_EQ(s.asset("drive-1").def.home_rack, RackId{"rack-2"});
}

TEST(AssetMissing, NotSeenInItsRackRaisesOnceAndClearsWhenSeen) {
  AssetScenario s;
  ASSERT_EQ(s.read("rfid-rack-c", kDriveEpc), "moved rack:rack-c");
  // missing_after 100 s; presence is confirmed in the log every 10 s, so the alarm waits for 100 + 10 s.
  EXPECT_EQ(s.tick(110), "-");
  EXPECT_EQ(s.tick(1), "asset_missing/critical:drive-1");
  EXPECT_TRUE(s.asset("drive-1").missing);
  EXPECT_EQ(s.tick(60), "-");  // once
  EXPECT_EQ(s.read("rfid-rack-c", kDriveEpc), "confirmed rack:rack-c");
  EXPECT_FALSE(s.asset("drive-1").missing);
  ASSERT_FALSE(s.last_observation.outcome.changes.empty());
  EXPECT_EQ(s.last_observation.outcome.changes[0], (FieldChange{"missing", "true", "false"}));
  EXPECT_EQ(s.tick(60), "-");
  EXPECT_EQ(s.tick(51), "asset_missing/critical:drive-1");
}

TEST(AssetMissing, RegularReadsKeepItPresentWithFewStoredConfirmations) {
  AssetScenario s;
  ASSERT_EQ(s.read("rfid-rack-c", kDriveEpc), "moved rack:rack-c");
  int confirmations = 0;
  for (int i = 0; i < 200; ++i) {
    s.advance_s(3);
    if (s.read("rfid-rack-c", kDriveEpc) == "confirmed rack:rack-c") ++confirmations;
    ASSERT_EQ(s.tick(), "-") << "at read " << i;
  }
  EXPECT_EQ(confirmations, 50);  // every 12 s (the first read >= 10 s after the previous confirmation)
  EXPECT_EQ(s.book.counters().confirmations, 50U);
}

TEST(AssetMissing, NeverSeenCountsFromTheSiteLoadAndOnlyInService) {
  AssetScenario s;
  const Actor ada = person_actor("ada");
  ASSERT_EQ(s.act(ChangeLifecycle{AssetId{"hsm-1"}, AssetLifecycle::Maintenance, "firmware"}, ada),
            "grant/applied");
  ASSERT_EQ(
      s.act(move_order("mo-1", "gpu-1", "rack-2", "", s.now + std::chrono::hours{2}), person_actor("bob")),
      "grant/applied");
  ASSERT_EQ(s.act(ApproveMoveOrder{MoveOrderId{"mo-1"}, ""}, person_actor("ada", true)), "grant/applied");
  EXPECT_EQ(s.tick(111), "asset_missing/critical:drive-1");
  // gpu-1 is being moved (approved order), hsm-1 is in maintenance: no alarm for them.
  EXPECT_EQ(s.tick(900), "-");
  s.advance_s(2 * 3600);
  EXPECT_EQ(s.tick(), "asset_missing/high:gpu-1");
}

TEST(Seals, ABrokenSealRaisesAnAlarm) {
  AssetScenario s;
  const Actor guard = person_actor("bob");
  EXPECT_EQ(s.act(CheckSeal{SealId{"seal-c"}, SealStatus::Intact, "S-1", ""}, guard), "grant/applied");
  EXPECT_EQ(s.book.seal(SealId{"seal-c"})->status, SealStatus::Intact);
  // rack-c is the home of a drive holding model weights: critical. rack-1: high.
  EXPECT_EQ(s.act(CheckSeal{SealId{"seal-c"}, SealStatus::Broken, "S-1", "torn"}, guard),
            "grant/applied !seal_broken/critical");
  EXPECT_EQ(s.last.alarms[0].subject, "seal-c");
  EXPECT_EQ(s.act(CheckSeal{SealId{"seal-r1"}, SealStatus::Intact, "S-999", ""}, guard),
            "grant/applied !seal_broken/high");
  EXPECT_EQ(s.act(CheckSeal{SealId{"seal-hsm"}, SealStatus::Replaced, "X-1", ""}, guard),
            "grant/applied !seal_broken/high");
  EXPECT_EQ(s.book.seal(SealId{"seal-c"})->status, SealStatus::Broken);
  EXPECT_EQ(s.book.seals_of_rack(RackId{"rack-c"}).size(), 1U);
  EXPECT_EQ(s.book.seals_of_asset(AssetId{"hsm-1"})[0].status, SealStatus::Replaced);
  EXPECT_EQ(s.act(CheckSeal{SealId{"seal-x"}, SealStatus::Intact, "", ""}, guard), "deny/unknown_subject");
}

TEST(Seals, FittingASealNeedsTwoDistinctPersons) {
  AssetScenario s;
  ASSERT_EQ(s.act(CheckSeal{SealId{"seal-c"}, SealStatus::Broken, "S-1", ""}, person_actor("bob")),
            "grant/applied !seal_broken/critical");
  FitSeal fit{SealDef{SealId{"seal-c2"}, "S-10", RackId{"rack-c"}, AssetId{}}, SealId{"seal-c"}, PersonId{},
              "resealed"};
  EXPECT_EQ(s.act(fit, person_actor("ada")), "deny/second_person_required");
  fit.witness = PersonId{"ada"};
  EXPECT_EQ(s.act(fit, person_actor("ada")), "deny/same_person_twice");
  EXPECT_EQ(s.act(fit, Actor{OperatorId{"svc"}, PersonId{}, false}), "deny/second_person_required");
  fit.witness = PersonId{"eve"};  // terminated
  EXPECT_EQ(s.act(fit, person_actor("ada")), "deny/person_revoked");
  fit.witness = PersonId{"bob"};
  EXPECT_EQ(s.act(fit, person_actor("ada")), "grant/applied");
  EXPECT_TRUE(s.book.seal(SealId{"seal-c"})->retired);
  EXPECT_EQ(s.book.seal(SealId{"seal-c2"})->status, SealStatus::Intact);
  EXPECT_EQ(s.act(fit, person_actor("ada")), "deny/duplicate_id");
  // The old seal is retired; the new one checks intact.
  EXPECT_EQ(s.act(CheckSeal{SealId{"seal-c"}, SealStatus::Intact, "S-1", ""}, person_actor("bob")),
            "deny/already_decided");
  EXPECT_EQ(s.act(CheckSeal{SealId{"seal-c2"}, SealStatus::Intact, "S-10", ""}, person_actor("bob")),
            "grant/applied");
}

TEST(Seals, AReplacementFittedOnRecordIsNotAnAlarm) {
  AssetScenario s;
  // Fitted on record without naming the old seal; the next check of the old one finds the new serial.
  FitSeal fit{SealDef{SealId{"seal-hsm2"}, "S-20", RackId{}, AssetId{"hsm-1"}}, SealId{}, PersonId{"bob"},
              "second seal"};
  ASSERT_EQ(s.act(fit, person_actor("ada")), "grant/applied");
  EXPECT_EQ(s.act(CheckSeal{SealId{"seal-hsm"}, SealStatus::Replaced, "S-20", ""}, person_actor("carl")),
            "grant/applied");
  EXPECT_TRUE(s.book.seal(SealId{"seal-hsm"})->retired);
  ASSERT_EQ(s.book.custody_trail(AssetId{"hsm-1"}).size(), 2U);
  EXPECT_EQ(s.book.custody_trail(AssetId{"hsm-1"})[0].what, "seal_fitted");
  EXPECT_EQ(s.book.custody_trail(AssetId{"hsm-1"})[0].witnesses, std::vector<PersonId>{PersonId{"bob"}});
}

}  // namespace
}  // namespace portcullis::core
