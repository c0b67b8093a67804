#pragma once
// The site of the issue-4 scenario tests, and a small driver so each test reads as a sequence of device
// events with the decision and alarms expected after each.
//   public(t0) -front-> lobby(t1) -outer-> vest(t1) -inner-> hall(t2: badge+pin | badge+bio)
//   hall -cage-door-> cage(t3: badge+bio, two-person, min occupancy 2, any order, 30 s)
//   lobby -vault-door-> vault(t3, min occupancy 2, ordered: a supervisor first, 30 s)
//   mantrap "mt" = vest with outer and inner (max dwell 60 s); rack "rk" in the hall is two-person (t2).
//   front is fail-safe. Door contacts debounce 500 ms; lone-person grace 30 s; device "ctl" heartbeat 600 s.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "test_site.hpp"

namespace portcullis::core::testing {

inline SiteDefinition scenario_site_definition() {
  SiteDefinition s;
  s.site_id = "scenario";
  s.version = "1";
  s.settings.time_zone = TimeZoneRule{0, std::nullopt};
  s.settings.contact_debounce_ms = 500;
  s.settings.lone_person_grace_s = 30;
  auto zone = [](const char* id, const char* parent, int tier, int min_occupancy) {
    ZoneDef z;
    z.id = ZoneId{id};
    z.name = id;
    z.parent = ZoneId{parent};
    z.tier = tier;
    z.min_occupancy = min_occupancy;
    return z;
  };
  s.zones = {zone("public", "", 0, 0),   zone("lobby", "public", 1, 0), zone("vest", "lobby", 1, 0),
             zone("hall", "vest", 2, 0), zone("cage", "hall", 3, 2),    zone("vault", "lobby", 3, 2)};
  s.two_person_rules = {{ZoneId{"vault"}, RackId{}, TwoPersonMode::Ordered, GroupId{"supervisors"}, 30}};
  auto portal = [](const char* id, const char* from, const char* to, std::vector<ReaderDef> readers) {
    PortalDef p;
    p.id = PortalId{id};
    p.name = id;
    p.from = ZoneId{from};
    p.to = ZoneId{to};
    p.readers = std::move(readers);
    p.held_open_s = 10;
    p.unlock_s = 5;
    return p;
  };
  s.portals = {
      portal("front", "public", "lobby",
             {reader("front-in", ReaderSide::Entry, kReadsBadge | kReadsPin),
              reader("front-out", ReaderSide::Exit)}),
      portal("outer", "lobby", "vest",
             {reader("outer-in", ReaderSide::Entry), reader("outer-out", ReaderSide::Exit)}),
      portal(
          "inner", "vest", "hall",
          {reader("inner-in", ReaderSide::Entry, kReadsBadge | kReadsPin),
           reader("inner-bio", ReaderSide::Entry, kReadsBiometric), reader("inner-out", ReaderSide::Exit)}),
      portal("cage-door", "hall", "cage",
             {reader("cage-in", ReaderSide::Entry, kReadsBadge | kReadsBiometric),
              reader("cage-out", ReaderSide::Exit)}),
      portal("vault-door", "lobby", "vault",
             {reader("vault-in", ReaderSide::Entry, kReadsBadge | kReadsBiometric),
              reader("vault-out", ReaderSide::Exit)}),
  };
  s.portals[0].fail_safe = true;
  RackDef rack;
  rack.id = RackId{"rk"};
  rack.name = "rk";
  rack.zone = ZoneId{"hall"};
  rack.tier = 2;
  rack.two_person = true;
  rack.readers = {reader("rk-r", ReaderSide::Entry, kReadsBadge | kReadsPin | kReadsBiometric)};
  s.racks = {rack};
  s.mantraps = {MantrapDef{MantrapId{"mt"}, ZoneId{"vest"}, {PortalId{"outer"}, PortalId{"inner"}}, 60}};
  auto person = [](const char* id, std::uint64_t card, bool finger) {
    PersonDef p;
    p.id = PersonId{id};
    p.name = id;
    p.cards = {
        CardDef{CredentialId{std::string{id} + "-card"}, CardFormat::FacilityAndNumber, 10, card, "", false}};
    if (finger)
      p.biometrics = {BiometricDef{CredentialId{std::string{id} + "-bio"}, "tpl-" + std::string{id}, false}};
    p.pin_hash = "plain:" + std::to_string(1000 + card);
    return p;
  };
  // Cards: ada 1 (supervisor), bob 2, cy 3 (no fingerprint), dee 4 (supervisor).
  s.people = {person("ada", 1, true), person("bob", 2, true), person("cy", 3, false), person("dee", 4, true)};
  s.groups = {
      GroupDef{GroupId{"supervisors"}, "Supervisors", {PersonId{"ada"}, PersonId{"dee"}}},
      GroupDef{GroupId{"all"}, "All", {PersonId{"ada"}, PersonId{"bob"}, PersonId{"cy"}, PersonId{"dee"}}}};
  GrantDef all;
  all.id = GrantId{"g-all"};
  all.group = GroupId{"all"};
  all.zones = {ZoneId{"public"}, ZoneId{"lobby"}, ZoneId{"vest"},
               ZoneId{"hall"},   ZoneId{"cage"},  ZoneId{"vault"}};
  all.racks = {RackId{"rk"}};
  s.grants = {all};
  // "ctl" serves every door, reader, rack and the vestibule sensor; "panel" is the site's fire panel.
  DeviceDef ctl{DeviceId{"ctl"}, DeviceKind::DoorController, {}, {}, {}, std::string(64, 'a'), 600, {}, {}};
  for (const auto& p : s.portals) {
    ctl.portals.push_back(p.id);
    for (const auto& r : p.readers) ctl.readers.push_back(r.id);
  }
  ctl.readers.push_back(ReaderId{"rk-r"});
  ctl.mantraps = {MantrapId{"mt"}};
  DeviceDef rack_ctl{DeviceId{"rack-ctl"},
                     DeviceKind::RackController,
                     {ReaderId{"rk-r"}},
                     {},
                     {RackId{"rk"}},
                     std::string(64, 'b'),
                     0,
                     {},
                     {}};
  DeviceDef panel{DeviceId{"panel"}, DeviceKind::FirePanel, {}, {}, {}, std::string(64, 'c'), 0, {},
                  {ZoneId{"public"}}};
  s.devices = {ctl, rack_ctl, panel};
  s.tiers = {
      {0, {{Factor::Badge}}, false, false},
      {1, {{Factor::Badge}}, false, false},
      {2, {{Factor::Badge, Factor::Pin}, {Factor::Badge, Factor::Biometric}}, false, false},
      {3, {{Factor::Badge, Factor::Biometric}}, false, true},
  };
  return s;
}

// Drives one engine through a scenario. Each call advances the clock (default 1 s) and returns
// "verdict/reason[/needed]" (or "-" without a decision) followed by " !kind" for every alarm.
class Scenario {
 public:
  // `doors_reported`: the controller reports the mantrap doors closed as it comes up (without a contact
  // state the interlock fails closed); false to start with no contact state at all.
  explicit Scenario(const SiteDefinition& site = scenario_site_definition(), bool doors_reported = true)
      : engine{build_or_throw(site), std::make_shared<FakePinVerifier>()} {
    if (!doors_reported) return;
    for (const auto& m : site.mantraps) {
      for (const auto& p : m.portals) contact(p.str().c_str(), false, 0);
    }
  }

