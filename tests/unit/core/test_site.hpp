#pragma once
// A small site shared by the core unit tests, built in code so each test reads as a sequence of events.
//   public(t0) -> lobby(t1) -> office(t2, hard APB) -> hall(t3: badge+pin | badge+biometric, clearance,
//   timed APB 600 s) -> cage(t4, two-person); lobby -> lab(t2, soft APB). rack-1 in the hall (t3).
// Local time: UTC+1 with EU daylight saving. Default "now": Monday 2026-11-30 10:00 local.
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "portcullis/core/engine.hpp"

namespace portcullis::core::testing {

using namespace std::chrono;
using namespace std::chrono_literals;

inline Timestamp utc(int y, unsigned mo, unsigned d, int h, int mi = 0, int s = 0) {
  return Timestamp{sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s}};
}
inline Timestamp monday_10_local() {
  return utc(2026, 11, 30, 9);
}

// Hashes in tests are "plain:<pin>"; a real site uses PBKDF2 (server/crypto).
class FakePinVerifier final : public PinVerifier {
 public:
  PinMatch verify(std::string_view stored_hash, std::string_view pin) const override {
    ++calls;
    return stored_hash == "plain:" + std::string{pin} ? PinMatch::Match : PinMatch::Mismatch;
  }
  mutable int calls = 0;
};

inline ReaderDef reader(const char* id, ReaderSide side, std::uint8_t reads = kReadsBadge) {
  return ReaderDef{ReaderId{id}, side, reads};
}

inline SiteDefinition test_site_definition() {
  SiteDefinition s;
  s.site_id = "test";
  s.name = "Test site";
  s.version = "1";
  s.settings.time_zone = TimeZoneRule{60, DstRule{{3, 5, 0, 120}, {10, 5, 0, 180}, 60}};
  s.settings.holidays = {year{2026} / December / 25};
  s.settings.factor_window_s = 30;
  s.settings.pin_max_failures = 3;
  s.zones = {
      {ZoneId{"public"}, "Public", ZoneId{}, 0, ApbMode::None, 0, 0},
      {ZoneId{"lobby"}, "Lobby", ZoneId{"public"}, 1, ApbMode::None, 0, 0},
      {ZoneId{"office"}, "Office", ZoneId{"lobby"}, 2, ApbMode::Hard, 0, 0},
      {ZoneId{"hall"}, "Hall", ZoneId{"office"}, 3, ApbMode::Timed, 600, 0},
      {ZoneId{"cage"}, "Cage", ZoneId{"hall"}, 4, ApbMode::Hard, 0, 2},
      {ZoneId{"lab"}, "Lab", ZoneId{"lobby"}, 2, ApbMode::Soft, 0, 0},
  };
  auto portal = [](const char* id, const char* from, const char* to, std::vector<ReaderDef> readers) {
    PortalDef p;
    p.id = PortalId{id};
    p.name = id;
    p.from = ZoneId{from};
    p.to = ZoneId{to};
    p.readers = std::move(readers);
    return p;
  };
  s.portals = {
      portal("front", "public", "lobby",
             {reader("front-in", ReaderSide::Entry), reader("front-out", ReaderSide::Exit)}),
      portal("office-door", "lobby", "office",
             {reader("office-in", ReaderSide::Entry), reader("office-out", ReaderSide::Exit)}),
      portal("hall-door", "office", "hall",
             {reader("hall-in", ReaderSide::Entry, kReadsBadge | kReadsPin),
              reader("hall-bio", ReaderSide::Entry, kReadsBiometric), reader("hall-out", ReaderSide::Exit)}),
      portal("cage-door", "hall", "cage",
             {reader("cage-in", ReaderSide::Entry, kReadsBadge | kReadsBiometric)}),
      portal("lab-door", "lobby", "lab",
             {reader("lab-in", ReaderSide::Entry), reader("lab-out", ReaderSide::Exit)}),
  };
  RackDef rack;
  rack.id = RackId{"rack-1"};
  rack.name = "Rack 1";
  rack.zone = ZoneId{"hall"};
  rack.tier = 3;
  rack.readers = {reader("rack-1-r", ReaderSide::Entry, kReadsBadge | kReadsPin)};
  s.racks = {rack};

  auto person = [](const char* id, std::uint64_t card) {
    PersonDef p;
    p.id = PersonId{id};
    p.name = id;
    p.cards = {
        CardDef{CredentialId{std::string{id} + "-card"}, CardFormat::FacilityAndNumber, 10, card, "", false}};
    return p;
  };
  PersonDef ada = person("ada", 1);
  ada.clearance = {ClearanceStatus::Cleared, utc(2030, 1, 1, 0)};
  ada.pin_hash = "plain:1234";
  ada.duress_pin_hash = "plain:9999";
  ada.biometrics = {BiometricDef{CredentialId{"ada-bio"}, "tpl-ada", false}};
  PersonDef bob = person("bob", 2);  // no clearance
  PersonDef eve = person("eve", 3);
  eve.revoked = true;  // terminated
  PersonDef carl = person("carl", 4);
  carl.clearance = {ClearanceStatus::Cleared, utc(2020, 1, 1, 0)};  // expired
  carl.pin_hash = "plain:1111";
  PersonDef dan = person("dan", 5);
  dan.cards.push_back(CardDef{CredentialId{"dan-old"}, CardFormat::FacilityAndNumber, 10, 6, "", true});
  PersonDef fay = person("fay", 7);  // cleared, hall only at business hours
  fay.clearance = {ClearanceStatus::Cleared, utc(2030, 1, 1, 0)};
  fay.pin_hash = "plain:4321";
  s.people = {ada, bob, eve, carl, dan, fay};
  s.groups = {GroupDef{GroupId{"staff"},
                       "Staff",
                       {PersonId{"ada"}, PersonId{"bob"}, PersonId{"eve"}, PersonId{"carl"}, PersonId{"dan"},
                        PersonId{"fay"}}}};
  s.schedules = {
      ScheduleDef{ScheduleId{"business"}, "Business hours", {WeeklyWindow{0x1F, 8 * 60, 18 * 60}}, true}};
  auto grant = [](const char* id, const char* who, bool group, std::vector<ZoneId> zones) {
    GrantDef g;
    g.id = GrantId{id};
    if (group) {
      g.group = GroupId{who};
    } else {
      g.person = PersonId{who};
    }
    g.zones = std::move(zones);
    return g;
  };
  GrantDef staff =
      grant("g-staff", "staff", true, {ZoneId{"lobby"}, ZoneId{"office"}, ZoneId{"lab"}, ZoneId{"public"}});
  GrantDef ada_hall = grant("g-ada-hall", "ada", false, {ZoneId{"hall"}, ZoneId{"cage"}});
  ada_hall.racks = {RackId{"rack-1"}};
  GrantDef carl_hall = grant("g-carl-hall", "carl", false, {ZoneId{"hall"}});
  GrantDef bob_hall = grant("g-bob-hall", "bob", false, {ZoneId{"hall"}});
  GrantDef fay_hall = grant("g-fay-hall", "fay", false, {ZoneId{"hall"}});
  fay_hall.schedule = ScheduleId{"business"};
  fay_hall.valid_from = utc(2026, 1, 1, 0);
  fay_hall.valid_until = utc(2027, 1, 1, 0);
  GrantDef dan_lab_deny = grant("g-dan-no-lab", "dan", false, {ZoneId{"lab"}});
  dan_lab_deny.effect = GrantEffect::Deny;
  s.grants = {staff, ada_hall, carl_hall, bob_hall, fay_hall, dan_lab_deny};
  // One controller serves every door here (device binding: it must list them); rack-1 has its own; the fire
  // panel covers the whole site.
  DeviceDef ctl{DeviceId{"ctl-1"}, DeviceKind::DoorController, {}, {}, {}, std::string(64, 'a'), 0, {}, {}};
  for (const auto& p : s.portals) {
    ctl.portals.push_back(p.id);
    for (const auto& r : p.readers) ctl.readers.push_back(r.id);
  }
  DeviceDef rack_ctl{DeviceId{"rack-ctl-1"},
                     DeviceKind::RackController,
                     {ReaderId{"rack-1-r"}},
                     {},
                     {RackId{"rack-1"}},
                     std::string(64, 'b'),
                     0,
                     {},
                     {}};
  DeviceDef panel{DeviceId{"fire-1"}, DeviceKind::FirePanel, {}, {}, {}, std::string(64, 'c'), 0, {},
                  {ZoneId{"public"}}};
  s.devices = {ctl, rack_ctl, panel};
  s.tiers = {
      {0, {{Factor::Badge}}, false, false},
      {1, {{Factor::Badge}}, false, false},
      {2, {{Factor::Badge}}, false, false},
      {3, {{Factor::Badge, Factor::Pin}, {Factor::Badge, Factor::Biometric}}, true, false},
      {4, {{Factor::Badge, Factor::Biometric}}, true, true},
  };
  return s;
}

