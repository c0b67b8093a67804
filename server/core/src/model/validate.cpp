#include "portcullis/core/model/validate.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "portcullis/adapters/wiegand.hpp"
#include "portcullis/core/assets/asset_text.hpp"

namespace portcullis::core {
namespace {

std::string at(const std::string& base, std::size_t i) {
  return base + "[" + std::to_string(i) + "]";
}
std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

// Where an id was first seen, kept without allocating (campus sites have millions of ids); spelled out as a
// JSON path only when a problem needs it.
struct Where {
  const char* list = "";  // "$.grants"
  std::uint32_t index = 0;
  const char* inner = nullptr;  // ".cards" for nested lists
  std::uint32_t inner_index = 0;
  [[nodiscard]] std::string path() const {
    std::string p = at(list, index);
    if (inner != nullptr) p = at(p + inner, inner_index);
    return p;
  }
};

class Checker {
 public:
  explicit Checker(const SiteDefinition& site) : site_(site) {}

  Problems run() {
    check_site();
    index_ids();
    check_zones();
    check_portals_and_racks();
    check_people();
    check_groups();
    check_schedules();
    check_grants();
    check_devices();
    check_tiers();
    check_mantraps();
    check_two_person_rules();
    check_area_readers();
    check_assets();
    check_seals();
    return std::move(problems_);
  }

 private:
  void add(std::string path, std::string message) {
    problems_.push_back({std::move(path), std::move(message)});
  }

  // Ids seen so far, keyed by views into the definition (it outlives the check), with where each was first
  // seen.
  template <class Id>
  class IdSet {
   public:
    [[nodiscard]] bool contains(const Id& id) const { return map_.contains(std::string_view{id.str()}); }
    // Empty id or duplicate: a problem.
    void add(Checker& checker, const Id& id, const Where& where, const char* what) {
      if (id.empty()) {
        checker.add(where.path() + ".id", std::string{"missing "} + what + " id");
        return;
      }
      auto [it, inserted] = map_.emplace(std::string_view{id.str()}, where);
      if (!inserted) {
        checker.add(where.path() + ".id", std::string{"duplicate "} + what + " id " + quoted(id.str()) +
                                              " (first at " + it->second.path() + ")");
      }
    }
    void reserve(std::size_t n) { map_.reserve(n); }

   private:
    std::unordered_map<std::string_view, Where> map_;
  };

  static Where top(const char* list, std::size_t i) {
    return Where{list, static_cast<std::uint32_t>(i), nullptr, 0};
  }

  void check_site() {
    if (site_.version.empty()) add("$.version", "missing site version");
    const auto& s = site_.settings;
    if (s.factor_window_s <= 0 || s.factor_window_s > 600)
      add("$.settings.factor_window_s", "must be 1..600 seconds");
    if (s.pin_max_failures < 1 || s.pin_max_failures > 20)
      add("$.settings.pin_max_failures", "must be 1..20");
    if (s.jit_request_ttl_s <= 0) add("$.settings.jit_request_ttl_s", "must be positive");
    if (s.jit_max_duration_s <= 0) add("$.settings.jit_max_duration_s", "must be positive");
    if (s.lone_person_grace_s < 0) add("$.settings.lone_person_grace_s", "must not be negative");
    if (s.contact_debounce_ms < 0 || s.contact_debounce_ms > 10000)
      add("$.settings.contact_debounce_ms", "must be 0..10000");
    if (s.rfid_dedup_window_ms < 0 || s.rfid_dedup_window_ms > 60000)
      add("$.settings.rfid_dedup_window_ms", "must be 0..60000");
    if (s.asset_missing_after_s <= 0) add("$.settings.asset_missing_after_s", "must be positive");
    if (s.device_time_skew_s < 1 || s.device_time_skew_s > 86400)
      add("$.settings.device_time_skew_s", "must be 1..86400");
    const auto& tz = s.time_zone;
    if (tz.std_offset_minutes < -14 * 60 || tz.std_offset_minutes > 14 * 60) {
      add("$.time_zone.utc_offset", "must be within -14:00..+14:00");
    }
    if (tz.dst) {
      check_transition(tz.dst->start, "$.time_zone.dst.start");
      check_transition(tz.dst->end, "$.time_zone.dst.end");
      if (tz.dst->save_minutes <= 0 || tz.dst->save_minutes > 120)
        add("$.time_zone.dst.save_minutes", "must be 1..120");
    }
  }

