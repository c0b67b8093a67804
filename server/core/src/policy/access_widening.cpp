// Does a change widen access to, or relax the rules of, a sensitive place? (see access_widening.hpp)
//
// Access of one person to one place is described by "terms": the allow grants that could let them in, each
// as a validity interval and the minutes of the week it is open (its schedule, in local time), cut by the
// clearance expiry when the place's tier needs clearance. A change widens access when a term after the
// change is not contained in one term before it, when an explicit deny before it is not contained in one
// deny after it, when a person with access gains a credential or a PIN, or when a rule of the place
// (tier, factors, clearance, two-person, mantrap, the ways and devices into it) is relaxed.
#include "portcullis/core/policy/access_widening.hpp"

#include <algorithm>
#include <bitset>
#include <map>
#include <optional>
#include <set>
#include <type_traits>
#include <unordered_map>

namespace portcullis::core {
namespace {

constexpr std::size_t kMinutesPerWeek = 7 * 24 * 60;
using WeekMinutes = std::bitset<kMinutesPerWeek>;

struct Term {
  std::optional<Timestamp> from;
  std::optional<Timestamp> until;
  WeekMinutes open;
  bool closed_on_holidays = false;
  bool scheduled = false;
};

WeekMinutes minutes_of(const ScheduleDef& schedule) {
  WeekMinutes out;
  for (const auto& w : schedule.windows) {
    for (unsigned day = 0; day < 7; ++day) {
      if ((w.days & (1U << day)) == 0) continue;
      const int start = std::clamp(w.start_minute, 0, 1440);
      const int end = std::clamp(w.end_minute, 0, 1440);
      for (int m = start; m < end; ++m) out.set(day * 1440 + static_cast<std::size_t>(m));
    }
  }
  return out;
}

// Whether `inner` can be in force only when `outer` is: inside its validity, its open minutes and (when
// `outer` closes on holidays) closed on each of its holidays. `holidays_kept`: inner's holiday list holds
// every holiday of outer's; `same_clock`: the site's time zone rule did not change (local minutes compare).
bool contains(const Term& outer, const Term& inner, bool holidays_kept, bool same_clock) {
  if (outer.from && (!inner.from || *inner.from < *outer.from)) return false;
  if (outer.until && (!inner.until || *inner.until > *outer.until)) return false;
  if (!outer.scheduled) return true;
  if (!same_clock) return false;
  if ((inner.open & ~outer.open).any()) return false;
  return !outer.closed_on_holidays || (inner.closed_on_holidays && holidays_kept);
}

FactorMask mask_of(const std::vector<Factor>& factors) {
  FactorMask m = 0;
  for (Factor f : factors) m = static_cast<FactorMask>(m | factor_bit(f));
  return m;
}

std::string place_name(bool rack, const std::string& id) {
  return std::string(rack ? "rack " : "zone ") + "\"" + id + "\"";
}

// The value under `key`: the stored pointer for maps of pointers, else a pointer to the value; null if
// absent.
template <class Map, class Key>
auto find(const Map& map, const Key& key) {
  auto it = map.find(key);
  using Value = std::remove_cvref_t<decltype(it->second)>;
  if constexpr (std::is_pointer_v<Value>) {
    return it == map.end() ? Value{nullptr} : it->second;
  } else {
    return it == map.end() ? static_cast<const Value*>(nullptr) : &it->second;
  }
}

// One definition, indexed by id for the comparison.
class View {
 public:
  explicit View(const SiteDefinition& site) : site_(site) {
    for (const auto& z : site.zones) zones_.emplace(z.id, &z);
    for (const auto& r : site.racks) racks_.emplace(r.id, &r);
    for (const auto& p : site.people) people_.emplace(p.id, &p);
    for (const auto& s : site.schedules) schedules_.emplace(s.id, &s);
    for (const auto& t : site.tiers) tiers_.emplace(t.tier, &t);
    for (const auto& g : site.groups) {
      groups_.emplace(g.id, &g);
      for (const auto& m : g.members) member_of_[m].insert(g.id);
    }
    for (const auto& g : site.grants) {
      if (!g.person.empty()) grants_of_person_[g.person].push_back(&g);
      if (!g.group.empty()) grants_of_group_[g.group].push_back(&g);
    }
    for (const auto& rule : site.two_person_rules) {
      if (!rule.zone.empty()) zone_rules_.emplace(rule.zone, &rule);
      if (!rule.rack.empty()) rack_rules_.emplace(rule.rack, &rule);
    }
    for (const auto& d : site.settings.holidays) holidays_.insert(std::chrono::sys_days{d});
  }