  std::string badge(const char* reader, std::uint64_t card_no, double after_s = 1) {
    return event(CardPresented{ReaderId{reader}, Card{CardFormat::FacilityAndNumber, 10, card_no, ""}},
                 after_s);
  }
  std::string pin(const char* reader, std::uint64_t card_no, double after_s = 1) {
    return event(PinEntered{ReaderId{reader}, std::to_string(1000 + card_no), std::nullopt, PersonId{}},
                 after_s);
  }
  std::string finger(const char* reader, const char* person, double after_s = 1) {
    return event(BiometricMatch{ReaderId{reader}, std::string{"tpl-"} + person, 90, true}, after_s);
  }
  std::string contact(const char* portal, bool open, double after_s = 1) {
    return event(DoorContact{PortalId{portal}, RackId{}, open ? ContactState::Open : ContactState::Closed},
                 after_s);
  }
  std::string rack_contact(const char* rack, bool open, double after_s = 1) {
    return event(DoorContact{PortalId{}, RackId{rack}, open ? ContactState::Open : ContactState::Closed},
                 after_s, "rack-ctl");
  }
  std::string rex(const char* portal, double after_s = 1) {
    return event(RequestToExit{PortalId{portal}}, after_s);
  }
  std::string sensor(std::uint32_t count, double after_s = 1) {
    return event(OccupancyReport{MantrapId{"mt"}, count}, after_s);
  }
  std::string fire(bool active, const char* zone = "", double after_s = 1) {
    return event(FireAlarm{ZoneId{zone}, active}, after_s, "panel");
  }
  std::string tamper(double after_s = 1) { return event(Tamper{"reader", true}, after_s); }
  std::string heartbeat(double after_s = 1) { return event(Heartbeat{}, after_s); }
  // An event from another device than "ctl" (device binding tests).
  std::string send(const char* device, DevicePayload payload, double after_s = 1) {
    return event(std::move(payload), after_s, device);
  }
  std::string tick(double after_s = 1) {
    advance(after_s);
    last = engine.tick(now);
    log.push_back({std::nullopt, now, std::monostate{}, {}, describe(last)});
    return describe(last);
  }
  template <class Action>
  std::string act(const Action& action, bool may_approve = true, double after_s = 1) {
    return act_by(Actor{OperatorId{"op"}, PersonId{}, may_approve}, action, after_s);
  }
  // The same, by a given operator: two-operator actions need two accounts of two persons.
  template <class Action>
  std::string act_by(const Actor& who, const Action& action, double after_s = 1) {
    advance(after_s);
    last = engine.apply(action, now, who);
    log.push_back({std::nullopt, now, LoggedAction{action}, who, describe(last)});
    return describe(last);
  }