  void check_transition(const TransitionRule& r, const std::string& path) {
    if (r.month < 1 || r.month > 12 || r.week < 1 || r.week > 5 || r.weekday > 6 || r.minute_of_day < 0 ||
        r.minute_of_day >= 24 * 60) {
      add(path, "invalid transition rule (expected Mm.w.d/hh:mm with m 1-12, w 1-5, d 0-6)");
    }
  }

  void index_ids() {
    for (std::size_t i = 0; i < site_.zones.size(); ++i)
      zones_.add(*this, site_.zones[i].id, top("$.zones", i), "zone");
    for (std::size_t i = 0; i < site_.portals.size(); ++i) {
      portals_.add(*this, site_.portals[i].id, top("$.portals", i), "portal");
      index_readers(site_.portals[i].readers, "$.portals", i);
    }
    for (std::size_t i = 0; i < site_.racks.size(); ++i) {
      racks_.add(*this, site_.racks[i].id, top("$.racks", i), "rack");
      index_readers(site_.racks[i].readers, "$.racks", i);
    }
    for (std::size_t i = 0; i < site_.area_readers.size(); ++i)
      readers_.add(*this, site_.area_readers[i].id, top("$.area_readers", i), "reader");
    for (std::size_t i = 0; i < site_.assets.size(); ++i)
      assets_.add(*this, site_.assets[i].id, top("$.assets", i), "asset");
    people_.reserve(site_.people.size());
    for (std::size_t i = 0; i < site_.people.size(); ++i)
      people_.add(*this, site_.people[i].id, top("$.people", i), "person");
    for (std::size_t i = 0; i < site_.groups.size(); ++i)
      groups_.add(*this, site_.groups[i].id, top("$.groups", i), "group");
    for (std::size_t i = 0; i < site_.schedules.size(); ++i) {
      schedules_.add(*this, site_.schedules[i].id, top("$.schedules", i), "schedule");
    }
    IdSet<GrantId> grants;
    grants.reserve(site_.grants.size());
    for (std::size_t i = 0; i < site_.grants.size(); ++i)
      grants.add(*this, site_.grants[i].id, top("$.grants", i), "grant");
    IdSet<DeviceId> devices;
    for (std::size_t i = 0; i < site_.devices.size(); ++i)
      devices.add(*this, site_.devices[i].id, top("$.devices", i), "device");
    for (std::size_t i = 0; i < site_.tiers.size(); ++i) {
      auto [it, inserted] = tiers_.emplace(site_.tiers[i].tier, at("$.tiers", i));
      if (!inserted) {
        add(at("$.tiers", i) + ".tier",
            "duplicate requirements for tier " + std::to_string(site_.tiers[i].tier));
      }
    }
  }

  void index_readers(const std::vector<ReaderDef>& readers, const char* list, std::size_t owner) {
    for (std::size_t r = 0; r < readers.size(); ++r) {
      const Where where{list, static_cast<std::uint32_t>(owner), ".readers", static_cast<std::uint32_t>(r)};
      readers_.add(*this, readers[r].id, where, "reader");
      if ((readers[r].reads & (kReadsBadge | kReadsPin | kReadsBiometric | kReadsRfid)) == 0) {
        add(where.path() + ".reads", "a reader must read something");
      }
    }
  }