  const SiteDefinition& site() const { return site_; }
  const ZoneDef* zone(const ZoneId& id) const { return find(zones_, id); }
  const RackDef* rack(const RackId& id) const { return find(racks_, id); }
  const PersonDef* person(const PersonId& id) const { return find(people_, id); }
  const GroupDef* group(const GroupId& id) const { return find(groups_, id); }
  const TierRequirementDef* tier(int t) const { return find(tiers_, t); }
  const std::set<std::chrono::sys_days>& holidays() const { return holidays_; }

  // The place's tier and whether it needs two persons (its own flag, its tier's, its zone's occupancy).
  int tier_of(bool is_rack, const std::string& id) const {
    if (is_rack) return rack(RackId{id})->tier;
    return zone(ZoneId{id})->tier;
  }
  bool two_person(bool is_rack, const std::string& id) const {
    const auto* req = tier(tier_of(is_rack, id));
    if (req != nullptr && req->two_person) return true;
    if (is_rack) {
      const RackDef* r = rack(RackId{id});
      const ZoneDef* z = zone(r->zone);
      return r->two_person || (z != nullptr && z->min_occupancy >= 2);
    }
    return zone(ZoneId{id})->min_occupancy >= 2;
  }
  TwoPersonRuleDef rule(bool is_rack, const std::string& id) const {
    const TwoPersonRuleDef* r = is_rack ? find(rack_rules_, RackId{id}) : find(zone_rules_, ZoneId{id});
    return r != nullptr ? *r : TwoPersonRuleDef{};
  }
  bool has_rule(bool is_rack, const std::string& id) const {
    return is_rack ? rack_rules_.contains(RackId{id}) : zone_rules_.contains(ZoneId{id});
  }

  // The zone and its parents (a cycle, which validation refuses, stops the walk).
  std::vector<ZoneId> ancestry(const ZoneId& id) const {
    std::vector<ZoneId> out;
    for (const ZoneDef* z = zone(id); z != nullptr && out.size() <= zones_.size(); z = zone(z->parent))
      out.push_back(z->id);
    return out;
  }

  // The allow terms (`allow`) or explicit deny terms of one person at one place.
  std::vector<Term> terms(const PersonDef& p, bool is_rack, const std::string& id, bool allow) const {
    std::vector<Term> out;
    if (p.revoked) return out;
    std::optional<Timestamp> clearance_until;
    if (allow) {
      const TierRequirementDef* req = tier(tier_of(is_rack, id));
      if (req == nullptr) return out;  // no requirement for the tier: every entry is refused
      if (req->clearance_required) {
        if (p.clearance.status != ClearanceStatus::Cleared) return out;
        clearance_until = p.clearance.expires;
      }
    }
    const ZoneId zone_id = is_rack ? rack(RackId{id})->zone : ZoneId{id};
    const auto ancestors = ancestry(zone_id);
    auto visit = [&](const GrantDef& g) {
      if (g.revoked || (g.effect == GrantEffect::Allow) != allow) return;
      if (!covers(g, is_rack, id, ancestors)) return;
      Term t;
      t.from = g.valid_from;
      t.until = g.valid_until;
      if (clearance_until && (!t.until || *clearance_until < *t.until)) t.until = clearance_until;
      if (g.schedule.empty()) {
        t.open.set();
      } else {
        const ScheduleDef* s = find(schedules_, g.schedule);
        if (s == nullptr) return;  // an unknown schedule is never open (fail secure)
        t.open = minutes_of(*s);
        t.scheduled = true;
        t.closed_on_holidays = s->closed_on_holidays;
      }
      out.push_back(t);
    };
    if (const auto* direct = find(grants_of_person_, p.id)) {
      for (const GrantDef* g : *direct) visit(*g);
    }
    if (const auto* groups = find(member_of_, p.id)) {
      for (const GroupId& group : *groups) {
        if (const auto* grants = find(grants_of_group_, group)) {
          for (const GrantDef* g : *grants) visit(*g);
        }
      }
    }
    return out;
  }