inline std::shared_ptr<const SiteModel> build_or_throw(const SiteDefinition& def) {
  auto built = SiteModel::build(def);
  if (!built.model) {
    std::string all;
    for (const auto& p : built.problems) all += p.json_path + ": " + p.message + "\n";
    throw std::runtime_error(all);
  }
  return built.model;
}

// The device that serves a reader of test_site_definition().
inline DeviceId device_of(const char* reader_id) {
  return DeviceId{std::string{reader_id}.starts_with("rack-") ? "rack-ctl-1" : "ctl-1"};
}

inline DeviceEvent card(const char* reader_id, std::uint64_t number, std::uint32_t facility = 10) {
  DeviceEvent e;
  e.device = device_of(reader_id);
  e.payload = CardPresented{ReaderId{reader_id}, Card{CardFormat::FacilityAndNumber, facility, number, ""}};
  return e;
}
inline DeviceEvent pin(const char* reader_id, const char* digits) {
  DeviceEvent e;
  e.device = device_of(reader_id);
  e.payload = PinEntered{ReaderId{reader_id}, digits, std::nullopt, PersonId{}};
  return e;
}
inline DeviceEvent finger(const char* reader_id, const char* template_id, bool matched = true) {
  DeviceEvent e;
  e.device = device_of(reader_id);
  e.payload = BiometricMatch{ReaderId{reader_id}, template_id, 90, matched};
  return e;
}

}  // namespace portcullis::core::testing

#include <gtest/gtest.h>

namespace portcullis::core::testing {

// "grant/granted", "pending/missing_factor/pin", "deny/anti_passback": one readable string per outcome.
inline std::string summary(const Outcome& out) {
  if (!out.decision) return "none";
  std::string s{to_string(out.decision->verdict)};
  s += "/";
  s += to_string(out.decision->reason);
  if (out.decision->needed) {
    s += "/";
    s += to_string(*out.decision->needed);
  }
  return s;
}

}  // namespace portcullis::core::testing
