// The engine snapshot codec: every field survives a round trip, a restored engine decides like the one it
// was taken from, and bytes that are not a snapshot of this format are refused as values, never a crash.
#include "portcullis/core/snapshot/state_snapshot.hpp"

#include <gtest/gtest.h>

#include "portcullis/core/engine.hpp"
#include "test_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

Timestamp at(std::int64_t s) {
  return from_unix_micros(1'800'000'000'000'000 + s * 1'000'000);
}

// Every field of every struct the snapshot holds set to something other than its default, so a field the
// codec forgot (or swapped with another of its type) shows as a difference.
StateSnapshot every_field_set() {
  StateSnapshot s;
  s.site_seq = 1'234'567'890'123;
  for (std::size_t i = 0; i < s.chain_hash.size(); ++i) s.chain_hash[i] = static_cast<std::uint8_t>(255 - i);
  s.definition_site_hash = "def-hash";
  s.text_site_hash = "text-hash";
  s.loaded_site_hash = "loaded-hash";
  s.engine_on_startup_model = true;

  EngineState& e = s.engine;
  e.person_revoked = {{PersonId{"p1"}, true}, {PersonId{"p2"}, false}};
  e.credential_revoked = {{CredentialId{"c1"}, true}};
  e.grant_revoked = {{GrantId{"g1"}, false}};
  e.removed_grants = {GrantId{"g2"}};
  GrantDef grant;
  grant.id = GrantId{"g3"};
  grant.person = PersonId{"p1"};
  grant.group = GroupId{"grp"};
  grant.effect = GrantEffect::Deny;
  grant.zones = {ZoneId{"z1"}, ZoneId{"z2"}};
  grant.racks = {RackId{"r1"}};
  grant.include_subzones = true;
  grant.schedule = ScheduleId{"s1"};
  grant.valid_from = at(1);
  grant.valid_until = at(2);
  grant.revoked = true;
  e.added_grants = {{grant.id, grant}};
  e.jit_requests = {{"r1", JitRequest{OperatorId{"op"}, PersonId{"op-p"}, PersonId{"p1"}, ZoneId{"z1"}, "why",
                                      std::chrono::hours(2), at(3), true}}};
  e.site_lockdown = true;
  e.lockdowns = {ZoneId{"z1"}};
  e.presence = {{PersonId{"p1"}, Presence{ZoneId{"z2"}, at(4)}}};
  e.pin_failures = {{CredentialId{"c1"}, 3}};
  e.locked_credentials = {CredentialId{"c2"}};
  const PendingAttempt attempt{PersonId{"p1"}, CredentialId{"c1"}, CredentialId{"b1"}, 5, at(5), 7, 8, 9};
  e.attempts = {{0x1234'5678'9abc'def0ULL, attempt}};
  e.occupancy = {{ZoneId{"z1"}, 4U}};
  DoorState door{true, at(6), true, at(7), at(8), PersonId{"p1"}, true, true, true, true};
  e.doors = {{PortalId{"d1"}, door}};
  e.doors_open = {PortalId{"d1"}};
  e.rack_doors = {{RackId{"r1"}, door}};
  e.rack_doors_open = {RackId{"r1"}};
  e.mantraps = {{MantrapId{"m1"}, MantrapState{{{PersonId{"p1"}, at(9)}}, 2U, at(10), true, PortalId{"d1"}}}};
  Decision first;
  first.verdict = Verdict::Pending;
  first.reason = Reason::SecondPersonPending;
  first.needed = Factor::SecondPerson;
  first.person = PersonId{"p1"};
  first.credential = CredentialId{"c1"};
  first.portal = PortalId{"d1"};
  first.destination = ZoneId{"z2"};
  first.rack = RackId{"r1"};
  e.two_person = {{42ULL, TwoPersonAttempt{first, attempt, at(11), at(12), true, true}}};
  e.fires = {ZoneId{}, ZoneId{"z1"}};
  e.threat_levels = {{ZoneId{"z1"}, 3}};
  e.devices = {{DeviceId{"dev"}, DeviceSeen{at(13), true}}};
  e.silence_deadlines = {{at(14), DeviceId{"dev"}}};
  e.lone = {{ZoneId{"z1"}, LoneState{PersonId{"p1"}, at(15), true}}};
  e.occupancy_unknown = {ZoneId{"z2"}};
  e.device_clocks = {{DeviceId{"dev"}, at(16)}};
  e.fire_clear_requests = {
      {"f1", FireClearRequest{OperatorId{"op"}, PersonId{"op-p"}, ZoneId{"z1"}, at(17)}}};
  e.pending_overrides = {{"p1|d1", PendingOverride{OperatorId{"op"}, PersonId{"op-p"}, at(18)}}};
  e.admin.people = {
      {PersonId{"p9"}, UpsertPerson{PersonId{"p9"}, "Nine", "engineer", {ClearanceStatus::Cleared, at(19)}}}};
  CardDef card{CredentialId{"c9"}, CardFormat::H10304_37, 77U, 123'456'789ULL, "0101", true};
  e.admin.credentials = {
      {CredentialId{"c9"}, AddedCredential{PersonId{"p9"}, card, std::nullopt}},
      {CredentialId{"b9"},
       AddedCredential{PersonId{"p9"}, std::nullopt, BiometricDef{CredentialId{"b9"}, "tpl", true}}}};
  e.admin.removed_credentials = {CredentialId{"c1"}};
  e.admin.pins = {{PersonId{"p9"}, "hash"}};
  e.admin.duress_pins = {{PersonId{"p9"}, ""}};
  e.admin.members_added = {{GroupId{"grp"}, PersonId{"p9"}}};
  e.admin.members_removed = {{GroupId{"grp"}, PersonId{"p1"}}};

  AlarmRecord alarm{"A7.0",
                    "door_forced",
                    Severity::Critical,
                    "d1",
                    "detail",
                    true,
                    AlarmState::Resolved,
                    5U,
                    at(20),
                    at(21),
                    true,
                    "op",
                    "seen",
                    at(22),
                    "op2",
                    "fixed",
                    at(23)};
  s.alarms.alarms = {{alarm.id, alarm}};
  s.alarms.resolved = {{at(23), alarm.id}};

  AssetBook::Contents assets;
  AssetDef def{AssetId{"a1"},
               "tag",
               "serial",
               "model",
               AssetKind::Hsm,
               "urn:epc:id:giai:1.2",
               RackId{"r1"},
               12,
               PersonId{"p1"},
               AssetLifecycle::Wiped,
               true,
               {ZoneId{"z1"}},
               600};
  assets.assets = {
      AssetState{def, Location{ZoneId{"z1"}, RackId{"r1"}}, at(24), at(25), at(26), at(27), true, 9U}};
  assets.trails = {{CustodyEntry{at(28),
                                 "wipe",
                                 OperatorId{"op"},
                                 PersonId{"op-p"},
                                 {PersonId{"w1"}},
                                 "why",
                                 {FieldChange{"lifecycle", "decommissioning", "wiped"}}}}};
  assets.seals = {SealState{SealDef{SealId{"s1"}, "SN1", RackId{"r1"}, AssetId{"a1"}}, SealStatus::Broken,
                            true, at(29), "SN2"}};
  MoveOrder order;
  order.id = MoveOrderId{"mo1"};
  order.asset = AssetId{"a1"};
  order.to_zone = ZoneId{"z2"};
  order.to_rack = RackId{"r2"};
  order.origin = ZoneId{"z1"};
  order.reason = "move";
  order.valid_until = at(30);
  order.requested_by = OperatorId{"op"};
  order.requester = PersonId{"op-p"};
  order.requested_at = at(31);
  order.approved_by = OperatorId{"op2"};
  order.approver = PersonId{"op2-p"};
  order.comment = "ok";
  order.approved_at = at(32);
  order.status = MoveOrderStatus::Completed;
  order.completed_at = at(33);
  assets.orders = {order};
  assets.counters = ReadCounters{1, 2, 3, 4, 5, 6, 7};
  s.assets = assets;
  s.assets_opened_at = at(34);
  s.registry_recorded = true;
  s.epcis_events = {RememberedEpcisEvent{"urn:uuid:1", "sha", "{}", at(35)}};
  s.epcis_forgot_any = true;
  s.last_seq_by_device = {{"dev", 99}};
  s.recorded_findings = {"a finding"};
  DoorView view;
  view.id = "d1";
  view.name = "Door";
  view.open = true;
  view.locked = false;
  view.alarm = "held";
  view.online = false;
  view.mode = "fire_release";
  view.unlocked_at = at(36);
  s.doors = {view};
  return s;
}

StateSnapshot decoded(const std::string& bytes) {
  auto result = decode_snapshot(bytes);
  if (const auto* refusal = std::get_if<SnapshotRefusal>(&result)) {
    ADD_FAILURE() << to_string(refusal->why) << ": " << refusal->detail;
    return {};
  }
  return std::get<StateSnapshot>(std::move(result));
}

TEST(StateSnapshot, EveryFieldSurvivesARoundTrip) {
  const auto original = every_field_set();
  const auto bytes = encode_snapshot(original);
  EXPECT_EQ(snapshot_format(bytes), kStateSnapshotFormat);
  EXPECT_TRUE(decoded(bytes) == original);
  EXPECT_TRUE(decoded(encode_snapshot(StateSnapshot{})) == StateSnapshot{});
}

// A state from a real sequence of decisions (presence, PIN failures, a pending attempt, a JIT grant, a
// lockdown cleared, a revocation) restores into an engine that holds the same state and decides the same.
TEST(StateSnapshot, ARestoredEngineHoldsTheSameStateAndDecidesTheSame) {
  const auto definition = std::make_shared<const SiteDefinition>(test_site_definition());
  const auto model = build_or_throw(*definition);
  Engine live{model, std::make_shared<FakePinVerifier>()};
  ASSERT_TRUE(live.load_site(definition, model).empty());
  Timestamp t = monday_10_local();
  const Actor sup{OperatorId{"sup"}, PersonId{"fay"}, true};
  const Actor guard{OperatorId{"guard"}, PersonId{}, false};
  for (const auto& e :
       {card("front-in", 1), card("office-in", 1), card("hall-in", 1), pin("hall-in", "0000"),
        pin("hall-in", "1234"), card("office-in", 7), card("hall-in", 7), pin("hall-in", "0000")})
    (void)live.apply(e, t += 2s);
  (void)live.apply(RevokeCredential{CredentialId{"carl-card"}, "lost"}, t += 2s, guard);
  (void)live.apply(RequestJitGrant{"r1", PersonId{"bob"}, ZoneId{"lab"}, "repair", 2h}, t += 2s, guard);
  (void)live.apply(ApproveJitGrant{"r1", "ok"}, t += 2s, sup);
  (void)live.apply(SetLockdown{ZoneId{"lab"}, "drill"}, t += 2s, sup);
  (void)live.apply(card("rack-1-r", 1), t += 2s);  // a pending attempt survives the snapshot
  ASSERT_FALSE(live.state().attempts.empty());

  StateSnapshot snapshot;
  snapshot.engine = live.state();
  const auto restored_state = decoded(encode_snapshot(snapshot)).engine;
  EXPECT_TRUE(restored_state == live.state());

  Engine restored{model, std::make_shared<FakePinVerifier>()};
  ASSERT_TRUE(restored.restore(definition, restored_state).empty());
  EXPECT_TRUE(restored.state() == live.state());
  for (const auto& e :
       {pin("rack-1-r", "1234"), card("office-in", 1), card("lab-in", 2), card("front-in", 4)}) {
    t += 2s;
    EXPECT_EQ(summary(restored.apply(e, t)), summary(live.apply(e, t)));
  }
  EXPECT_TRUE(restored.state() == live.state());
}

// A pending attempt's person and credential indexes are positions in the model it was taken with; the
// restored model may order people otherwise (see the known gap below), so a restore must resolve them again
// by id, never trust the stored numbers: a stale index would finish the attempt as somebody else.
TEST(StateSnapshot, ARestoredPendingAttemptIsResolvedByIdNotByItsStoredIndexes) {
  const auto definition = std::make_shared<const SiteDefinition>(test_site_definition());
  const auto model = build_or_throw(*definition);
  Engine live{model, std::make_shared<FakePinVerifier>()};
  ASSERT_TRUE(live.load_site(definition, model).empty());
  Timestamp t = monday_10_local();
  (void)live.apply(card("rack-1-r", 1), t += 2s);
  ASSERT_EQ(live.state().attempts.size(), 1U);

  EngineState stale = live.state();
  PendingAttempt& attempt = stale.attempts.begin()->second;
  ASSERT_NE(attempt.person_index, kNoIndex);
  // Indexes as another model would have numbered them: the person's and the card's neighbours.
  attempt.person_index = attempt.person_index == 0 ? 1 : 0;
  attempt.card_index = attempt.card_index == 0 ? 1 : 0;

  Engine restored{model, std::make_shared<FakePinVerifier>()};
  ASSERT_TRUE(restored.restore(definition, stale).empty());
  ASSERT_EQ(restored.state().attempts.size(), 1U);
  const PendingAttempt& resolved = restored.state().attempts.begin()->second;
  EXPECT_EQ(resolved.person_index, model->person_index(resolved.person));
  EXPECT_EQ(resolved.card_index, model->credential_index(resolved.card));
  EXPECT_TRUE(restored.state() == live.state());
  t += 2s;
  EXPECT_EQ(summary(restored.apply(pin("rack-1-r", "1234"), t)),
            summary(live.apply(pin("rack-1-r", "1234"), t)));
}

// People added by admin edits after the site load, in an order other than their ids' and with badges: the
// restored engine's effective site (and so its model) should be the live one's, not a reordering of it.
// Known gap, disabled until fixed: Engine::restore lays the edits over the site in apply_edits' fixed order
// (as a site reload does), while live edits since the last load were appended one by one, so people and
// credentials added by the API come out in another order (the same people, cards and grants; model indexes
// and listings differ, and so would a pending attempt's resolved indexes). Fix: carry the effective order in
// the snapshot, or make a live edit rebuild base + apply_edits like a reload.
TEST(StateSnapshot, DISABLED_ARestoredEngineHasTheLiveEffectiveSiteWhateverTheOrderOfAdminEdits) {
  const auto definition = std::make_shared<const SiteDefinition>(test_site_definition());
  Engine live{build_or_throw(*definition), std::make_shared<FakePinVerifier>()};
  ASSERT_TRUE(live.load_site(definition).empty());
  const Actor admin{OperatorId{"admin-1"}, PersonId{}, true};
  Timestamp t = monday_10_local();
  for (const char* id : {"zed", "amy", "mia"}) {
    (void)live.apply(OperatorAction{AdminChange{UpsertPerson{PersonId{id}, id, "engineer", {}}}}, t += 1s,
                     admin);
  }
  (void)live.apply(OperatorAction{AdminChange{AddCard{
                       PersonId{"zed"},
                       CardDef{CredentialId{"zed-2"}, CardFormat::FacilityAndNumber, 10, 902, "", false}}}},
                   t += 1s, admin);
  (void)live.apply(OperatorAction{AdminChange{AddCard{
                       PersonId{"amy"},
                       CardDef{CredentialId{"amy-1"}, CardFormat::FacilityAndNumber, 10, 901, "", false}}}},
                   t += 1s, admin);
  StateSnapshot snapshot;
  snapshot.engine = live.state();
  Engine restored{build_or_throw(*definition), std::make_shared<FakePinVerifier>()};
  ASSERT_TRUE(restored.restore(definition, decoded(encode_snapshot(snapshot)).engine).empty());
  EXPECT_TRUE(*restored.effective_definition() == *live.effective_definition());
}

TEST(StateSnapshot, AnotherFormatVersionIsRefusedAndNamed) {
  auto bytes = encode_snapshot(every_field_set());
  bytes[6] = '\2';  // the format version follows the 6-byte magic
  const auto result = decode_snapshot(bytes);
  ASSERT_TRUE(std::holds_alternative<SnapshotRefusal>(result));
  EXPECT_EQ(std::get<SnapshotRefusal>(result).why, SnapshotRefusal::Why::UnknownFormat);
  EXPECT_NE(std::get<SnapshotRefusal>(result).detail.find("format version 2"), std::string::npos);
}

TEST(StateSnapshot, BytesThatAreNotASnapshotAreRefused) {
  const auto result = decode_snapshot("{\"engine\": {}}");
  ASSERT_TRUE(std::holds_alternative<SnapshotRefusal>(result));
  EXPECT_EQ(std::get<SnapshotRefusal>(result).why, SnapshotRefusal::Why::NotASnapshot);
}

// Every truncation is refused as malformed; changed bytes never crash the decoder (a changed byte may still
// decode: the storage adapter's digest is what detects it).
TEST(StateSnapshot, TruncatedOrDamagedBytesAreRefusedWithoutACrash) {
  const auto bytes = encode_snapshot(every_field_set());
  for (std::size_t n = 10; n < bytes.size(); ++n) {
    const auto result = decode_snapshot(std::string_view{bytes}.substr(0, n));
    ASSERT_TRUE(std::holds_alternative<SnapshotRefusal>(result)) << "truncated to " << n;
    EXPECT_EQ(std::get<SnapshotRefusal>(result).why, SnapshotRefusal::Why::Malformed);
  }
  for (std::size_t i = 10; i < bytes.size(); ++i) {
    for (const char value : {'\x00', '\x7f', '\xff'}) {
      auto damaged = bytes;
      damaged[i] = value;
      (void)decode_snapshot(damaged);
    }
  }
  auto longer = bytes + "x";
  EXPECT_TRUE(std::holds_alternative<SnapshotRefusal>(decode_snapshot(longer)));
}

TEST(StateSnapshot, AnAlarmBookRestoredFromItsContentsFoldsAndAnswersAsBefore) {
  AlarmBook book;
  const Alarm held{"door_held", Severity::High, "d1", "", false};
  const Alarm forced{"door_forced", Severity::Critical, "d2", "", false};
  const auto held_id = book.raise(held, at(1), 5, 0).id;
  const auto forced_id = book.raise(forced, at(2), 6, 0).id;
  ASSERT_EQ(book.acknowledge(held_id, "op", "seen", at(3)), AlarmChange::Done);
  ASSERT_EQ(book.resolve(forced_id, "op", "fixed", at(4)), AlarmChange::Done);

  StateSnapshot snapshot;
  snapshot.alarms = book.contents();
  AlarmBook restored{decoded(encode_snapshot(snapshot)).alarms, AlarmRetention{}};
  EXPECT_TRUE(restored.contents() == book.contents());
  EXPECT_TRUE(restored.has_open("door_held"));
  EXPECT_FALSE(restored.has_open("door_forced"));
  // A repeat of the open alarm folds into it, as it would have in the original book.
  EXPECT_EQ(restored.raise(held, at(5), 9, 0).id, held_id);
  EXPECT_EQ(book.raise(held, at(5), 9, 0).id, held_id);
  EXPECT_TRUE(restored.contents() == book.contents());
}

}  // namespace
}  // namespace portcullis::core