  bool is_member(const GroupId& group, const PersonId& person) const {
    const auto* groups = find(member_of_, person);
    return groups != nullptr && groups->contains(group);
  }

 private:
  // As the model expands coverage: an allow grant covers its zones (and their subzones with
  // include_subzones) and its listed racks; a deny covers the subtrees of its zones and every rack in them.
  static bool covers(const GrantDef& g, bool is_rack, const std::string& id, const std::vector<ZoneId>& up) {
    auto listed = [&](const ZoneId& z) {
      return std::find(g.zones.begin(), g.zones.end(), z) != g.zones.end();
    };
    if (is_rack) {
      if (std::find(g.racks.begin(), g.racks.end(), RackId{id}) != g.racks.end()) return true;
      return g.effect == GrantEffect::Deny && std::any_of(up.begin(), up.end(), listed);
    }
    if (up.empty()) return false;
    if (listed(up.front())) return true;
    const bool subtree = g.include_subzones || g.effect == GrantEffect::Deny;
    return subtree && std::any_of(up.begin() + 1, up.end(), listed);
  }

  const SiteDefinition& site_;
  std::unordered_map<ZoneId, const ZoneDef*> zones_;
  std::unordered_map<RackId, const RackDef*> racks_;
  std::unordered_map<PersonId, const PersonDef*> people_;
  std::unordered_map<GroupId, const GroupDef*> groups_;
  std::unordered_map<ScheduleId, const ScheduleDef*> schedules_;
  std::unordered_map<int, const TierRequirementDef*> tiers_;
  std::unordered_map<PersonId, std::set<GroupId>> member_of_;
  std::unordered_map<PersonId, std::vector<const GrantDef*>> grants_of_person_;
  std::unordered_map<GroupId, std::vector<const GrantDef*>> grants_of_group_;
  std::unordered_map<ZoneId, const TwoPersonRuleDef*> zone_rules_;
  std::unordered_map<RackId, const TwoPersonRuleDef*> rack_rules_;
  std::set<std::chrono::sys_days> holidays_;
};

struct Place {
  bool rack = false;
  std::string id;
  friend auto operator<=>(const Place&, const Place&) = default;
};

class Comparison {
 public:
  Comparison(const SiteDefinition& before, const SiteDefinition& after)
      : b_(before), a_(after), same_clock_(before.settings.time_zone == after.settings.time_zone) {
    auto collect = [&](const View& v) {
      for (const auto& z : v.site().zones) {
        if (is_sensitive_zone(v.site(), z)) places_.insert({false, z.id.str()});
      }
      for (const auto& r : v.site().racks) {
        if (is_sensitive_rack(v.site(), r)) places_.insert({true, r.id.str()});
      }
    };
    collect(b_);
    collect(a_);
    holidays_grew_ =
        std::includes(a_.holidays().begin(), a_.holidays().end(), b_.holidays().begin(), b_.holidays().end());
    holidays_shrank_ =
        std::includes(b_.holidays().begin(), b_.holidays().end(), a_.holidays().begin(), a_.holidays().end());
  }