  static std::string describe(const Outcome& out) {
    std::string s = out.decision ? summary(out) : std::string{"-"};
    for (const auto& a : out.alarms) s += " !" + a.kind;
    return s;
  }

  Engine engine;
  Timestamp now = monday_10_local();
  Outcome last;
  using LoggedAction = std::variant<std::monostate, OperatorAction, SetThreatLevel, SupervisorOverride>;
  struct Entry {
    std::optional<DeviceEvent> event;  // nullopt: a tick or an operator action
    Timestamp at;
    LoggedAction action;  // monostate (with no event): a tick
    Actor actor;
    std::string outcome;  // describe() of what the live engine answered
  };
  std::vector<Entry> log;

  // Replays the log into a fresh engine as the server would: device events (PINs by their recorded verdict),
  // operator actions, and only the ticks that raised alarms. Returns the first outcome that differs, if any.
  std::optional<std::string> replay(Engine& fresh) const {
    for (const Entry& e : log) {
      std::string got;
      if (e.event) {
        got = describe(fresh.apply(*e.event, e.at));
      } else if (std::holds_alternative<std::monostate>(e.action)) {
        if (e.outcome == "-") continue;  // a tick without alarms is not recorded
        got = describe(fresh.tick(e.at));
      } else {
        got = std::visit(
            [&](const auto& a) -> std::string {
              if constexpr (std::is_same_v<std::decay_t<decltype(a)>, std::monostate>) {
                return "";
              } else {
                return describe(fresh.apply(a, e.at, e.actor));
              }
            },
            e.action);
      }
      if (got != e.outcome) return "live " + e.outcome + " replayed " + got;
    }
    return std::nullopt;
  }

 private:
  void advance(double seconds) {
    now += std::chrono::duration_cast<Duration>(std::chrono::duration<double>{seconds});
  }
  std::string event(DevicePayload payload, double after_s, const char* device = "ctl") {
    advance(after_s);
    DeviceEvent e;
    e.device = DeviceId{device};
    e.payload = std::move(payload);
    last = engine.apply(e, now);
    if (auto* p = std::get_if<PinEntered>(&e.payload)) {
      p->pin.clear();
      p->recorded_verdict = last.pin_verdict;
    }
    log.push_back({e, now, std::monostate{}, {}, describe(last)});
    return describe(last);
  }
};

}  // namespace portcullis::core::testing
