#include "portcullis/core/site_model.hpp"

#include <algorithm>

#include "portcullis/core/model/validate.hpp"

namespace portcullis::core {
namespace {

std::uint64_t card_key(std::uint32_t facility, std::uint64_t number) {
  return (static_cast<std::uint64_t>(facility) << 40U) | (number & ((1ULL << 40U) - 1U));
}

template <class Map, class Key>
Index find_index(const Map& map, const Key& key) {
  auto it = map.find(key);
  return it == map.end() ? kNoIndex : it->second;
}

void sort_unique(std::vector<Index>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

BuildResult SiteModel::build(const SiteDefinition& def) {
  BuildResult result;
  result.problems = validate(def);
  if (!result.problems.empty()) return result;

  auto m = std::make_shared<SiteModel>();
  m->site_id_ = def.site_id;
  m->version_ = def.version;
  m->settings_ = def.settings;
  for (const auto& d : def.settings.holidays) m->holidays_.emplace_back(d);
  std::sort(m->holidays_.begin(), m->holidays_.end());

  m->zones_.reserve(def.zones.size());
  for (const auto& z : def.zones) {
    m->zone_ids_.emplace(z.id, static_cast<Index>(m->zones_.size()));
    m->zones_.push_back({z, kNoIndex, 0});
  }
  for (auto& z : m->zones_) z.parent = z.def.parent.empty() ? kNoIndex : m->zone_index(z.def.parent);
  for (auto& z : m->zones_) {
    for (Index p = z.parent; p != kNoIndex; p = m->zones_[p].parent) ++z.depth;
  }

  for (const auto& p : def.portals) {
    const auto index = static_cast<Index>(m->portals_.size());
    m->portal_ids_.emplace(p.id, index);
    m->portals_.push_back({p, m->zone_index(p.from), m->zone_index(p.to)});
    for (const auto& r : p.readers) {
      m->reader_ids_.emplace(r.id, static_cast<Index>(m->readers_.size()));
      m->readers_.push_back({r, false, index, {}, {}});
    }
  }
  for (const auto& r : def.racks) {
    const auto index = static_cast<Index>(m->racks_.size());
    m->rack_ids_.emplace(r.id, index);
    m->racks_.push_back({r, m->zone_index(r.zone)});
    for (const auto& reader : r.readers) {
      m->reader_ids_.emplace(reader.id, static_cast<Index>(m->readers_.size()));
      m->readers_.push_back({reader, true, index, {}, {}});
    }
  }

  for (const auto& a : def.area_readers) {
    m->area_reader_ids_.emplace(a.id, static_cast<Index>(m->area_readers_.size()));
    m->area_readers_.push_back({a, m->zone_index(a.zone), {}});
  }
  m->assets_ = def.assets;
  m->seals_ = def.seals;

  for (const auto& d : def.devices) {
    for (const auto& r : d.readers) {
      const Index reader = m->reader_index(r);
      if (reader != kNoIndex) {
        m->readers_[reader].devices.push_back(d.id);
      } else {
        m->area_readers_[m->area_reader_index(r)].devices.push_back(d.id);
      }
    }
  }

  m->people_.reserve(def.people.size());
  m->person_ids_.reserve(def.people.size());
  for (const auto& p : def.people) {
    const auto index = static_cast<Index>(m->people_.size());
    m->person_ids_.emplace(p.id, index);
    PersonNode node;
    node.id = p.id;
    node.name = p.name;
    node.revoked = p.revoked;
    node.clearance = p.clearance;
    node.pin_hash = p.pin_hash;
    node.duress_pin_hash = p.duress_pin_hash;
    m->people_.push_back(std::move(node));
    for (const auto& c : p.cards) {
      const auto ci = static_cast<Index>(m->credentials_.size());
      m->credentials_.push_back({c.id, index, c.revoked});
      m->credential_ids_.emplace(c.id, ci);
      m->cards_.emplace(card_key(c.facility, c.number), ci);
    }
    for (const auto& b : p.biometrics) {
      const auto ci = static_cast<Index>(m->credentials_.size());
      m->credentials_.push_back({b.id, index, b.revoked});
      m->credential_ids_.emplace(b.id, ci);
      m->biometrics_.emplace(b.template_id, ci);
    }
  }

  for (const auto& g : def.groups) {
    const auto index = static_cast<Index>(m->groups_.size());
    m->group_ids_.emplace(g.id, index);
    m->groups_.push_back({g.id, {}, {}});
    for (const auto& member : g.members) m->people_[m->person_index(member)].groups.push_back(index);
  }
  for (auto& p : m->people_) sort_unique(p.groups);

  for (const auto& s : def.schedules) {
    m->schedule_ids_.emplace(s.id, static_cast<Index>(m->schedules_.size()));
    m->schedules_.push_back(s);
  }

  // Children of every zone and racks of every zone, to expand subtree coverage.
  std::vector<std::vector<Index>> children(m->zones_.size());
  std::vector<std::vector<Index>> racks_in(m->zones_.size());
  for (Index z = 0; z < m->zones_.size(); ++z) {
    if (m->zones_[z].parent != kNoIndex) children[m->zones_[z].parent].push_back(z);
  }
  for (Index r = 0; r < m->racks_.size(); ++r) racks_in[m->racks_[r].zone].push_back(r);

  m->grants_.reserve(def.grants.size());
  m->grant_ids_.reserve(def.grants.size());
  std::vector<Index> stack;
  for (const auto& g : def.grants) {
    const auto index = static_cast<Index>(m->grants_.size());
    m->grant_ids_.emplace(g.id, index);
    GrantNode node;
    node.id = g.id;
    node.effect = g.effect;
    node.schedule = g.schedule.empty() ? kNoIndex : m->schedule_index(g.schedule);
    node.valid_from = g.valid_from;
    node.valid_until = g.valid_until;
    node.revoked = g.revoked;
    const bool subtree = g.include_subzones || g.effect == GrantEffect::Deny;
    for (const auto& zid : g.zones) {
      const Index z = m->zone_index(zid);
      node.zones.push_back(z);
      if (g.effect == GrantEffect::Deny)
        node.racks.insert(node.racks.end(), racks_in[z].begin(), racks_in[z].end());
      if (!subtree) continue;
      stack.assign(children[z].begin(), children[z].end());
      while (!stack.empty()) {
        const Index c = stack.back();
        stack.pop_back();
        node.zones.push_back(c);
        if (g.effect == GrantEffect::Deny)
          node.racks.insert(node.racks.end(), racks_in[c].begin(), racks_in[c].end());
        stack.insert(stack.end(), children[c].begin(), children[c].end());
      }
    }
    for (const auto& rid : g.racks) node.racks.push_back(m->rack_index(rid));
    sort_unique(node.zones);
    sort_unique(node.racks);
    node.zones.shrink_to_fit();
    node.racks.shrink_to_fit();
    std::vector<Index>* subject_grants = nullptr;
    std::vector<Coverage>* coverage = nullptr;
    if (!g.person.empty()) {
      PersonNode& person = m->people_[m->person_index(g.person)];
      subject_grants = &person.grants;
      coverage = &person.coverage;
    } else {
      GroupNode& group = m->groups_[m->group_index(g.group)];
      subject_grants = &group.grants;
      coverage = &group.coverage;
    }
    subject_grants->push_back(index);
    for (Index z : node.zones) coverage->push_back({z, index});
    for (Index r : node.racks) coverage->push_back({kRackTargetBit | r, index});
    m->grants_.push_back(std::move(node));
  }
  for (auto& p : m->people_) {
    std::sort(p.coverage.begin(), p.coverage.end());
    p.coverage.shrink_to_fit();
  }
  for (auto& g : m->groups_) std::sort(g.coverage.begin(), g.coverage.end());

  for (const auto& t : def.tiers) {
    TierNode node{t, {}};
    for (const auto& set : t.any_of) {
      FactorMask mask = 0;
      for (Factor f : set) mask = static_cast<FactorMask>(mask | factor_bit(f));
      node.any_of.push_back(mask);
    }
    m->tier_ids_.emplace(t.tier, static_cast<Index>(m->tiers_.size()));
    m->tiers_.push_back(std::move(node));
  }

  for (const auto& t : def.tiers) m->tier_numbers_.push_back(t.tier);
  std::sort(m->tier_numbers_.begin(), m->tier_numbers_.end());

  m->portal_mantrap_.assign(m->portals_.size(), kNoIndex);
  for (const auto& md : def.mantraps) {
    const auto index = static_cast<Index>(m->mantraps_.size());
    m->mantrap_ids_.emplace(md.id, index);
    MantrapNode node{md, m->zone_index(md.vestibule), {}};
    for (const auto& pid : md.portals) {
      const Index p = m->portal_index(pid);
      node.portals.push_back(p);
      m->portal_mantrap_[p] = index;
    }
    m->mantraps_.push_back(std::move(node));
  }
  for (Index z = 0; z < m->zones_.size(); ++z) {
    if (m->zones_[z].def.min_occupancy >= 2) m->two_person_zones_.push_back(z);
  }
  m->two_person_rules_ = def.two_person_rules;
  m->zone_rule_.assign(m->zones_.size(), kNoIndex);
  m->rack_rule_.assign(m->racks_.size(), kNoIndex);
  for (Index i = 0; i < m->two_person_rules_.size(); ++i) {
    const TwoPersonRuleDef& r = m->two_person_rules_[i];
    if (!r.zone.empty()) m->zone_rule_[m->zone_index(r.zone)] = i;
    if (!r.rack.empty()) m->rack_rule_[m->rack_index(r.rack)] = i;
  }
  m->portal_devices_.resize(m->portals_.size());
  for (const auto& d : def.devices) {
    if (d.heartbeat_s > 0) m->heartbeats_.emplace(d.id, d.heartbeat_s);
    DeviceNode node;
    node.id = d.id;
    node.kind = d.kind;
    auto resolve = [](std::vector<Index>& into, const auto& ids, auto&& index_of) {
      for (const auto& id : ids) {
        const Index i = index_of(id);
        if (i != kNoIndex) into.push_back(i);
      }
      std::sort(into.begin(), into.end());
      into.erase(std::unique(into.begin(), into.end()), into.end());
    };
    resolve(node.readers, d.readers, [&](const ReaderId& id) { return m->reader_index(id); });
    resolve(node.portals, d.portals, [&](const PortalId& id) { return m->portal_index(id); });
    resolve(node.racks, d.racks, [&](const RackId& id) { return m->rack_index(id); });
    resolve(node.mantraps, d.mantraps, [&](const MantrapId& id) { return m->mantrap_index(id); });
    resolve(node.zones, d.zones, [&](const ZoneId& id) { return m->zone_index(id); });
    for (Index p : node.portals) m->portal_devices_[p].push_back(d.id);
    for (Index r : node.readers)
      m->readers_[r].device_indexes.push_back(static_cast<Index>(m->devices_.size()));
    node.heartbeat_s = std::max<std::int64_t>(d.heartbeat_s, 0);
    m->device_ids_.emplace(d.id, static_cast<Index>(m->devices_.size()));
    m->devices_.push_back(std::move(node));
  }
  for (auto& list : m->portal_devices_) std::sort(list.begin(), list.end());

  result.model = std::move(m);
  return result;
}

Index SiteModel::device_index(const DeviceId& id) const {
  return find_index(device_ids_, id);
}
Index SiteModel::zone_index(const ZoneId& id) const {
  return find_index(zone_ids_, id);
}
Index SiteModel::portal_index(const PortalId& id) const {
  return find_index(portal_ids_, id);
}
Index SiteModel::rack_index(const RackId& id) const {
  return find_index(rack_ids_, id);
}
Index SiteModel::reader_index(const ReaderId& id) const {
  return find_index(reader_ids_, id);
}
Index SiteModel::person_index(const PersonId& id) const {
  return find_index(person_ids_, id);
}
Index SiteModel::group_index(const GroupId& id) const {
  return find_index(group_ids_, id);
}
Index SiteModel::grant_index(const GrantId& id) const {
  return find_index(grant_ids_, id);
}
Index SiteModel::credential_index(const CredentialId& id) const {
  return find_index(credential_ids_, id);
}
Index SiteModel::schedule_index(const ScheduleId& id) const {
  return find_index(schedule_ids_, id);
}
Index SiteModel::card_credential(std::uint32_t facility, std::uint64_t number) const {
  if (number >= (1ULL << 40U) || facility >= (1U << 24U)) return kNoIndex;
  return find_index(cards_, card_key(facility, number));
}
Index SiteModel::biometric_credential(const std::string& template_id) const {
  return find_index(biometrics_, template_id);
}
const TierNode* SiteModel::tier(int tier) const {
  const Index i = find_index(tier_ids_, tier);
  return i == kNoIndex ? nullptr : &tiers_[i];
}

int SiteModel::raised_tier(int tier, int steps) const {
  if (steps <= 0 || tier_numbers_.empty()) return tier;
  auto it = std::lower_bound(tier_numbers_.begin(), tier_numbers_.end(), tier);
  if (it == tier_numbers_.end()) return tier;
  const auto pos = static_cast<std::size_t>(it - tier_numbers_.begin()) + static_cast<std::size_t>(steps);
  return tier_numbers_[std::min(pos, tier_numbers_.size() - 1)];
}

const TwoPersonRuleDef& SiteModel::zone_two_person_rule(Index zone) const {
  static const TwoPersonRuleDef kDefault{};
  const Index r = zone < zone_rule_.size() ? zone_rule_[zone] : kNoIndex;
  return r == kNoIndex ? kDefault : two_person_rules_[r];
}

const TwoPersonRuleDef& SiteModel::rack_two_person_rule(Index rack) const {
  static const TwoPersonRuleDef kDefault{};
  const Index r = rack < rack_rule_.size() ? rack_rule_[rack] : kNoIndex;
  return r == kNoIndex ? kDefault : two_person_rules_[r];
}

Index SiteModel::mantrap_index(const MantrapId& id) const {
  return find_index(mantrap_ids_, id);
}

std::int64_t SiteModel::heartbeat_s(const DeviceId& id) const {
  auto it = heartbeats_.find(id);
  return it == heartbeats_.end() ? 0 : it->second;
}

Index SiteModel::area_reader_index(const ReaderId& id) const {
  return find_index(area_reader_ids_, id);
}

bool SiteModel::is_within(Index zone, Index ancestor) const {
  for (Index z = zone; z != kNoIndex; z = zones_[z].parent) {
    if (z == ancestor) return true;
  }
  return false;
}

}  // namespace portcullis::core