  Widening run() {
    for (const Place& place : places_) {
      if (!exists(a_, place)) continue;  // a place that is gone cannot be entered
      if (exists(b_, place)) compare_rules(place);
      compare_access(place);
    }
    compare_ways_in();
    compare_settings();
    for (const auto& person : with_access_) compare_credentials(person);
    return std::move(out_);
  }

 private:
  static bool exists(const View& v, const Place& p) {
    return p.rack ? v.rack(RackId{p.id}) != nullptr : v.zone(ZoneId{p.id}) != nullptr;
  }
  bool zone_in_places(const ZoneId& z) const { return places_.contains({false, z.str()}); }
  void add(std::string reason) { out_.reasons.push_back(std::move(reason)); }

  void compare_rules(const Place& p) {
    const std::string name = place_name(p.rack, p.id);
    const int tier_b = b_.tier_of(p.rack, p.id);
    const int tier_a = a_.tier_of(p.rack, p.id);
    if (tier_a < tier_b)
      add(name + ": tier lowered from " + std::to_string(tier_b) + " to " + std::to_string(tier_a));
    if (!p.rack) {
      const int occ_b = b_.zone(ZoneId{p.id})->min_occupancy;
      const int occ_a = a_.zone(ZoneId{p.id})->min_occupancy;
      if (occ_a < occ_b)
        add(name + ": min_occupancy lowered from " + std::to_string(occ_b) + " to " + std::to_string(occ_a));
    } else if (b_.rack(RackId{p.id})->two_person && !a_.rack(RackId{p.id})->two_person) {
      add(name + ": two_person dropped");
    }
    const TierRequirementDef* req_b = b_.tier(tier_b);
    const TierRequirementDef* req_a = a_.tier(tier_a);
    if (req_a != nullptr) {
      if (req_b == nullptr) {
        add(name + ": tier " + std::to_string(tier_a) + " is now defined (every entry was refused)");
      } else {
        if (req_b->clearance_required && !req_a->clearance_required)
          add(name + ": clearance no longer required");
        for (const auto& set : req_a->any_of) {
          const FactorMask m = mask_of(set);
          const bool known = std::any_of(req_b->any_of.begin(), req_b->any_of.end(), [&](const auto& old) {
            const FactorMask o = mask_of(old);
            return (o & m) == o;
          });
          if (!known) add(name + ": accepts a factor combination it did not accept before");
        }
      }
    }
    const bool two_b = b_.two_person(p.rack, p.id);
    const bool two_a = a_.two_person(p.rack, p.id);
    if (two_b && !two_a) add(name + ": two-person entry no longer required");
    if (two_b && two_a) {
      const TwoPersonRuleDef rule_b = b_.rule(p.rack, p.id);
      const TwoPersonRuleDef rule_a = a_.rule(p.rack, p.id);
      const bool order_relaxed =
          rule_b.mode == TwoPersonMode::Ordered &&
          (rule_a.mode != TwoPersonMode::Ordered || rule_a.first_group != rule_b.first_group);
      if (order_relaxed) add(name + ": the two-person rule no longer requires the first person's group");
      if (rule_a.window_s > rule_b.window_s) add(name + ": the two-person window is longer");
    }
  }

