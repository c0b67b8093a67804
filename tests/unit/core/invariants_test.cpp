// Invariants of mantraps, two-person rules and lone persons over long random sequences on the scenario site: random badges, PINs, fingers at every
// reader, a physical world that opens a door only while the server has it released (or now and then forces
// one), vestibule sensors, requests to exit, fire alarms, lockdowns, overrides, threat levels and ticks.
// After every step:
//   - never two mantrap doors open: no grant of a mantrap door while the other is open, outside a fire alarm;
//   - never a person alone in a two-person zone past the grace period without a lone_person alarm;
//   - never a grant into a locked-down zone except a supervisor override (or fire-alarm egress).
// Every 4th sequence is replayed with only its alarm-raising ticks and must answer identically.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "scenario_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

bool within(const SiteModel& m, const ZoneId& zone, const ZoneId& ancestor) {
  const Index z = m.zone_index(zone);
  const Index a = m.zone_index(ancestor);
  return z != kNoIndex && a != kNoIndex && m.is_within(z, a);
}

TEST(Invariants, MantrapTwoPersonAndLockdownHoldOverRandomSequences) {
  constexpr int kSequences = 3000;
  const std::vector<const char*> readers = {"front-in", "front-out", "outer-in",  "outer-out",
                                            "inner-in", "inner-bio", "inner-out", "cage-in",
                                            "cage-out", "vault-in",  "vault-out", "rk-r"};
  const std::vector<const char*> people = {"ada", "bob", "cy", "dee"};
  const std::vector<const char*> portals = {"front", "outer", "inner", "cage-door", "vault-door"};
  const std::vector<const char*> zones = {"", "hall", "cage", "vault", "lobby"};
  long long steps = 0, grants = 0, lone_alarms = 0, interlock = 0, overrides = 0, replays = 0;
  for (int seq = 0; seq < kSequences; ++seq) {
    std::mt19937_64 rng{static_cast<std::uint64_t>(seq) * 104729U + 7U};
    auto pick = [&](int n) { return std::uniform_int_distribution<int>{0, n - 1}(rng); };
    SiteDefinition site = scenario_site_definition();
    if (seq % 3 == 0) site.settings.lone_person_policy = LonePersonPolicy::DenyExit;
    Scenario s{site};
    const SiteModel& model = s.engine.model();
    std::set<std::string> lockdowns;  // "" = site
    bool fire = false;
    bool fire_before = false;          // during the previous step: its clearance is seen by the next input
    std::map<std::string, bool> open;  // the physical doors
    std::map<std::string, Timestamp> lone_since;
    std::map<std::string, bool> lone_alarmed;
    std::string history;
    for (int step = 0; step < 150; ++step) {
      const int what = pick(100);
      const double gap = pick(4) == 0 ? pick(40) : 0.2 * pick(10);
      std::string got;
      std::vector<Alarm> step_alarms;  // every outcome of this step (a two-operator step has two)
      if (what < 45) {
        const char* reader = readers[static_cast<std::size_t>(pick(static_cast<int>(readers.size())))];
        const int person = pick(4);
        const int how = pick(3);
        if (how == 0) {
          got = s.badge(reader, static_cast<std::uint64_t>(person + 1), gap);
        } else if (how == 1) {
          got = s.pin(reader, static_cast<std::uint64_t>(person + 1), gap);
        } else {
          got = s.finger(reader, people[static_cast<std::size_t>(person)], gap);
        }
      } else if (what < 65) {
        // The world: a released door may open; an open door closes; rarely a door is forced.
        const std::string portal = portals[static_cast<std::size_t>(pick(static_cast<int>(portals.size())))];
        const auto& doors = s.engine.state().doors;
        auto it = doors.find(PortalId{portal});
        const bool released =
            it != doors.end() && s.now + std::chrono::milliseconds{100} < it->second.released_until;
        const bool is_mantrap = portal == "outer" || portal == "inner";
        if (open[portal]) {
          open[portal] = false;
          got = s.contact(portal.c_str(), false, gap);
        } else if ((released || (!is_mantrap && pick(10) == 0) || fire) &&
                   !(is_mantrap && !fire && (open["outer"] || open["inner"]))) {
          // A mantrap door opens only while released (the hardware interlock holds it otherwise).
          open[portal] = true;
          got = s.contact(portal.c_str(), true, 0.05);
        } else {
          got = s.tick(gap);
        }
      } else if (what < 72) {
        got = s.sensor(static_cast<std::uint32_t>(pick(3)), gap);
      } else if (what < 75) {
        got = s.rex(portals[static_cast<std::size_t>(pick(static_cast<int>(portals.size())))], gap);
      } else if (what < 78) {
        fire = !fire;
        got = s.fire(fire, "", gap);
      } else if (what < 83) {
        const std::string zone = zones[static_cast<std::size_t>(pick(static_cast<int>(zones.size())))];
        if (pick(2) == 0) {
          lockdowns.insert(zone);
          got = s.act(SetLockdown{ZoneId{zone}, ""}, true, gap);
        } else {
          lockdowns.erase(zone);
          got = s.act(ClearLockdown{ZoneId{zone}, ""}, true, gap);
        }
      } else if (what < 86) {
        // An override into a two-person place or through a lockdown waits for a second operator, another
        // person: half the time one confirms it.
        const SupervisorOverride override{PersonId{people[static_cast<std::size_t>(pick(4))]},
                                          PortalId{portals[static_cast<std::size_t>(pick(5))]}, RackId{}, ""};
        got = s.act_by(Actor{OperatorId{"sup-a"}, PersonId{"sup-a"}, pick(4) != 0}, override, gap);
        if (s.last.decision && s.last.decision->reason == Reason::SecondOperatorRequired && pick(2) == 0) {
          step_alarms = s.last.alarms;
          got += " / " + s.act_by(Actor{OperatorId{"sup-b"}, PersonId{"sup-b"}, true}, override, 0.5);
        }
      } else if (what < 88) {
        got = s.act(SetThreatLevel{ZoneId{}, pick(3), ""}, true, gap);
      } else {
        got = s.tick(gap);
      }
      ++steps;
      history += "\n  " + got;
      const Outcome& out = s.last;
      step_alarms.insert(step_alarms.end(), out.alarms.begin(), out.alarms.end());
      for (const auto& a : step_alarms) {
        lone_alarmed[a.subject] = lone_alarmed[a.subject] || a.kind == "lone_person";
        lone_alarms += a.kind == "lone_person" ? 1 : 0;
      }
      // Lockdown: a grant into a locked zone is only ever an override or fire-alarm egress.
      for (const Decision* d :
           {out.decision ? &*out.decision : nullptr, out.first_person ? &*out.first_person : nullptr}) {
        if (d == nullptr || d->verdict != Verdict::Grant) continue;
        if (d->reason == Reason::Applied) continue;
        ++grants;
        if (d->reason == Reason::InterlockBusy) ++interlock;
        // Interlock: the server never releases a mantrap door while the other one is open.
        if (!fire && (d->portal.str() == "outer" || d->portal.str() == "inner")) {
          ASSERT_FALSE(open[d->portal.str() == "outer" ? "inner" : "outer"])
              << "granted " << d->portal.str() << " with the other mantrap door open, seq " << seq << history;
        }
        if (d->reason == Reason::SupervisorOverride || d->reason == Reason::FireAlarmRelease) {
          overrides += d->reason == Reason::SupervisorOverride ? 1 : 0;
          continue;
        }
        const Index p = d->portal.empty() ? kNoIndex : model.portal_index(d->portal);
        const bool egress = p != kNoIndex && d->destination == model.portal(p).def.from;
        if (egress) continue;
        for (const auto& z : lockdowns) {
          ASSERT_FALSE(z.empty() || within(model, d->destination, ZoneId{z}))
              << "grant into locked-down " << d->destination.str() << ", seq " << seq << history;
        }
      }
      if (out.decision && out.decision->reason == Reason::InterlockBusy) ++interlock;
      const bool fire_now = fire;
      // Lone person: count recorded presence independently of the engine's occupancy.
      for (const char* zone : {"cage", "vault"}) {
        int count = 0;
        for (const auto& [person, where] : s.engine.state().presence)
          count += where.zone.str() == zone ? 1 : 0;
        if (count != 1) {
          lone_since.erase(zone);
          lone_alarmed[zone] = false;
          continue;
        }
        if (!lone_since.contains(zone)) {
          lone_since[zone] = s.now;
          lone_alarmed[zone] = false;
        }
        if (!fire && !fire_before &&
            s.now - lone_since[zone] > std::chrono::seconds{30} + std::chrono::seconds{1}) {
          // The alarm came at the latest with the first input after the grace period.
          ASSERT_TRUE(lone_alarmed[zone]) << zone << " has one person and no alarm, seq " << seq << history;
        }
      }
      fire_before = fire_now;
    }
    // Restart-rebuild with only the alarm-raising ticks recorded: the same outcomes at every step.
    if (seq % 4 == 0) {
      Engine replayed{build_or_throw(site), std::make_shared<FakePinVerifier>()};
      const auto differs = s.replay(replayed);
      ASSERT_EQ(differs, std::nullopt) << "seq " << seq << history;
      ++replays;
    }
  }
  std::cout << steps << " steps, " << grants << " grants, " << interlock << " interlock denials, "
            << lone_alarms << " lone alarms, " << overrides << " overrides, " << replays << " replays\n";
  EXPECT_GT(grants, steps / 50);
  EXPECT_GT(lone_alarms, 0);
  EXPECT_GT(interlock, 0);
}

}  // namespace
}  // namespace portcullis::core
