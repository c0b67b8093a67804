// No single device, no single person, over many short random sequences: events from devices of every kind,
// in and out of their scope, with fire alarms coming and going. After every event:
// - an event the device may not send changes no state at all;
// - no entry grant at a two-person place (cage, vault, rack rk) comes from one person;
// - no decision tells a door under a fire alarm to lock, and egress under fire is always granted;
// - nobody is alone in a two-person zone past the grace period without a lone_person or occupancy_unknown
//   alarm for it.
#include <gtest/gtest.h>

#include <random>

#include "portcullis/core/policy/device_scope.hpp"
#include "scenario_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;
using namespace std::chrono_literals;

SiteDefinition random_test_site() {
  SiteDefinition site = scenario_site_definition();
  auto device = [](const char* id, DeviceKind kind) {
    DeviceDef d;
    d.id = DeviceId{id};
    d.kind = kind;
    d.token_sha256 = std::string(64, 'a');
    return d;
  };
  DeviceDef lobby = device("lobby-reader", DeviceKind::Reader);
  lobby.readers = {ReaderId{"front-in"}, ReaderId{"front-out"}};
  DeviceDef sensor = device("sensor", DeviceKind::OccupancySensor);
  sensor.mantraps = {MantrapId{"mt"}};
  DeviceDef vault_panel = device("vault-panel", DeviceKind::FirePanel);
  vault_panel.zones = {ZoneId{"vault"}};
  DeviceDef rfid = device("rfid", DeviceKind::RfidReader);
  site.devices.push_back(lobby);
  site.devices.push_back(sensor);
  site.devices.push_back(vault_panel);
  site.devices.push_back(rfid);
  return site;
}

class Sequences {
 public:
  explicit Sequences(std::uint64_t seed) : rng_(seed) {}

