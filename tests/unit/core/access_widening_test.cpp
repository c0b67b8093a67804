// Separation of duties on the effective model: which changes widen access to a sensitive place (a tier >= 3
// or two-person zone or rack) and so need a second approver. The named paths one admin could use alone, the
// narrowing changes that apply at once, and a property: random model edits that the function calls "not
// widening" never let any person into a sensitive place where the engine's own policy step refused them.
#include <gtest/gtest.h>

#include <random>

#include "../../../server/core/src/policy/access_check.hpp"
#include "portcullis/core/policy/access_widening.hpp"
#include "test_site.hpp"

namespace portcullis::core {
namespace {
using testing::build_or_throw;
using testing::test_site_definition;
using testing::utc;

// The test site plus a custodians group holding the cage grant and a revoked grant of bob's to the hall.
SiteDefinition site_with_custodians() {
  auto s = test_site_definition();
  s.groups.push_back(GroupDef{GroupId{"custodians"}, "Custodians", {PersonId{"ada"}}});
  GrantDef cage;
  cage.id = GrantId{"g-custodians-cage"};
  cage.group = GroupId{"custodians"};
  cage.zones = {ZoneId{"cage"}};
  s.grants.push_back(cage);
  GrantDef old;
  old.id = GrantId{"g-fay-old-cage"};
  old.person = PersonId{"fay"};
  old.zones = {ZoneId{"cage"}};
  old.revoked = true;
  s.grants.push_back(old);
  GrantDef no_hall;
  no_hall.id = GrantId{"g-carl-no-hall"};
  no_hall.person = PersonId{"carl"};
  no_hall.effect = GrantEffect::Deny;
  no_hall.zones = {ZoneId{"hall"}};
  s.grants.push_back(no_hall);
  return s;
}

class WideningTest : public ::testing::Test {
 protected:
  WideningTest() {
    auto def = std::make_shared<const SiteDefinition>(site_with_custodians());
    engine = std::make_unique<Engine>(build_or_throw(*def));
    EXPECT_TRUE(engine->load_site(def).empty());
    admin.id = OperatorId{"root"};
  }
  Widening of(const OperatorAction& action) {
    return widening_of(*engine, action, testing::monday_10_local(), admin);
  }
  std::unique_ptr<Engine> engine;
  Actor admin;
};

TEST_F(WideningTest, AddingAMemberToAGroupThatHoldsACageGrantWidens) {
  const auto w = of(AdminChange{AddGroupMember{GroupId{"custodians"}, PersonId{"fay"}}});
  ASSERT_TRUE(w.widens());
  EXPECT_EQ(w.reasons.front(), "\"fay\" gains access to zone \"cage\"");
  // bob holds no clearance, which the cage's tier needs: adding him lets him nowhere new.
  EXPECT_FALSE(of(AdminChange{AddGroupMember{GroupId{"custodians"}, PersonId{"bob"}}}).widens());
}

TEST_F(WideningTest, RemovingAnExplicitDenyWidens) {
  const auto w = of(RemoveGrant{GrantId{"g-carl-no-hall"}, "done"});
  ASSERT_TRUE(w.widens());
  EXPECT_NE(std::find(w.reasons.begin(), w.reasons.end(),
                      "an explicit deny of \"carl\" at zone \"hall\" is lifted or narrowed"),
            w.reasons.end());
}

TEST_F(WideningTest, RestoringARevokedGrantToTheCageWidens) {
  EXPECT_TRUE(of(RestoreGrant{GrantId{"g-fay-old-cage"}, "back"}).widens());
  // Revoked by an operator, then restored: the override is part of the effective model.
  ASSERT_TRUE(engine->apply(RevokeGrant{GrantId{"g-ada-hall"}, "x"}, testing::monday_10_local(), admin)
                  .decision->verdict == Verdict::Grant);
  EXPECT_TRUE(of(RestoreGrant{GrantId{"g-ada-hall"}, "back"}).widens());
}

TEST_F(WideningTest, AddingACredentialToAClearedPersonWithCageAccessWidens) {
  CardDef card{CredentialId{"ada-second"}, CardFormat::FacilityAndNumber, 10, 77, "", false};
  const auto w = of(AdminChange{AddCard{PersonId{"ada"}, card}});
  ASSERT_TRUE(w.widens());
  EXPECT_EQ(w.reasons.front(), "\"ada\", who has access to a sensitive place, gains card \"ada-second\"");
  // The same for someone with no access to a sensitive place applies at once.
  CardDef other{CredentialId{"dan-second"}, CardFormat::FacilityAndNumber, 10, 78, "", false};
  EXPECT_FALSE(of(AdminChange{AddCard{PersonId{"dan"}, other}}).widens());
}

TEST_F(WideningTest, ASiteLoadThatLowersATierDropsMinOccupancyOrARacksTwoPersonWidens) {
  auto lowered = site_with_custodians();
  lowered.zones[4].tier = 2;  // the cage
  EXPECT_TRUE(widening_of_site_load(*engine, lowered).widens());
  auto alone = site_with_custodians();
  alone.zones[4].min_occupancy = 0;
  EXPECT_TRUE(widening_of_site_load(*engine, alone).widens());
  auto rack = site_with_custodians();
  rack.racks[0].two_person = true;
  auto def = std::make_shared<const SiteDefinition>(rack);
  ASSERT_TRUE(engine->load_site(def).empty());
  auto dropped = rack;
  dropped.racks[0].two_person = false;
  const auto w = widening_of_site_load(*engine, dropped);
  ASSERT_TRUE(w.widens());
  EXPECT_EQ(w.reasons.front(), "rack \"rack-1\": two_person dropped");
}

TEST_F(WideningTest, RelaxedFactorsClearanceOrMantrapAndAWiderScheduleWiden) {
  auto factors = site_with_custodians();
  factors.tiers[3].any_of.push_back({Factor::Badge});
  EXPECT_TRUE(widening_of_site_load(*engine, factors).widens());
  auto clearance = site_with_custodians();
  clearance.tiers[4].clearance_required = false;
  EXPECT_TRUE(widening_of_site_load(*engine, clearance).widens());
  auto schedule = site_with_custodians();
  schedule.schedules[0].windows[0].end_minute = 20 * 60;  // fay's hall grant: business hours until 20:00
  EXPECT_TRUE(widening_of_site_load(*engine, schedule).widens());
  auto later = site_with_custodians();
  later.grants[4].valid_until = utc(2028, 1, 1, 0);
  EXPECT_TRUE(widening_of_site_load(*engine, later).widens());
  auto with_mantrap = site_with_custodians();
  with_mantrap.mantraps = {
      MantrapDef{MantrapId{"m"}, ZoneId{"office"}, {PortalId{"office-door"}, PortalId{"hall-door"}}, 60}};
  ASSERT_TRUE(engine->load_site(std::make_shared<const SiteDefinition>(with_mantrap)).empty());
  EXPECT_TRUE(widening_of_site_load(*engine, site_with_custodians()).widens());
}

TEST_F(WideningTest, ChangesThatOnlyNarrowApplyAtOnce) {
  EXPECT_FALSE(of(AdminChange{RemoveGroupMember{GroupId{"custodians"}, PersonId{"ada"}}}).widens());
  EXPECT_FALSE(of(RevokeGrant{GrantId{"g-ada-hall"}, "x"}).widens());
  EXPECT_FALSE(of(RevokePerson{PersonId{"ada"}, "x"}).widens());
  EXPECT_FALSE(of(RemoveGrant{GrantId{"g-ada-hall"}, "x"}).widens());
  GrantDef deny;
  deny.id = GrantId{"g-ada-no-cage"};
  deny.person = PersonId{"ada"};
  deny.effect = GrantEffect::Deny;
  deny.zones = {ZoneId{"cage"}};
  EXPECT_FALSE(of(AddGrant{deny}).widens());
  GrantDef office;
  office.id = GrantId{"g-bob-office"};
  office.person = PersonId{"bob"};
  office.zones = {ZoneId{"office"}};
  EXPECT_FALSE(of(AddGrant{office}).widens());
  auto stricter = site_with_custodians();
  stricter.zones[3].tier = 4;
  stricter.tiers[3].any_of = {{Factor::Badge, Factor::Pin, Factor::Biometric}};
  EXPECT_FALSE(widening_of_site_load(*engine, stricter).widens());
  EXPECT_FALSE(widening_of_site_load(*engine, site_with_custodians()).widens());
}

TEST_F(WideningTest, ApprovingAJustInTimeRequestIsNeverHeldAgain) {
  EXPECT_FALSE(of(ApproveJitGrant{"req", "ok"}).widens());
}

// ---------------------------------------------------------------------------------------------------------
// The property. The oracle is the engine's own policy step (detail::evaluate_attempt): for every person,
// credential, factor combination, sensitive place and sample time, 0 = refused, 1 = granted with a second
// person, 2 = granted alone. "Not widening" must never raise one of them.

const std::vector<Timestamp>& sample_times() {
  static const std::vector<Timestamp> times = [] {
    std::vector<Timestamp> out;
    for (int year : {2019, 2026, 2027, 2029, 2031}) {
      for (int day = 0; day < 7; ++day) {
        for (int hour : {3, 7, 9, 12, 17, 19, 22})
          out.push_back(utc(year, 6, 1 + static_cast<unsigned>(day), hour));
      }
    }
    for (int hour : {9, 12}) out.push_back(utc(2026, 12, 25, hour));  // a holiday (Friday)
    for (int hour : {9, 12}) out.push_back(utc(2026, 12, 24, hour));
    return out;
  }();
  return times;
}

struct Probe {
  PersonId person;
  std::optional<CardDef> card;
  std::optional<BiometricDef> biometric;
  FactorMask factors = 0;
  std::string pin_hash;
};

int rank(const SiteModel& model, const Probe& probe, bool rack, const std::string& place, Timestamp at) {
  const Index person = model.person_index(probe.person);
  if (person == kNoIndex) return 0;
  const PersonNode& node = model.person(person);
  if ((probe.factors & factor_bit(Factor::Pin)) != 0 && node.pin_hash != probe.pin_hash) return 0;
  PendingAttempt attempt;
  attempt.person = probe.person;
  attempt.person_index = person;
  attempt.factors = probe.factors;
  auto held = [&](const CredentialId& id) {
    const Index c = model.credential_index(id);
    return c != kNoIndex && model.credential(c).person == person ? c : kNoIndex;
  };
  if (probe.card) {
    attempt.card = probe.card->id;
    attempt.card_index = held(probe.card->id);
    if (attempt.card_index == kNoIndex) return 0;
    const Index by_number = model.card_credential(probe.card->facility, probe.card->number);
    if (by_number != attempt.card_index) return 0;  // the card's number now belongs to another credential
  }
  if (probe.biometric) {
    attempt.biometric = probe.biometric->id;
    attempt.biometric_index = held(probe.biometric->id);
    if (attempt.biometric_index == kNoIndex) return 0;
    if (model.biometric_credential(probe.biometric->template_id) != attempt.biometric_index) return 0;
  }
  // A reader leading into the place.
  Index reader = kNoIndex;
  if (rack) {
    const Index r = model.rack_index(RackId{place});
    if (r == kNoIndex || model.rack(r).def.readers.empty()) return 0;
    reader = model.reader_index(model.rack(r).def.readers.front().id);
  } else {
    for (Index p = 0; p < model.portal_count() && reader == kNoIndex; ++p) {
      const auto& portal = model.portal(p).def;
      if (portal.to.str() != place) continue;
      for (const auto& r : portal.readers) {
        if (r.side == ReaderSide::Entry) reader = model.reader_index(r.id);
      }
    }
  }
  if (reader == kNoIndex) return 0;
  const auto passage = detail::passage_of(model, reader);
  if (passage.egress) return 0;
  bool two_person = false;
  const EngineState empty;
  const auto d = detail::evaluate_attempt(model, empty, passage, attempt, at, two_person);
  if (d.verdict != Verdict::Grant) return 0;
  return two_person ? 1 : 2;
}

class Mutator {
 public:
  explicit Mutator(std::uint32_t seed) : rng_(seed) {}

