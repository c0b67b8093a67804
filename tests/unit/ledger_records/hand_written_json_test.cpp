// The per-movement JSON is written by hand (server/json/src/json_writer.hpp). A stored movement is hashed
// into the chain, so its bytes must be exactly what the nlohmann code it replaced produced; the live asset
// delta keeps the same bytes too. The reference functions below are that former code, kept verbatim.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "portcullis/core/time.hpp"
#include "portcullis/json/alarm_json.hpp"
#include "portcullis/json/asset_json.hpp"
#include "portcullis/json/rfc3339.hpp"
#include "portcullis/json/stream_json.hpp"
#include "portcullis/ledger/records/asset_record.hpp"
#include "portcullis/ledger/records/device_event_record.hpp"

namespace portcullis::json {
namespace {
using nlohmann::json;

json reference_location(const core::Location& l) {
  json j = json::object();
  if (!l.zone.empty()) j["zone"] = l.zone.str();
  if (!l.rack.empty()) j["rack"] = l.rack.str();
  return j;
}

std::string reference_movement(const core::AssetMovement& m) {
  json j;
  j["asset"] = m.asset.str();
  j["epc"] = m.epc;
  j["from"] = reference_location(m.from);
  j["to"] = reference_location(m.to);
  j["reader"] = m.reader.str();
  j["device"] = m.device.str();
  j["reads"] = m.reads;
  j["at_us"] = core::to_unix_micros(m.at);
  return j.dump();
}

std::string reference_asset(const core::AssetState& s) {
  const auto& a = s.def;
  json j;
  j["id"] = a.id.str();
  j["tag"] = a.tag;
  if (!a.serial.empty()) j["serial"] = a.serial;
  if (!a.model.empty()) j["model"] = a.model;
  j["kind"] = core::to_string(a.kind);
  j["epc"] = a.epc;
  if (!a.home_rack.empty()) j["home_rack"] = a.home_rack.str();
  if (a.unit != 0) j["unit"] = a.unit;
  if (!a.custodian.empty()) j["custodian"] = a.custodian.str();
  j["lifecycle"] = core::to_string(a.lifecycle);
  j["holds_model_weights"] = a.holds_model_weights;
  if (!a.allowed_zones.empty()) {
    j["allowed_zones"] = json::array();
    for (const auto& z : a.allowed_zones) j["allowed_zones"].push_back(z.str());
  }
  if (a.missing_after_s != 0) j["missing_after_s"] = a.missing_after_s;
  j["location"] = reference_location(s.location);
  if (s.located_at) j["located_at"] = format_rfc3339(*s.located_at);
  if (s.last_read_at) j["last_read_at"] = format_rfc3339(*s.last_read_at);
  j["missing"] = s.missing;
  return j.dump();
}

std::string reference_rack(const core::RackDef& rack, const RackTally& tally, std::string_view seal_state) {
  json j;
  j["id"] = rack.id.str();
  j["name"] = rack.name;
  j["zone"] = rack.zone.str();
  j["tier"] = rack.tier;
  j["two_person"] = rack.two_person;
  j["asset_count"] = tally.located.size();
  j["assets"] = tally.located;
  j["expected_count"] = tally.expected;
  j["present_count"] = tally.present;
  j["away_count"] = tally.away.size();
  j["away"] = tally.away;
  j["unseen_count"] = tally.unseen;
  j["seal"] = seal_state;
  return j.dump();
}

json reference_changes(const std::vector<core::FieldChange>& changes) {
  json a = json::array();
  for (const auto& c : changes) a.push_back({{"field", c.field}, {"before", c.before}, {"after", c.after}});
  return a;
}

std::string reference_asset_outcome(const core::AssetOutcome& outcome) {
  if (!outcome.decision && outcome.alarms.empty() && outcome.changes.empty() && outcome.detail.empty()) {
    return R"({"alarms":[],"changes":[],"decision":null})";
  }
  core::Outcome plain;
  plain.decision = outcome.decision;
  plain.alarms = outcome.alarms;
  auto j = json::parse(outcome_json(plain));
  j["changes"] = reference_changes(outcome.changes);
  if (!outcome.detail.empty()) j["detail"] = outcome.detail;
  return j.dump();
}

std::string reference_alarm(const core::AlarmRecord& a) {
  json j;
  j["id"] = a.id;
  j["kind"] = a.kind;
  j["severity"] = core::to_string(a.severity);
  j["subject"] = a.subject;
  j["detail"] = a.detail;
  j["silent"] = a.silent;
  j["state"] = core::to_string(a.state);
  j["count"] = a.count;
  j["raised_at"] = format_rfc3339(a.raised_at);
  j["last_seen_at"] = format_rfc3339(a.last_seen_at);
  j["escalated"] = a.escalated;
  if (a.acknowledged_at) {
    j["acknowledged_by"] = a.acknowledged_by;
    j["acknowledged_at"] = format_rfc3339(*a.acknowledged_at);
    j["acknowledge_comment"] = a.acknowledge_comment;
  }
  if (a.resolved_at) {
    j["resolved_by"] = a.resolved_by;
    j["resolved_at"] = format_rfc3339(*a.resolved_at);
    j["resolve_comment"] = a.resolve_comment;
  }
  return j.dump();
}

// Every character nlohmann escapes (quote, backslash, the named controls, other controls as \u00xx), DEL
// and UTF-8 that it passes through unchanged.
const std::string kAwkward =
    std::string("q\"b\\s/\b\f\n\r\t") + '\x01' + '\x1f' + '\x7f' + "\xc3\xa9\xe2\x82\xac";

core::AssetMovement movement(const std::string& epc, core::Location from, core::Location to) {
  core::AssetMovement m;
  m.asset = core::AssetId{"gpu-0042"};
  m.epc = epc;
  m.from = std::move(from);
  m.to = std::move(to);
  m.reader = core::ReaderId{"rfid-r1"};
  m.device = core::DeviceId{"panel-7"};
  m.reads = 1234;
  m.at = core::from_unix_micros(1'764'250'000'123'456);
  return m;
}

TEST(HandWrittenJson, MovementMatchesTheFormerNlohmannBytes) {
  const core::Location rack_a{core::ZoneId{"hall"}, core::RackId{"rack-a"}};
  const core::Location rack_b{core::ZoneId{"hall"}, core::RackId{"rack-b"}};
  const core::Location zone_only{core::ZoneId{"cage"}, core::RackId{}};
  std::vector<core::AssetMovement> cases = {
      movement("urn:epc:id:giai:0614141.000042", rack_a, rack_b),           // rack to rack
      movement("urn:epc:id:giai:0614141.000042", {}, rack_a),               // first sighting
      movement("urn:epc:id:sgtin:0614141.812345.6789", rack_a, zone_only),  // out into a zone
      movement("urn:epc:id:giai:0614141.000042", rack_a, rack_a),           // confirmation in the home rack
      movement(kAwkward, {core::ZoneId{kAwkward}, core::RackId{}}, {core::ZoneId{}, core::RackId{kAwkward}}),
  };
  auto& odd = cases.emplace_back(movement("", {}, {}));
  odd.asset = core::AssetId{kAwkward};
  odd.reader = core::ReaderId{kAwkward};
  odd.device = core::DeviceId{""};
  odd.reads = 0;
  odd.at = core::from_unix_micros(0);
  auto& big = cases.emplace_back(movement("urn:epc:id:giai:1.2", rack_a, rack_b));
  big.reads = UINT64_MAX;
  big.at = core::from_unix_micros(INT64_MAX);
  auto& negative = cases.emplace_back(movement("urn:epc:id:giai:1.2", rack_a, rack_b));
  negative.at = core::from_unix_micros(-5);
  for (const auto& m : cases) {
    EXPECT_EQ(movement_json(m), reference_movement(m));
    EXPECT_EQ(movement_from_json(movement_json(m)), m);
  }
  EXPECT_EQ(movement_json(cases[0]),
            R"({"asset":"gpu-0042","at_us":1764250000123456,"device":"panel-7",)"
            R"("epc":"urn:epc:id:giai:0614141.000042","from":{"rack":"rack-a","zone":"hall"},)"
            R"("reader":"rfid-r1","reads":1234,"to":{"rack":"rack-b","zone":"hall"}})");
}

TEST(HandWrittenJson, AssetDeltaMatchesTheFormerNlohmannBytes) {
  core::AssetState plain;
  plain.def.id = core::AssetId{"gpu-0042"};
  plain.def.tag = "T-42";
  plain.def.epc = "urn:epc:id:giai:0614141.000042";
  EXPECT_EQ(asset_json(plain), reference_asset(plain));

  core::AssetState full = plain;
  full.def.serial = "SN-" + kAwkward;
  full.def.model = "DGX " + kAwkward;
  full.def.kind = core::AssetKind::GpuServer;
  full.def.home_rack = core::RackId{"rack-a"};
  full.def.unit = 17;
  full.def.custodian = core::PersonId{"p-" + kAwkward};
  full.def.lifecycle = core::AssetLifecycle::Maintenance;
  full.def.holds_model_weights = true;
  full.def.allowed_zones = {core::ZoneId{"hall"}, core::ZoneId{kAwkward}};
  full.def.missing_after_s = 86'400;
  full.location = {core::ZoneId{"hall"}, core::RackId{"rack-b"}};
  full.located_at = core::from_unix_micros(1'764'250'000'123'456);
  full.last_read_at = core::from_unix_micros(1'764'250'001'000'000);
  full.missing = true;
  EXPECT_EQ(asset_json(full), reference_asset(full));

  core::AssetState zone_only = full;
  zone_only.location = {core::ZoneId{"cage"}, core::RackId{}};
  zone_only.def.allowed_zones = {core::ZoneId{"one"}};
  zone_only.def.unit = -1;
  zone_only.def.missing_after_s = INT64_MAX;
  zone_only.located_at.reset();
  zone_only.missing = false;
  EXPECT_EQ(asset_json(zone_only), reference_asset(zone_only));
}

TEST(HandWrittenJson, RackMatchesTheFormerNlohmannBytes) {
  core::RackDef rack;
  rack.id = core::RackId{"r1"};
  rack.name = "Rack " + kAwkward;
  rack.zone = core::ZoneId{"hall"};
  rack.tier = 3;
  rack.two_person = true;
  RackContents contents;
  EXPECT_EQ(rack_json(rack, contents, "none"), reference_rack(rack, contents.tally("r1"), "none"));
  auto put = [&](const std::string& id, const std::string& home, const std::string& located) {
    core::AssetState a;
    a.def.id = core::AssetId{id};
    a.def.home_rack = core::RackId{home};
    if (!located.empty()) a.location = {core::ZoneId{"hall"}, core::RackId{located}};
    contents.update(a);
  };
  put("a1", "r1", "r1");    // home and present
  put("a2", "r1", "r2");    // away
  put("a3", "r2", "r1");    // a guest
  put(kAwkward, "r1", "");  // away, nowhere known
  for (const auto& seal : {"intact", "broken"}) {
    const auto tally = contents.tally("r1");
    EXPECT_EQ(rack_json(rack, contents, seal), reference_rack(rack, tally, seal));
    EXPECT_EQ(rack_json(rack, tally, seal), reference_rack(rack, tally, seal));
  }
  rack.id = core::RackId{"r2"};
  EXPECT_EQ(rack_json(rack, contents, "none"), reference_rack(rack, contents.tally("r2"), "none"));
}

TEST(HandWrittenJson, AssetOutcomeMatchesTheFormerNlohmannBytes) {
  core::AssetOutcome empty;
  EXPECT_EQ(asset_outcome_json(empty), reference_asset_outcome(empty));

  core::AssetOutcome moved;  // what a move into a foreign rack stores
  moved.changes = {{"location", "hall/rack-a", "hall/rack-b"}, {"missing", "true", "false"}};
  moved.alarms = {{"asset_wrong_rack", core::Severity::Medium, "gpu-0042",
                   "seen in rack rack-b, home rack rack-a, without an approved move order", false}};
  EXPECT_EQ(asset_outcome_json(moved), reference_asset_outcome(moved));

  core::AssetOutcome awkward;
  awkward.alarms = {{kAwkward, core::Severity::Critical, kAwkward, "", true},
                    {"asset_unauthorized_movement", core::Severity::High, "x", kAwkward, false}};
  awkward.changes = {{kAwkward, "", kAwkward}};
  awkward.detail = "certificate_sha256: " + kAwkward;
  core::Decision d;
  d.verdict = core::Verdict::Deny;
  d.reason = core::Reason::UnknownCredential;
  d.person = core::PersonId{kAwkward};
  d.rack = core::RackId{"rack-a"};
  awkward.decision = d;
  EXPECT_EQ(asset_outcome_json(awkward), reference_asset_outcome(awkward));

  core::AssetOutcome detail_only;
  detail_only.detail = "refused";
  EXPECT_EQ(asset_outcome_json(detail_only), reference_asset_outcome(detail_only));
}

TEST(HandWrittenJson, AlarmMatchesTheFormerNlohmannBytes) {
  core::AlarmRecord a;
  a.id = "A123.0";
  a.kind = "asset_wrong_rack";
  a.severity = core::Severity::High;
  a.subject = "gpu-0042";
  a.detail = "seen in rack rack-b";
  a.count = 7;
  a.raised_at = core::from_unix_micros(1'764'250'000'123'456);
  a.last_seen_at = core::from_unix_micros(1'764'250'001'000'000);
  EXPECT_EQ(alarm_json(a), reference_alarm(a));

  a.silent = true;
  a.escalated = true;
  a.state = core::AlarmState::Acknowledged;
  a.acknowledged_by = "op-" + kAwkward;
  a.acknowledged_at = core::from_unix_micros(1'764'250'002'000'000);
  a.acknowledge_comment = kAwkward;
  a.detail = kAwkward;
  EXPECT_EQ(alarm_json(a), reference_alarm(a));

  a.state = core::AlarmState::Resolved;
  a.resolved_by = "op-2";
  a.resolved_at = core::from_unix_micros(1'764'250'003'000'000);
  a.resolve_comment = "";
  EXPECT_EQ(alarm_json(a), reference_alarm(a));

  a.acknowledged_at.reset();
  a.count = UINT32_MAX;
  EXPECT_EQ(alarm_json(a), reference_alarm(a));
}

}  // namespace
}  // namespace portcullis::json