  void compare_access(const Place& p) {
    const std::string name = place_name(p.rack, p.id);
    const auto rule_a = a_.rule(p.rack, p.id);
    const auto rule_b = b_.rule(p.rack, p.id);
    const bool ordered = a_.two_person(p.rack, p.id) && rule_a.mode == TwoPersonMode::Ordered;
    for (const auto& person : a_.site().people) {
      const auto allow_a = a_.terms(person, p.rack, p.id, true);
      if (allow_a.empty()) continue;
      with_access_.insert(person.id);
      const PersonDef* before = b_.person(person.id);
      const bool existed = before != nullptr && exists(b_, p);
      const auto allow_b = existed ? b_.terms(*before, p.rack, p.id, true) : std::vector<Term>{};
      const bool grew = std::any_of(allow_a.begin(), allow_a.end(), [&](const Term& t) {
        return std::none_of(allow_b.begin(), allow_b.end(),
                            [&](const Term& old) { return contains(old, t, holidays_grew_, same_clock_); });
      });
      if (grew) add("\"" + person.id.str() + "\" gains access to " + name);
      if (existed) {
        const auto deny_b = b_.terms(*before, p.rack, p.id, false);
        const auto deny_a = a_.terms(person, p.rack, p.id, false);
        const bool lifted = std::any_of(deny_b.begin(), deny_b.end(), [&](const Term& t) {
          return std::none_of(deny_a.begin(), deny_a.end(), [&](const Term& now) {
            return contains(now, t, holidays_shrank_, same_clock_);
          });
        });
        if (lifted)
          add("an explicit deny of \"" + person.id.str() + "\" at " + name + " is lifted or narrowed");
      }
      if (ordered && a_.is_member(rule_a.first_group, person.id) &&
          !(existed && rule_b.mode == TwoPersonMode::Ordered && rule_b.first_group == rule_a.first_group &&
            b_.is_member(rule_b.first_group, person.id))) {
        add("\"" + person.id.str() + "\" may now enter " + name + " first (group \"" +
            rule_a.first_group.str() + "\")");
      }
    }
  }

  // Mantraps guarding a sensitive zone, portals into one, devices that open one.
  void compare_ways_in() {
    auto touches = [&](const PortalDef& portal) {
      return zone_in_places(portal.from) || zone_in_places(portal.to);
    };
    std::map<PortalId, const PortalDef*> portals_b, portals_a;
    for (const auto& p : b_.site().portals) portals_b.emplace(p.id, &p);
    for (const auto& p : a_.site().portals) portals_a.emplace(p.id, &p);
    for (const auto& m : b_.site().mantraps) {
      const bool guards = std::any_of(m.portals.begin(), m.portals.end(), [&](const PortalId& id) {
        auto it = portals_b.find(id);
        return it != portals_b.end() && touches(*it->second);
      });
      if (!guards) continue;
      auto after = std::find_if(a_.site().mantraps.begin(), a_.site().mantraps.end(),
                                [&](const MantrapDef& x) { return x.id == m.id; });
      const bool kept =
          after != a_.site().mantraps.end() && after->vestibule == m.vestibule &&
          after->max_dwell_s <= m.max_dwell_s &&
          std::all_of(m.portals.begin(), m.portals.end(), [&](const PortalId& id) {
            return std::find(after->portals.begin(), after->portals.end(), id) != after->portals.end();
          });
      if (!kept) add("mantrap \"" + m.id.str() + "\" is removed or relaxed");
    }
    std::set<std::string> sensitive_readers;
    std::set<PortalId> sensitive_portals;
    for (const auto& [id, portal] : portals_a) {
      if (!touches(*portal)) continue;
      sensitive_portals.insert(id);
      for (const auto& r : portal->readers) sensitive_readers.insert(r.id.str());
      auto it = portals_b.find(id);
      if (it == portals_b.end() || it->second->from != portal->from || it->second->to != portal->to)
        add("portal \"" + id.str() + "\" is a new way into a sensitive zone");
    }
    std::set<RackId> sensitive_racks;
    for (const auto& r : a_.site().racks) {
      if (!places_.contains({true, r.id.str()})) continue;
      sensitive_racks.insert(r.id);
      for (const auto& reader : r.readers) sensitive_readers.insert(reader.id.str());
    }
    for (const auto& d : a_.site().devices) {
      const bool opens = std::any_of(d.portals.begin(), d.portals.end(),
                                     [&](const auto& x) { return sensitive_portals.contains(x); }) ||
                         std::any_of(d.racks.begin(), d.racks.end(),
                                     [&](const auto& x) { return sensitive_racks.contains(x); }) ||
                         std::any_of(d.readers.begin(), d.readers.end(),
                                     [&](const auto& x) { return sensitive_readers.contains(x.str()); });
      if (!opens) continue;
      auto before = std::find_if(b_.site().devices.begin(), b_.site().devices.end(),
                                 [&](const DeviceDef& x) { return x.id == d.id; });
      const bool same =
          before != b_.site().devices.end() && before->token_sha256 == d.token_sha256 &&
          before->kind == d.kind &&
          std::all_of(d.readers.begin(), d.readers.end(),
                      [&](const auto& x) {
                        return std::find(before->readers.begin(), before->readers.end(), x) !=
                               before->readers.end();
                      }) &&
          std::all_of(d.portals.begin(), d.portals.end(),
                      [&](const auto& x) {
                        return std::find(before->portals.begin(), before->portals.end(), x) !=
                               before->portals.end();
                      }) &&
          std::all_of(d.racks.begin(), d.racks.end(), [&](const auto& x) {
            return std::find(before->racks.begin(), before->racks.end(), x) != before->racks.end();
          });
      if (!same) add("device \"" + d.id.str() + "\" is new or changed and serves a sensitive place");
    }
  }