  void check_zones() {
    int roots = 0;
    for (std::size_t i = 0; i < site_.zones.size(); ++i) {
      const ZoneDef& z = site_.zones[i];
      const std::string path = at("$.zones", i);
      if (z.parent.empty()) {
        ++roots;
      } else if (!zones_.contains(z.parent)) {
        add(path + ".parent", "unknown zone " + quoted(z.parent.str()));
      } else if (z.parent == z.id) {
        add(path + ".parent", "zone " + quoted(z.id.str()) + " is its own parent");
      }
      if (z.tier < 0 || z.tier > 9) add(path + ".tier", "tier must be 0..9");
      if (!tiers_.contains(z.tier))
        add(path + ".tier", "tier " + std::to_string(z.tier) + " has no requirements in $.tiers");
      if (z.apb == ApbMode::Timed && z.apb_timeout_s <= 0)
        add(path + ".apb_timeout_s", "timed anti-passback needs a timeout");
      if (z.min_occupancy < 0 || z.min_occupancy > 2) add(path + ".min_occupancy", "must be 0..2");
    }
    if (!site_.zones.empty() && roots != 1)
      add("$.zones",
          "the zone tree needs exactly one root (zone without parent), found " + std::to_string(roots));
    check_cycles();
  }

  void check_cycles() {
    // Walk up from every zone; a walk longer than the zone count has looped.
    std::unordered_map<ZoneId, const ZoneDef*> by_id;
    for (const auto& z : site_.zones) by_id.emplace(z.id, &z);
    std::unordered_set<ZoneId> reported;
    for (std::size_t i = 0; i < site_.zones.size(); ++i) {
      const ZoneDef* cur = &site_.zones[i];
      std::size_t steps = 0;
      while (cur != nullptr && !cur->parent.empty() && steps <= site_.zones.size()) {
        auto it = by_id.find(cur->parent);
        cur = it == by_id.end() ? nullptr : it->second;
        ++steps;
      }
      if (steps > site_.zones.size() && site_.zones[i].parent != site_.zones[i].id &&
          reported.insert(site_.zones[i].id).second) {
        add(at("$.zones", i) + ".parent",
            "cycle in the zone tree through " + quoted(site_.zones[i].id.str()));
      }
    }
  }

  void check_zone_ref(const ZoneId& id, const std::string& path) {
    if (id.empty()) {
      add(path, "missing zone");
    } else if (!zones_.contains(id)) {
      add(path, "unknown zone " + quoted(id.str()));
    }
  }

  void check_two_person_rules() {
    std::unordered_set<std::string> seen;
    for (std::size_t i = 0; i < site_.two_person_rules.size(); ++i) {
      const TwoPersonRuleDef& r = site_.two_person_rules[i];
      // Written on the zone or rack in the file: name the problem there.
      std::string path = at("$.two_person_rules", i);
      for (std::size_t z = 0; z < site_.zones.size(); ++z) {
        if (!r.zone.empty() && site_.zones[z].id == r.zone) path = at("$.zones", z) + ".two_person_rule";
      }
      for (std::size_t k = 0; k < site_.racks.size(); ++k) {
        if (!r.rack.empty() && site_.racks[k].id == r.rack) path = at("$.racks", k) + ".two_person_rule";
      }
      if (r.zone.empty() == r.rack.empty()) {
        add(path, "a two-person rule names exactly one zone or rack");
      } else if (!r.zone.empty() && !zones_.contains(r.zone)) {
        add(path + ".zone", "unknown zone " + quoted(r.zone.str()));
      } else if (!r.rack.empty() && !racks_.contains(r.rack)) {
        add(path + ".rack", "unknown rack " + quoted(r.rack.str()));
      } else if (!seen.insert((r.zone.empty() ? "rack:" + r.rack.str() : "zone:" + r.zone.str())).second) {
        add(path, "a second two-person rule for the same place");
      }
      check_two_person_rule(r, path);
    }
  }

  void check_two_person_rule(const TwoPersonRuleDef& r, const std::string& path) {
    if (r.window_s <= 0 || r.window_s > 3600) add(path + ".window_s", "must be 1..3600");
    if (r.mode == TwoPersonMode::Ordered && r.first_group.empty())
      add(path + ".first_group", "ordered two-person entry needs the group that goes first");
    if (!r.first_group.empty() && !groups_.contains(r.first_group))
      add(path + ".first_group", "unknown group " + quoted(r.first_group.str()));
  }