  int pick(int n) { return std::uniform_int_distribution<int>{0, n - 1}(rng_); }
  template <class T>
  const T& any(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(pick(static_cast<int>(v.size())))];
  }

  // Each sequence focuses on one reader and two people, so two-person entries, windows and lone persons
  // actually happen within a dozen events.
  void start_sequence() {
    static const std::vector<std::string> focus{"cage-in",  "vault-in", "rk-r",
                                                "cage-out", "inner-in", "outer-in"};
    static const std::vector<std::string> people{"ada", "bob", "cy", "dee"};
    focus_ = any(focus);
    pair_ = {any(people), any(people)};
  }

  // Two people of the sequence entering the cage together (its prefix, half of the time).
  std::vector<DeviceEvent> pair_into_the_cage() const {
    std::vector<DeviceEvent> events;
    for (const std::string& person : {pair_.first, pair_.second}) {
      const std::uint64_t card = person == "ada" ? 1 : person == "bob" ? 2 : person == "cy" ? 3 : 4;
      DeviceEvent badge;
      badge.device = DeviceId{"ctl"};
      badge.payload = CardPresented{ReaderId{"cage-in"}, Card{CardFormat::FacilityAndNumber, 10, card, ""}};
      DeviceEvent finger = badge;
      finger.payload = BiometricMatch{ReaderId{"cage-in"}, "tpl-" + person, 90, true};
      events.push_back(badge);
      events.push_back(finger);
    }
    return events;
  }

  DeviceEvent event(Timestamp received) {
    static const std::vector<std::string> devices{"ctl",    "rack-ctl",    "panel", "lobby-reader",
                                                  "sensor", "vault-panel", "rfid",  "stranger"};
    static const std::vector<std::string> readers{
        "front-in", "front-out", "outer-in", "outer-out", "inner-in", "inner-bio", "inner-out",
        "cage-in",  "cage-out",  "vault-in", "vault-out", "rk-r",     "nowhere"};
    static const std::vector<std::string> portals{"front",     "outer",      "inner",
                                                  "cage-door", "vault-door", "gone"};
    static const std::vector<std::string> zones{"", "public", "lobby", "hall", "cage", "vault", "atlantis"};
    static const std::vector<std::string> people{"ada", "bob", "cy", "dee"};
    DeviceEvent e;
    e.device = DeviceId{any(devices)};
    e.device_time = pick(10) == 0 ? received - std::chrono::seconds{pick(600)} : received;
    const std::string reader = pick(4) != 0 ? focus_ : any(readers);
    const std::string person = pick(5) != 0 ? (pick(2) == 0 ? pair_.first : pair_.second) : any(people);
    const std::uint64_t card = person == "ada" ? 1 : person == "bob" ? 2 : person == "cy" ? 3 : 4;
    const ContactState contact = pick(2) == 0 ? ContactState::Open : ContactState::Closed;
    switch (pick(15)) {
      case 0:
      case 1:
      case 2:
        e.payload = CardPresented{ReaderId{reader},
                                  Card{CardFormat::FacilityAndNumber, 10, pick(8) == 0 ? 5U : card, ""}};
        break;
      case 3:
      case 4:
        e.payload = PinEntered{ReaderId{reader}, std::to_string(1000 + card), std::nullopt, PersonId{}};
        break;
      case 5:
      case 6:
      case 7: e.payload = BiometricMatch{ReaderId{reader}, "tpl-" + person, 90, pick(10) != 0}; break;
      case 8:
        e.payload = pick(4) == 0 ? DoorContact{PortalId{}, RackId{"rk"}, contact}
                                 : DoorContact{PortalId{any(portals)}, RackId{}, contact};
        break;
      case 9: e.payload = RequestToExit{PortalId{any(portals)}}; break;
      case 10:
      case 11: e.payload = FireAlarm{ZoneId{any(zones)}, pick(3) != 0}; break;
      case 12:
        e.payload =
            OccupancyReport{MantrapId{pick(5) == 0 ? "nope" : "mt"}, static_cast<std::uint32_t>(pick(3))};
        break;
      case 13: e.payload = Heartbeat{}; break;
      default: e.payload = Tamper{"reader", true}; break;
    }
    if (pick(6) != 0) e.device = right_device(e.payload);
    return e;
  }

  // The device of the test site that may send this event (so most events are in scope).
  DeviceId right_device(const DevicePayload& payload) {
    return std::visit(
        [&](const auto& p) -> DeviceId {
          using T = std::decay_t<decltype(p)>;
          if constexpr (std::is_same_v<T, FireAlarm>) {
            return DeviceId{p.zone == ZoneId{"vault"} && pick(2) == 0 ? "vault-panel" : "panel"};
          } else if constexpr (std::is_same_v<T, OccupancyReport>) {
            return DeviceId{pick(2) == 0 ? "sensor" : "ctl"};
          } else if constexpr (std::is_same_v<T, DoorContact>) {
            return DeviceId{p.rack.empty() ? "ctl" : "rack-ctl"};
          } else {
            return DeviceId{"ctl"};
          }
        },
        payload);
  }

 private:
  std::mt19937_64 rng_;
  std::string focus_;
  std::pair<std::string, std::string> pair_;
};

bool zone_within(const SiteModel& model, const ZoneId& zone, const ZoneId& ancestor) {
  const Index z = model.zone_index(zone);
  const Index a = model.zone_index(ancestor);
  return z != kNoIndex && a != kNoIndex && model.is_within(z, a);
}

bool under_fire(const SiteModel& model, const EngineState& state, const PortalId& portal) {
  const Index p = model.portal_index(portal);
  if (p == kNoIndex) return false;
  for (const ZoneId& fire : state.fires) {
    if (fire.empty() || model.zone_index(fire) == kNoIndex) return true;
    if (zone_within(model, model.portal(p).def.from, fire) ||
        zone_within(model, model.portal(p).def.to, fire))
      return true;
  }
  return false;
}

