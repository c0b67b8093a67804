// A record type written live by one family and replayed by another (or by none) is how a replay silently
// drifts from what the server decided: every stored type is claimed by exactly one family, for both.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "families/record_family.hpp"
#include "portcullis/ingest/record_types.hpp"

namespace portcullis::ingest {
namespace {

TEST(RecordTypes, EveryStoredTypeIsClaimedByExactlyOneFamily) {
  const RecordFamilies families;
  std::map<std::string, std::vector<std::string>> claimed_by;  // type -> families
  for (const auto& family : families.all()) {
    for (const auto& type : family->record_types()) claimed_by[type].emplace_back(family->name());
  }
  const auto stored = stored_record_types();
  ASSERT_GT(stored.size(), 50U);
  for (const auto& type : stored) {
    ASSERT_EQ(claimed_by[type].size(), 1U)
        << type << " is claimed by " << claimed_by[type].size() << " families";
    // The replay finds the family that writes it.
    const auto* replaying = families.for_type(type);
    ASSERT_NE(replaying, nullptr) << type;
    EXPECT_EQ(replaying->name(), claimed_by[type].front()) << type;
  }
}

TEST(RecordTypes, NoFamilyClaimsATypeMissingFromTheCanonicalList) {
  const RecordFamilies families;
  const auto stored = stored_record_types();
  const std::set<std::string> listed(stored.begin(), stored.end());
  EXPECT_EQ(listed.size(), stored.size()) << "a type is listed twice";
  for (const auto& family : families.all()) {
    for (const auto& type : family->record_types())
      EXPECT_TRUE(listed.contains(type)) << family->name() << ": " << type;
  }
}

TEST(RecordTypes, TheListNamesEveryKindOfWorkAndTheServersOwnRecords) {
  const auto stored = stored_record_types();
  const std::set<std::string> listed(stored.begin(), stored.end());
  for (const char* type : {"credential",
                           "door_contact",
                           "rfid_read",
                           "heartbeat",
                           "policy.revoke_person",
                           "policy.upsert_person",
                           "asset.register_asset",
                           "asset.moved",
                           "asset.deadlines",
                           "asset.registry_opened",
                           "engine.deadlines",
                           "epcis.captured",
                           "site.loaded",
                           "alarm.acknowledged",
                           "alarm.resolved",
                           "alarm.escalated",
                           "security.chain_tampered",
                           "security.chain_unattested",
                           "security.device_auth_failed",
                           "command.issued"})
    EXPECT_TRUE(listed.contains(type)) << type;
}

TEST(RecordTypes, AnUnknownAssetOrPolicyTypeIsReplayedByItsFamilyAsBefore) {
  const RecordFamilies families;
  ASSERT_NE(families.for_type("asset.some_future_action"), nullptr);
  EXPECT_EQ(families.for_type("asset.some_future_action")->name(), families.for_type("asset.moved")->name());
  ASSERT_NE(families.for_type("policy.some_future_action"), nullptr);
  EXPECT_EQ(families.for_type("policy.some_future_action")->name(),
            families.for_type("policy.revoke_person")->name());
  EXPECT_EQ(families.for_type("test.fact"), nullptr);  // stored and chained; nothing to apply
}

}  // namespace
}  // namespace portcullis::ingest