  void compare_settings() {
    if (places_.empty()) return;
    const auto& sb = b_.site().settings;
    const auto& sa = a_.site().settings;
    if (sa.device_time_skew_s > sb.device_time_skew_s)
      add("settings: older device events may still grant (a longer device time skew)");
    if (sa.pin_max_failures > sb.pin_max_failures || (sa.pin_max_failures <= 0 && sb.pin_max_failures > 0))
      add("settings: more wrong PINs are allowed before a lock");
    if (sb.lone_person_policy == LonePersonPolicy::DenyExit &&
        sa.lone_person_policy != LonePersonPolicy::DenyExit)
      add("settings: a person may again be left alone in a two-person zone");
  }

  void compare_credentials(const PersonId& id) {
    const PersonDef* after = a_.person(id);
    const PersonDef* before = b_.person(id);
    auto live_cards = [](const PersonDef* p) {
      std::vector<CardDef> out;
      if (p == nullptr) return out;
      for (const auto& c : p->cards) {
        if (!c.revoked) out.push_back(c);
      }
      return out;
    };
    auto live_bio = [](const PersonDef* p) {
      std::vector<BiometricDef> out;
      if (p == nullptr) return out;
      for (const auto& b : p->biometrics) {
        if (!b.revoked) out.push_back(b);
      }
      return out;
    };
    const auto cards_b = live_cards(before);
    const auto bio_b = live_bio(before);
    for (const auto& c : live_cards(after)) {
      if (std::find(cards_b.begin(), cards_b.end(), c) == cards_b.end())
        add("\"" + id.str() + "\", who has access to a sensitive place, gains card \"" + c.id.str() + "\"");
    }
    for (const auto& b : live_bio(after)) {
      if (std::find(bio_b.begin(), bio_b.end(), b) == bio_b.end())
        add("\"" + id.str() + "\", who has access to a sensitive place, gains biometric \"" + b.id.str() +
            "\"");
    }
    const std::string none;
    if (!after->pin_hash.empty() && after->pin_hash != (before ? before->pin_hash : none))
      add("\"" + id.str() + "\", who has access to a sensitive place, gets a new PIN");
    if (!after->duress_pin_hash.empty() &&
        after->duress_pin_hash != (before ? before->duress_pin_hash : none))
      add("\"" + id.str() + "\", who has access to a sensitive place, gets a new duress PIN");
  }