  void mutate(SiteDefinition& s) {
    switch (pick(12)) {
      case 0: {
        auto& z = s.zones[pick(s.zones.size())];
        z.tier = std::clamp(z.tier + (coin() ? 1 : -1), 0, 4);
        break;
      }
      case 1: s.zones[pick(s.zones.size())].min_occupancy = coin() ? 0 : 2; break;
      case 2: {
        auto& r = s.racks[0];
        if (coin()) {
          r.two_person = !r.two_person;
        } else {
          r.tier = std::clamp(r.tier + (coin() ? 1 : -1), 0, 4);
        }
        break;
      }
      case 3: {
        auto& t = s.tiers[pick(s.tiers.size())];
        switch (pick(4)) {
          case 0: t.clearance_required = !t.clearance_required; break;
          case 1: t.two_person = !t.two_person; break;
          case 2: t.any_of.push_back(factor_set()); break;
          default:
            if (t.any_of.size() > 1)
              t.any_of.erase(t.any_of.begin() + static_cast<long>(pick(t.any_of.size())));
        }
        break;
      }
      case 4: {
        auto& g = s.groups[pick(s.groups.size())];
        const PersonId p = s.people[pick(s.people.size())].id;
        auto it = std::find(g.members.begin(), g.members.end(), p);
        if (it == g.members.end()) {
          g.members.push_back(p);
        } else {
          g.members.erase(it);
        }
        break;
      }
      case 5: s.grants.push_back(random_grant(s)); break;
      case 6:
        if (!s.grants.empty()) s.grants.erase(s.grants.begin() + static_cast<long>(pick(s.grants.size())));
        break;
      case 7: {
        if (s.grants.empty()) break;
        auto& g = s.grants[pick(s.grants.size())];
        switch (pick(5)) {
          case 0: g.revoked = !g.revoked; break;
          case 1: g.include_subzones = !g.include_subzones; break;
          case 2: g.schedule = coin() ? ScheduleId{} : s.schedules[pick(s.schedules.size())].id; break;
          case 3: g.valid_from = when(); break;
          default: g.valid_until = when();
        }
        break;
      }
      case 8: {
        auto& p = s.people[pick(s.people.size())];
        switch (pick(6)) {
          case 0: p.revoked = !p.revoked; break;
          case 1: p.clearance.status = coin() ? ClearanceStatus::Cleared : ClearanceStatus::Pending; break;
          case 2: p.clearance.expires = when(); break;
          case 3:
            p.cards.push_back(CardDef{CredentialId{"c" + std::to_string(++serial_)},
                                      CardFormat::FacilityAndNumber, 10, 1000 + serial_, "", false});
            break;
          case 4:
            if (!p.cards.empty()) p.cards[pick(p.cards.size())].revoked = coin();
            break;
          default: p.pin_hash = coin() ? std::string{} : "plain:" + std::to_string(pick(3));
        }
        break;
      }
      case 9: {
        auto& w = s.schedules[pick(s.schedules.size())];
        if (coin()) {
          w.closed_on_holidays = !w.closed_on_holidays;
        } else {
          const int start = static_cast<int>(pick(24)) * 60;
          w.windows = {WeeklyWindow{static_cast<std::uint8_t>(1 + pick(127)), start,
                                    std::min(1440, start + static_cast<int>(1 + pick(12)) * 60)}};
        }
        break;
      }
      case 10:
        if (s.settings.holidays.empty()) {
          s.settings.holidays = {std::chrono::year{2026} / std::chrono::December / 25};
        } else {
          s.settings.holidays.clear();
        }
        break;
      default: {
        auto& z = s.zones[pick(s.zones.size())];
        if (!z.parent.empty()) z.parent = s.zones[pick(s.zones.size())].id;  // may not validate: skipped
      }
    }
  }

