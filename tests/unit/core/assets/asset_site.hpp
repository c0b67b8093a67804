#pragma once
// The core test site (../test_site.hpp) with RFID readers, assets and seals, and a small driver so each asset
// test reads as a sequence of reads, actions and ticks.
//   RFID: front-out (exit to public), hall-out (exit to office), cage-out (exit to hall), cage-in (entry into
//   the cage), rack readers rfid-rack-1 / rfid-rack-2 (hall) and rfid-rack-c (cage), handheld audit station
//   "handheld" in the hall.
//   Assets: drive-1 (storage drive holding model weights, home rack-c, missing after 100 s), gpu-1 (home
//   rack-1), hsm-1 (home rack-c). Seals: seal-c on rack-c, seal-r1 on rack-1, seal-hsm on hsm-1.
#include <string>
#include <vector>

#include "../test_site.hpp"
#include "portcullis/core/assets/asset_book.hpp"

namespace portcullis::core::testing {

inline constexpr const char* kDriveEpc = "urn:epc:id:giai:0614141.DRIVE-1";
inline constexpr const char* kGpuEpc = "urn:epc:id:giai:0614141.GPU-1";
inline constexpr const char* kHsmEpc = "urn:epc:id:sgtin:0614141.812345.6789";

inline AssetDef asset_def(const char* id, const char* epc, const char* rack, AssetKind kind, bool weights) {
  AssetDef a;
  a.id = AssetId{id};
  a.tag = std::string{"TAG-"} + id;
  a.serial = std::string{"SN-"} + id;
  a.model = "model";
  a.kind = kind;
  a.epc = epc;
  a.home_rack = RackId{rack};
  a.unit = 4;
  a.custodian = PersonId{"ada"};
  a.holds_model_weights = weights;
  return a;
}

inline SiteDefinition asset_site_definition() {
  SiteDefinition s = test_site_definition();
  for (auto& p : s.portals) {
    if (p.id == PortalId{"front"})
      p.readers.push_back(reader("front-out-rfid", ReaderSide::Exit, kReadsRfid));
    if (p.id == PortalId{"hall-door"})
      p.readers.push_back(reader("hall-out-rfid", ReaderSide::Exit, kReadsRfid));
    if (p.id == PortalId{"cage-door"}) {
      p.readers.push_back(reader("cage-out-rfid", ReaderSide::Exit, kReadsRfid));
      p.readers.push_back(reader("cage-in-rfid", ReaderSide::Entry, kReadsRfid));
    }
  }
  s.racks[0].readers.push_back(reader("rfid-rack-1", ReaderSide::Entry, kReadsRfid));
  RackDef rack2 = s.racks[0];
  rack2.id = RackId{"rack-2"};
  rack2.name = "Rack 2";
  rack2.readers = {reader("rfid-rack-2", ReaderSide::Entry, kReadsRfid)};
  RackDef cage_rack = s.racks[0];
  cage_rack.id = RackId{"rack-c"};
  cage_rack.name = "Cage rack";
  cage_rack.zone = ZoneId{"cage"};
  cage_rack.tier = 4;
  cage_rack.readers = {reader("rfid-rack-c", ReaderSide::Entry, kReadsRfid)};
  s.racks.push_back(rack2);
  s.racks.push_back(cage_rack);
  s.area_readers = {AreaReaderDef{ReaderId{"handheld"}, ZoneId{"hall"}}};
  // Device binding is always on: "rfid-dev" serves every RFID reader of this site.
  DeviceDef rfid{DeviceId{"rfid-dev"}, DeviceKind::RfidReader, {}, {}, {}, std::string(64, 'f'), 0, {}, {}};
  for (const auto& p : s.portals)
    for (const auto& r : p.readers)
      if ((r.reads & kReadsRfid) != 0) rfid.readers.push_back(r.id);
  for (const auto& k : s.racks)
    for (const auto& r : k.readers)
      if ((r.reads & kReadsRfid) != 0) rfid.readers.push_back(r.id);
  rfid.readers.push_back(ReaderId{"handheld"});
  s.devices.push_back(rfid);
  AssetDef drive = asset_def("drive-1", kDriveEpc, "rack-c", AssetKind::StorageDrive, true);
  drive.missing_after_s = 100;
  s.assets = {drive, asset_def("gpu-1", kGpuEpc, "rack-1", AssetKind::GpuServer, false),
              asset_def("hsm-1", kHsmEpc, "rack-c", AssetKind::Hsm, false)};
  s.seals = {SealDef{SealId{"seal-c"}, "S-1", RackId{"rack-c"}, AssetId{}},
             SealDef{SealId{"seal-r1"}, "S-3", RackId{"rack-1"}, AssetId{}},
             SealDef{SealId{"seal-hsm"}, "S-2", RackId{}, AssetId{"hsm-1"}}};
  return s;
}

inline Actor person_actor(const char* person, bool may_approve = false) {
  return Actor{OperatorId{std::string{"op-"} + person}, PersonId{person}, may_approve};
}

// "grant/applied", "deny/self_approval", plus " !alarm_kind/severity" per alarm; "-" when nothing.
inline std::string asset_summary(const AssetOutcome& out) {
  std::string s = out.decision ? std::string{to_string(out.decision->verdict)} + "/" +
                                     std::string{to_string(out.decision->reason)}
                               : std::string{"-"};
  for (const auto& a : out.alarms) s += " !" + a.kind + "/" + std::string{to_string(a.severity)};
  return s;
}

// One entry of what the server would store, for replay tests.
struct StoredRecord {
  enum class Kind { Movement, Action, Tick } kind = Kind::Movement;
  AssetMovement movement;
  AssetAction action;
  Actor actor;
  Timestamp at{};
  std::vector<Alarm> alarms;  // what the live book said
};

class AssetScenario {
 public:
  AssetScenario() : AssetScenario(asset_site_definition()) {}
  explicit AssetScenario(const SiteDefinition& def)
      : model(build_or_throw(def)), start(monday_10_local()), now(start), book(model, start) {}

