// The payload of `history.restore_acknowledged` (an admin's acknowledgement that a restore lost rows a
// signed checkpoint covered), pinned byte for byte: it is hashed into the chain, so a failure here is a new
// record version, never an expected value to edit. nlohmann's dump(): sorted keys, ensure_ascii off, bytes
// that are not UTF-8 replaced by U+FFFD written as its three bytes.
#include <gtest/gtest.h>

#include <string>

#include "portcullis/ledger/records/restore_record.hpp"

namespace portcullis::json {
namespace {

RestoreAcknowledgement lost_after_a_point_in_time_restore() {
  RestoreAcknowledgement a;
  a.acknowledged_by = "admin-on-call";
  a.kind = "removed";
  a.lost_from = 17;
  a.lost_to = 21;
  a.checkpoint = "ams-dc1-00000000000000000021.checkpoint.json";
  a.checkpoint_hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  a.checkpoint_key = "SHA256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
  a.restored_head = 16;
  a.restored_head_hash = "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9";
  a.set_aside_to = "/var/lib/portcullis/checkpoints/lost-17-21";
  return a;
}

TEST(RestoreRecord, AcknowledgementNamesTheLostRangeAndTheCheckpointInSortedKeys) {
  EXPECT_EQ(restore_acknowledgement_json(lost_after_a_point_in_time_restore()),
            R"({"acknowledged_by":"admin-on-call",)"
            R"("checkpoint":"ams-dc1-00000000000000000021.checkpoint.json",)"
            R"("checkpoint_hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",)"
            R"("checkpoint_key":"SHA256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",)"
            R"("kind":"removed","lost_from":17,"lost_to":21,"restored_head":16,)"
            R"("restored_head_hash":"fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9",)"
            R"("set_aside_to":"/var/lib/portcullis/checkpoints/lost-17-21"})");
}

TEST(RestoreRecord, NameThatIsNotUtf8IsReplacedNotThrownOn) {
  auto a = lost_after_a_point_in_time_restore();
  a.acknowledged_by = "caf\xc3\xa9 \xff";
  const auto text = restore_acknowledgement_json(a);
  EXPECT_EQ(text.find("\"acknowledged_by\":\"caf\xc3\xa9 \xef\xbf\xbd\","), 1U) << text;
}

TEST(RestoreRecord, ReadsBackWhatItWrote) {
  const auto a = lost_after_a_point_in_time_restore();
  const auto read = restore_acknowledgement_from_json(restore_acknowledgement_json(a));
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->lost_from, 17);
  EXPECT_EQ(read->lost_to, 21);
  EXPECT_EQ(read->checkpoint, a.checkpoint);
  EXPECT_EQ(read->restored_head_hash, a.restored_head_hash);
  EXPECT_FALSE(restore_acknowledgement_from_json(R"({"kind":"removed"})").has_value());
}

}  // namespace
}  // namespace portcullis::json