  void check_tier_known(int tier, const std::string& path) {
    if (!tiers_.contains(tier)) add(path, "tier " + std::to_string(tier) + " has no requirements in $.tiers");
  }

  void check_portals_and_racks() {
    for (std::size_t i = 0; i < site_.portals.size(); ++i) {
      const PortalDef& p = site_.portals[i];
      const std::string path = at("$.portals", i);
      check_zone_ref(p.from, path + ".from");
      check_zone_ref(p.to, path + ".to");
      if (!p.from.empty() && p.from == p.to)
        add(path + ".to", "portal joins zone " + quoted(p.to.str()) + " to itself");
      if (p.held_open_s <= 0) add(path + ".held_open_s", "must be positive");
      if (p.unlock_s <= 0) add(path + ".unlock_s", "must be positive");
    }
    for (std::size_t i = 0; i < site_.racks.size(); ++i) {
      const RackDef& r = site_.racks[i];
      const std::string path = at("$.racks", i);
      check_zone_ref(r.zone, path + ".zone");
      check_tier_known(r.tier, path + ".tier");
      for (std::size_t k = 0; k < r.readers.size(); ++k) {
        if (r.readers[k].side != ReaderSide::Entry)
          add(at(path + ".readers", k) + ".side", "rack readers are entry readers");
      }
    }
  }

  void check_people() {
    std::unordered_map<std::uint64_t, Where> badges;
    std::unordered_map<std::string_view, Where> templates;
    IdSet<CredentialId> credentials;
    badges.reserve(site_.people.size());
    credentials.reserve(site_.people.size());
    for (std::size_t i = 0; i < site_.people.size(); ++i) {
      const PersonDef& person = site_.people[i];
      const auto path = [&] { return at("$.people", i); };
      if (person.clearance.status == ClearanceStatus::Cleared && !person.clearance.expires) {
        add(path() + ".clearance.expires", "a granted clearance needs an expiry date");
      }
      for (std::size_t c = 0; c < person.cards.size(); ++c) {
        const CardDef& card = person.cards[c];
        const Where where{"$.people", static_cast<std::uint32_t>(i), ".cards", static_cast<std::uint32_t>(c)};
        credentials.add(*this, card.id, where, "credential");
        const std::uint64_t key = (static_cast<std::uint64_t>(card.facility) << 40U) | card.number;
        auto [it, inserted] = badges.emplace(key, where);
        if (!inserted) {
          add(where.path(), "duplicate badge facility " + std::to_string(card.facility) + " number " +
                                std::to_string(card.number) + " (first at " + it->second.path() + ")");
        }
        const auto cpath = [&] { return where.path(); };
        if (card.number >= (1ULL << 40U)) add(cpath() + ".number", "card number too large (max 40 bits)");
        if (card.facility >= (1U << 24U)) add(cpath() + ".facility", "facility code too large (max 24 bits)");
        if (!card.raw_bits.empty()) {
          // Corporate 1000 and FacilityAndNumber badges are taken as decoded numbers.
          if (card.format == CardFormat::H10301_26 || card.format == CardFormat::H10304_37) {
            const auto decoded = adapters::wiegand::decode(
                card.raw_bits, card.format == CardFormat::H10301_26 ? adapters::wiegand::Format::H10301_26
                                                                    : adapters::wiegand::Format::H10304_37);
            if (!decoded.ok()) {
              add(cpath() + ".raw_bits", "raw bits do not decode for this format (length or parity)");
            } else if (decoded->facility != card.facility || decoded->card_number != card.number) {
              add(cpath() + ".raw_bits", "raw bits decode to facility " + std::to_string(decoded->facility) +
                                             " number " + std::to_string(decoded->card_number));
            }
          }
        }
      }
      for (std::size_t b = 0; b < person.biometrics.size(); ++b) {
        const BiometricDef& bio = person.biometrics[b];
        const Where where{"$.people", static_cast<std::uint32_t>(i), ".biometrics",
                          static_cast<std::uint32_t>(b)};
        credentials.add(*this, bio.id, where, "credential");
        if (bio.template_id.empty()) {
          add(where.path() + ".template_id", "missing template id");
        } else if (auto [it, inserted] = templates.emplace(bio.template_id, where); !inserted) {
          add(where.path() + ".template_id", "duplicate biometric template " + quoted(bio.template_id) +
                                                 " (first at " + it->second.path() + ")");
        }
      }
      if (!person.duress_pin_hash.empty() && person.duress_pin_hash == person.pin_hash) {
        add(path() + ".duress_pin_hash", "the duress PIN must differ from the PIN");
      }
    }
  }