  // "moved rack:rack-c !asset_wrong_rack/medium", "duplicate", "unchanged", "confirmed", "unknown_epc"...
  std::string read(const char* reader_id, const char* epc, std::uint32_t count = 1,
                   const char* at_rack = "") {
    RfidObservation r;
    r.device = DeviceId{"rfid-dev"};
    r.reader = ReaderId{reader_id};
    r.epc = epc;
    r.count = count;
    r.at_rack = RackId{at_rack};
    last_observation = book.observe(r, now);
    std::string s{to_string(last_observation.result)};
    if (last_observation.movement) {
      const Location& to = last_observation.movement->to;
      s += " " + (to.rack.empty() ? "zone:" + to.zone.str() : "rack:" + to.rack.str());
      log.push_back({StoredRecord::Kind::Movement,
                     *last_observation.movement,
                     {},
                     {},
                     now,
                     last_observation.outcome.alarms});
    }
    for (const auto& a : last_observation.outcome.alarms)
      s += " !" + a.kind + "/" + std::string{to_string(a.severity)};
    return s;
  }
  std::string act(const AssetAction& action, const Actor& who) {
    last = book.apply(action, now, who);
    log.push_back({StoredRecord::Kind::Action, {}, action, who, now, last.alarms});
    return asset_summary(last);
  }
  // Alarms of a tick after `seconds` more, as "kind/severity:subject ..."; "-" when none.
  std::string tick(std::int64_t seconds = 0) {
    now += std::chrono::seconds{seconds};
    last = book.tick(now);
    if (!last.alarms.empty()) log.push_back({StoredRecord::Kind::Tick, {}, {}, {}, now, last.alarms});
    std::string s;
    for (const auto& a : last.alarms)
      s += " " + a.kind + "/" + std::string{to_string(a.severity)} + ":" + a.subject;
    return s.empty() ? "-" : s.substr(1);
  }
  void advance_ms(std::int64_t ms) { now += std::chrono::milliseconds{ms}; }
  void advance_s(std::int64_t s) { now += std::chrono::seconds{s}; }
  [[nodiscard]] const AssetState& asset(const char* id) const { return *book.asset(AssetId{id}); }
  [[nodiscard]] std::string location(const char* id) const {
    const Location& l = asset(id).location;
    if (!l.rack.empty()) return "rack:" + l.rack.str();
    return l.zone.empty() ? "unknown" : "zone:" + l.zone.str();
  }

  std::shared_ptr<const SiteModel> model;
  Timestamp start;
  Timestamp now;
  AssetBook book;
  Observation last_observation;
  AssetOutcome last;
  std::vector<StoredRecord> log;
};

}  // namespace portcullis::core::testing