  View b_, a_;
  bool same_clock_;
  bool holidays_grew_ = true;    // after's holidays include every one of before's
  bool holidays_shrank_ = true;  // before's holidays include every one of after's
  std::set<Place> places_;
  std::set<PersonId> with_access_;
  Widening out_;
};

bool may_widen(const OperatorAction& action) {
  return std::holds_alternative<RestorePerson>(action) || std::holds_alternative<RestoreCredential>(action) ||
         std::holds_alternative<RestoreGrant>(action) || std::holds_alternative<AddGrant>(action) ||
         std::holds_alternative<RemoveGrant>(action) ||
         (std::holds_alternative<AdminChange>(action) &&
          !std::holds_alternative<RemoveCredential>(std::get<AdminChange>(action).edit));
}

}  // namespace

SiteDefinition effective_policy(const SiteDefinition& definition, const EngineState& state) {
  SiteDefinition out = definition;
  for (auto& p : out.people) {
    if (auto it = state.person_revoked.find(p.id); it != state.person_revoked.end()) p.revoked = it->second;
    for (auto& c : p.cards) {
      if (auto it = state.credential_revoked.find(c.id); it != state.credential_revoked.end())
        c.revoked = it->second;
    }
    for (auto& b : p.biometrics) {
      if (auto it = state.credential_revoked.find(b.id); it != state.credential_revoked.end())
        b.revoked = it->second;
    }
  }
  std::erase_if(out.grants, [&](const GrantDef& g) { return state.removed_grants.contains(g.id); });
  for (const auto& [id, grant] : state.added_grants) out.grants.push_back(grant);
  for (auto& g : out.grants) {
    if (auto it = state.grant_revoked.find(g.id); it != state.grant_revoked.end()) g.revoked = it->second;
  }
  return out;
}

bool is_sensitive_zone(const SiteDefinition& site, const ZoneDef& zone) {
  if (zone.tier >= kSensitiveTier || zone.min_occupancy >= 2) return true;
  const bool two_person_tier =
      std::any_of(site.tiers.begin(), site.tiers.end(),
                  [&](const TierRequirementDef& t) { return t.tier == zone.tier && t.two_person; });
  return two_person_tier || std::any_of(site.two_person_rules.begin(), site.two_person_rules.end(),
                                        [&](const TwoPersonRuleDef& r) { return r.zone == zone.id; });
}

bool is_sensitive_rack(const SiteDefinition& site, const RackDef& rack) {
  if (rack.tier >= kSensitiveTier || rack.two_person) return true;
  const bool two_person_tier =
      std::any_of(site.tiers.begin(), site.tiers.end(),
                  [&](const TierRequirementDef& t) { return t.tier == rack.tier && t.two_person; });
  if (two_person_tier || std::any_of(site.two_person_rules.begin(), site.two_person_rules.end(),
                                     [&](const TwoPersonRuleDef& r) { return r.rack == rack.id; }))
    return true;
  return std::any_of(site.zones.begin(), site.zones.end(),
                     [&](const ZoneDef& z) { return z.id == rack.zone && is_sensitive_zone(site, z); });
}

Widening access_widening(const SiteDefinition& before, const SiteDefinition& after) {
  return Comparison{before, after}.run();
}

Widening widening_of(const Engine& engine, const OperatorAction& action, Timestamp now, const Actor& who) {
  const auto definition = engine.effective_definition();
  if (!definition || !may_widen(action)) return {};
  Engine trial = engine;
  (void)trial.apply(action, now, who);
  const auto tried = trial.effective_definition();
  if (!tried) return {};
  return access_widening(effective_policy(*definition, engine.state()),
                         effective_policy(*tried, trial.state()));
}

Widening widening_of_site_load(const Engine& engine, const SiteDefinition& definition) {
  const auto current = engine.effective_definition();
  if (!current) return {};
  SiteDefinition laid = definition;
  apply_edits(laid, engine.state().admin);
  return access_widening(effective_policy(*current, engine.state()), effective_policy(laid, engine.state()));
}

}  // namespace portcullis::core