 private:
  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>{0, n - 1}(rng_); }
  bool coin() { return pick(2) == 0; }
  std::optional<Timestamp> when() {
    switch (pick(5)) {
      case 0: return std::nullopt;
      case 1: return utc(2026, 1, 1, 0);
      case 2: return utc(2027, 1, 1, 0);
      case 3: return utc(2029, 1, 1, 0);
      default: return utc(2030, 6, 1, 0);
    }
  }
  std::vector<Factor> factor_set() {
    std::vector<Factor> out;
    for (Factor f : {Factor::Badge, Factor::Pin, Factor::Biometric}) {
      if (coin()) out.push_back(f);
    }
    if (out.empty()) out.push_back(Factor::Badge);
    return out;
  }
  GrantDef random_grant(const SiteDefinition& s) {
    GrantDef g;
    g.id = GrantId{"r" + std::to_string(++serial_)};
    if (coin()) {
      g.person = s.people[pick(s.people.size())].id;
    } else {
      g.group = s.groups[pick(s.groups.size())].id;
    }
    g.effect = pick(4) == 0 ? GrantEffect::Deny : GrantEffect::Allow;
    g.zones = {s.zones[pick(s.zones.size())].id};
    if (coin()) g.racks = {s.racks[0].id};
    g.include_subzones = coin();
    if (coin()) g.schedule = s.schedules[pick(s.schedules.size())].id;
    g.valid_from = when();
    g.valid_until = when();
    return g;
  }
  std::mt19937 rng_;
  std::uint64_t serial_ = 0;
};

// Every probe of the after-site: each person's live cards, with each factor combination they can present.
std::vector<Probe> probes_of(const SiteDefinition& s) {
  std::vector<Probe> out;
  for (const auto& p : s.people) {
    for (const auto& c : p.cards) {
      for (int extra : {0, 2, 4, 6}) {
        Probe probe;
        probe.person = p.id;
        probe.card = c;
        probe.factors = static_cast<FactorMask>(factor_bit(Factor::Badge) | extra);
        probe.pin_hash = p.pin_hash;
        if ((probe.factors & factor_bit(Factor::Pin)) != 0 && p.pin_hash.empty()) continue;
        if ((probe.factors & factor_bit(Factor::Biometric)) != 0) {
          if (p.biometrics.empty()) continue;
          probe.biometric = p.biometrics.front();
        }
        out.push_back(probe);
      }
    }
  }
  return out;
}

TEST(AccessWideningProperty, AChangeCalledNotWideningNeverLetsAnyoneFurtherIntoASensitivePlace) {
  Mutator mutate{20261127};
  int checked = 0, widening = 0;
  for (int round = 0; round < 600; ++round) {
    auto before = site_with_custodians();
    for (int i = 0; i < 4; ++i) mutate.mutate(before);
    auto after = before;
    for (int i = 0, n = 1 + round % 3; i < n; ++i) mutate.mutate(after);
    auto model_before = SiteModel::build(before);
    auto model_after = SiteModel::build(after);
    if (!model_before.model || !model_after.model) continue;
    if (access_widening(before, after).widens()) {
      ++widening;
      continue;
    }
    ++checked;
    std::vector<std::pair<bool, std::string>> places;
    for (const auto& z : after.zones) {
      const bool sensitive = is_sensitive_zone(after, z) ||
                             std::any_of(before.zones.begin(), before.zones.end(), [&](const ZoneDef& old) {
                               return old.id == z.id && is_sensitive_zone(before, old);
                             });
      if (sensitive) places.emplace_back(false, z.id.str());
    }
    for (const auto& r : after.racks) {
      if (is_sensitive_rack(after, r) || is_sensitive_rack(before, before.racks[0]))
        places.emplace_back(true, r.id.str());
    }
    for (const auto& probe : probes_of(after)) {
      for (const auto& [rack, place] : places) {
        for (const Timestamp at : sample_times()) {
          const int now = rank(*model_after.model, probe, rack, place, at);
          if (now == 0) continue;
          const int then = rank(*model_before.model, probe, rack, place, at);
          ASSERT_LE(now, then) << "round " << round << ": " << probe.person.str() << " at " << place
                               << " was called not widening";
        }
      }
    }
  }
  EXPECT_GT(checked, 100);
  EXPECT_GT(widening, 100);
}

}  // namespace
}  // namespace portcullis::core