TEST(NoSingleDeviceNoSinglePerson, InvariantsHoldOverRandomSequences) {
  constexpr int kSequences = 100'000;
  const SiteDefinition site = random_test_site();
  const auto model = build_or_throw(site);
  const auto pins = std::make_shared<FakePinVerifier>();
  const std::int64_t grace = site.settings.lone_person_grace_s;
  Sequences random{20261130};
  long long refused = 0, two_person_grants = 0, fire_egress = 0, lone_alarms = 0;
  for (int seq = 0; seq < kSequences; ++seq) {
    Engine engine{model, pins};
    random.start_sequence();
    Timestamp t = monday_10_local();
    // Most sequences start with the mantrap doors reported; some with a fire already on.
    if (random.pick(4) != 0) {
      for (const char* p : {"outer", "inner"}) {
        DeviceEvent e;
        e.device = DeviceId{"ctl"};
        e.payload = DoorContact{PortalId{p}, RackId{}, ContactState::Closed};
        (void)engine.apply(e, t);
      }
    }
    std::map<ZoneId, std::pair<Timestamp, bool>> alone;  // zone -> (alone since, alarmed)
    std::vector<DeviceEvent> prefix;
    if (random.pick(2) == 0) prefix = random.pair_into_the_cage();
    const int length = static_cast<int>(prefix.size()) + 6 + random.pick(10);
    for (int step = 0; step < length; ++step) {
      const bool scripted = static_cast<std::size_t>(step) < prefix.size();
      t += scripted ? std::chrono::seconds{1}
                    : std::chrono::seconds{random.pick(4) == 0 ? 20 + random.pick(60) : random.pick(6)};
      const DeviceEvent e = scripted ? prefix[static_cast<std::size_t>(step)] : random.event(t);
      const auto scope = check_device_scope(*model, e);
      std::optional<EngineState> before;
      if (scope) before = engine.state();
      const Outcome out = engine.apply(e, t);
      const std::string where = "sequence " + std::to_string(seq) + " step " + std::to_string(step) + " " +
                                type_name(e.payload) + " from " + e.device.str();
      if (scope) {
        ++refused;
        ASSERT_TRUE(engine.state() == *before) << where << ": an out-of-scope event changed the state";
        ASSERT_TRUE(out.decision && out.decision->reason == Reason::DeviceOutOfScope) << where;
        continue;  // nothing ran, not even the deadlines
      }
      const EngineState& state = engine.state();
      if (out.decision) {
        const Decision& d = *out.decision;
        const bool two_person_place =
            d.rack == RackId{"rk"} ||
            ((d.destination == ZoneId{"cage"} || d.destination == ZoneId{"vault"}) && !d.portal.empty() &&
             d.reason != Reason::FireAlarmRelease);
        if (d.verdict == Verdict::Grant && two_person_place) {
          ++two_person_grants;
          ASSERT_TRUE(out.first_person) << where << ": one person entered a two-person place";
          ASSERT_EQ(out.first_person->verdict, Verdict::Grant) << where;
          ASSERT_NE(out.first_person->person, d.person) << where;
        }
        if (!d.portal.empty() && under_fire(*model, state, d.portal)) {
          ASSERT_NE(out.door_action, DoorAction::Lock) << where << ": lock command to a door under fire";
        }
        if (d.reason == Reason::FireAlarmRelease) ++fire_egress;
      }
      for (const Alarm& a : out.alarms) {
        if (a.kind == "lone_person" || a.kind == "occupancy_unknown") {
          ++lone_alarms;
          if (alone.contains(ZoneId{a.subject})) alone[ZoneId{a.subject}].second = true;
        }
      }
      for (const ZoneId& zone : {ZoneId{"cage"}, ZoneId{"vault"}}) {
        auto occ = state.occupancy.find(zone);
        const bool one = occ != state.occupancy.end() && occ->second == 1;
        if (!one) {
          alone.erase(zone);
          continue;
        }
        auto [it, fresh] = alone.try_emplace(zone, t, state.occupancy_unknown.contains(zone));
        if (!fresh && !it->second.second) {
          ASSERT_LE(t - it->second.first, std::chrono::seconds{grace})
              << where << ": one person alone in " << zone.str() << " without an alarm";
        }
      }
    }
  }
  // The sequences must exercise the rules.
  EXPECT_GT(refused, kSequences);
  EXPECT_GT(two_person_grants, 100);
  EXPECT_GT(fire_egress, 100);
  EXPECT_GT(lone_alarms, 10);
  std::cout << refused << " refused, " << two_person_grants << " two-person grants, " << fire_egress
            << " fire egress grants, " << lone_alarms << " lone/unknown alarms\n";
}

}  // namespace
}  // namespace portcullis::core