  void check_groups() {
    for (std::size_t i = 0; i < site_.groups.size(); ++i) {
      const GroupDef& g = site_.groups[i];
      for (std::size_t m = 0; m < g.members.size(); ++m) {
        if (!people_.contains(g.members[m]))
          add(at(at("$.groups", i) + ".members", m), "unknown person " + quoted(g.members[m].str()));
      }
    }
  }

  void check_schedules() {
    for (std::size_t i = 0; i < site_.schedules.size(); ++i) {
      const ScheduleDef& s = site_.schedules[i];
      for (std::size_t w = 0; w < s.windows.size(); ++w) {
        const WeeklyWindow& win = s.windows[w];
        const std::string path = at(at("$.schedules", i) + ".windows", w);
        if ((win.days & 0x7FU) == 0) add(path + ".days", "a window needs at least one day");
        if (win.start_minute < 0 || win.end_minute > 24 * 60 || win.start_minute >= win.end_minute) {
          add(path, "window must satisfy 00:00 <= start < end <= 24:00 (split windows that cross midnight)");
        }
      }
    }
  }

  void check_grants() {
    for (std::size_t i = 0; i < site_.grants.size(); ++i) {
      const GrantDef& g = site_.grants[i];
      const auto path = [&] { return at("$.grants", i); };
      if (g.person.empty() == g.group.empty()) add(path(), "a grant names exactly one of person or group");
      if (!g.person.empty() && !people_.contains(g.person)) {
        add(path() + ".person", "unknown person " + quoted(g.person.str()));
      }
      if (!g.group.empty() && !groups_.contains(g.group))
        add(path() + ".group", "unknown group " + quoted(g.group.str()));
      if (g.zones.empty() && g.racks.empty()) add(path(), "a grant covers at least one zone or rack");
      for (std::size_t z = 0; z < g.zones.size(); ++z) {
        if (!g.zones[z].empty() && zones_.contains(g.zones[z])) continue;
        check_zone_ref(g.zones[z], at(path() + ".zones", z));
      }
      for (std::size_t r = 0; r < g.racks.size(); ++r) {
        if (!racks_.contains(g.racks[r]))
          add(at(path() + ".racks", r), "unknown rack " + quoted(g.racks[r].str()));
      }
      if (!g.schedule.empty() && !schedules_.contains(g.schedule)) {
        add(path() + ".schedule", "unknown schedule " + quoted(g.schedule.str()));
      }
      if (g.valid_from && g.valid_until && *g.valid_from >= *g.valid_until) {
        add(path() + ".valid_until", "must be after valid_from");
      }
    }
  }

  void check_devices() {
    for (std::size_t i = 0; i < site_.devices.size(); ++i) {
      const DeviceDef& d = site_.devices[i];
      const std::string path = at("$.devices", i);
      if (d.heartbeat_s < 0) add(path + ".heartbeat_s", "must not be negative");
      for (std::size_t r = 0; r < d.readers.size(); ++r) {
        if (!readers_.contains(d.readers[r]))
          add(at(path + ".readers", r), "unknown reader " + quoted(d.readers[r].str()));
      }
      for (std::size_t p = 0; p < d.portals.size(); ++p) {
        if (!portals_.contains(d.portals[p]))
          add(at(path + ".portals", p), "unknown portal " + quoted(d.portals[p].str()));
      }
      for (std::size_t r = 0; r < d.racks.size(); ++r) {
        if (!racks_.contains(d.racks[r]))
          add(at(path + ".racks", r), "unknown rack " + quoted(d.racks[r].str()));
      }
      for (std::size_t m = 0; m < d.mantraps.size(); ++m) {
        const bool known = std::any_of(site_.mantraps.begin(), site_.mantraps.end(),
                                       [&](const MantrapDef& def) { return def.id == d.mantraps[m]; });
        if (!known) add(at(path + ".mantraps", m), "unknown mantrap " + quoted(d.mantraps[m].str()));
      }
      for (std::size_t z = 0; z < d.zones.size(); ++z) {
        if (!zones_.contains(d.zones[z]))
          add(at(path + ".zones", z), "unknown zone " + quoted(d.zones[z].str()));
      }
      bool hex = d.token_sha256.size() == 64;
      for (char c : d.token_sha256) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
      if (!hex) add(path + ".token_sha256", "expected 64 lowercase hex digits (SHA-256 of the device token)");
    }
  }

  void check_tiers() {
    for (std::size_t i = 0; i < site_.tiers.size(); ++i) {
      const TierRequirementDef& t = site_.tiers[i];
      const std::string path = at("$.tiers", i);
      if (t.any_of.empty())
        add(path + ".any_of", "tier " + std::to_string(t.tier) + " has no acceptable factor set");
      for (std::size_t s = 0; s < t.any_of.size(); ++s) {
        const std::string spath = at(path + ".any_of", s);
        if (t.any_of[s].empty()) add(spath, "an empty factor set would grant without any credential");
        for (std::size_t f = 0; f < t.any_of[s].size(); ++f) {
          if (t.any_of[s][f] == Factor::SecondPerson)
            add(at(spath, f), "use two_person instead of a second_person factor");
        }
      }
    }
  }

  void check_mantraps() {
    std::unordered_set<PortalId> in_mantrap;
    for (std::size_t i = 0; i < site_.mantraps.size(); ++i) {
      const MantrapDef& m = site_.mantraps[i];
      const std::string path = at("$.mantraps", i);
      check_zone_ref(m.vestibule, path + ".vestibule");
      if (m.portals.size() < 2) add(path + ".portals", "a mantrap has at least two portals");
      for (std::size_t p = 0; p < m.portals.size(); ++p) {
        if (!portals_.contains(m.portals[p])) {
          add(at(path + ".portals", p), "unknown portal " + quoted(m.portals[p].str()));
          continue;
        }
        if (!in_mantrap.insert(m.portals[p]).second)
          add(at(path + ".portals", p), "portal " + quoted(m.portals[p].str()) + " is in two mantraps");
        for (const auto& portal : site_.portals) {
          if (portal.id == m.portals[p] && portal.from != m.vestibule && portal.to != m.vestibule) {
            add(at(path + ".portals", p),
                "portal " + quoted(portal.id.str()) + " does not open onto the vestibule");
          }
        }
      }
      if (m.max_dwell_s <= 0) add(path + ".max_dwell_s", "must be positive");
    }
  }

  void check_area_readers() {
    for (std::size_t i = 0; i < site_.area_readers.size(); ++i)
      check_zone_ref(site_.area_readers[i].zone, at("$.area_readers", i) + ".zone");
  }

  // The asset registry. EPCs are unique (an RFID read must name one asset).
  void check_assets() {
    std::unordered_map<std::string_view, std::size_t> epcs;
    for (std::size_t i = 0; i < site_.assets.size(); ++i) {
      const AssetDef& a = site_.assets[i];
      const std::string path = at("$.assets", i);
      if (!is_valid_epc(a.epc)) {
        add(path + ".epc",
            "expected an EPC pure-identity URN (urn:epc:id:giai:<company>.<asset> or "
            "urn:epc:id:sgtin:<company>.<item>.<serial>), got " +
                quoted(a.epc));
      } else if (auto [it, inserted] = epcs.emplace(a.epc, i); !inserted) {
        add(path + ".epc",
            "duplicate EPC " + quoted(a.epc) + " (first at " + at("$.assets", it->second) + ")");
      }
      const bool rack_known = !a.home_rack.empty() && racks_.contains(a.home_rack);
      if (!a.home_rack.empty() && !rack_known)
        add(path + ".home_rack", "unknown rack " + quoted(a.home_rack.str()));
      if (a.unit < 0 || a.unit > 60) add(path + ".unit", "must be 0..60 (0: not recorded)");
      if (!a.custodian.empty() && !people_.contains(a.custodian))
        add(path + ".custodian", "unknown person " + quoted(a.custodian.str()));
      for (std::size_t z = 0; z < a.allowed_zones.size(); ++z)
        check_zone_ref(a.allowed_zones[z], at(path + ".allowed_zones", z));
      if (rack_known && !a.allowed_zones.empty() && !home_rack_allowed(a))
        add(path + ".allowed_zones",
            "the home rack " + quoted(a.home_rack.str()) + " is outside the allowed zones");
      if (a.missing_after_s < 0) add(path + ".missing_after_s", "must not be negative (0: the site default)");
    }
  }

  // True when the home rack's zone is one of the allowed zones or below one.
  [[nodiscard]] bool home_rack_allowed(const AssetDef& a) const {
    std::unordered_map<std::string_view, const ZoneDef*> zones;
    for (const auto& z : site_.zones) zones.emplace(z.id.str(), &z);
    ZoneId zone;
    for (const auto& r : site_.racks) {
      if (r.id == a.home_rack) zone = r.zone;
    }
    for (std::size_t steps = 0; !zone.empty() && steps <= site_.zones.size(); ++steps) {
      for (const auto& allowed : a.allowed_zones) {
        if (allowed == zone) return true;
      }
      auto it = zones.find(zone.str());
      if (it == zones.end()) return false;
      zone = it->second->parent;
    }
    return false;
  }

  void check_seals() {
    IdSet<SealId> ids;
    std::unordered_map<std::string_view, std::size_t> serials;
    for (std::size_t i = 0; i < site_.seals.size(); ++i) {
      const SealDef& seal = site_.seals[i];
      const std::string path = at("$.seals", i);
      ids.add(*this, seal.id, top("$.seals", i), "seal");
      if (seal.serial.empty()) {
        add(path + ".serial", "missing seal serial");
      } else if (auto [it, inserted] = serials.emplace(seal.serial, i); !inserted) {
        add(path + ".serial",
            "duplicate seal serial " + quoted(seal.serial) + " (first at " + at("$.seals", it->second) + ")");
      }
      if (seal.rack.empty() == seal.asset.empty()) {
        add(path, "a seal is on exactly one of rack or asset");
      } else if (!seal.rack.empty() && !racks_.contains(seal.rack)) {
        add(path + ".rack", "unknown rack " + quoted(seal.rack.str()));
      } else if (!seal.asset.empty() && !assets_.contains(seal.asset)) {
        add(path + ".asset", "unknown asset " + quoted(seal.asset.str()));
      }
    }
  }

  const SiteDefinition& site_;
  Problems problems_;
  IdSet<AssetId> assets_;
  IdSet<ZoneId> zones_;
  IdSet<PortalId> portals_;
  IdSet<RackId> racks_;
  IdSet<ReaderId> readers_;
  IdSet<PersonId> people_;
  IdSet<GroupId> groups_;
  IdSet<ScheduleId> schedules_;
  std::unordered_map<int, std::string> tiers_;
};

}  // namespace

Problems validate(const SiteDefinition& site) {
  return Checker{site}.run();
}

}  // namespace portcullis::core
