#include "portcullis/core/site_model.hpp"

namespace portcullis::core {
namespace {
std::uint64_t card_key(std::uint32_t facility, std::uint64_t number) {
  return (static_cast<std::uint64_t>(facility) << 40U) | (number & ((1ULL << 40U) - 1U));
}
template <class Map, class Key>
auto find_in(const Map& map, const Key& key) -> const typename Map::mapped_type* {
  auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}
}  // namespace

void SiteModel::add_zone(Zone z) { zones_.insert_or_assign(z.id, std::move(z)); }
void SiteModel::add_portal(Portal p) { portals_.insert_or_assign(p.id, std::move(p)); }
void SiteModel::add_reader(Reader r) { readers_.insert_or_assign(r.id, std::move(r)); }
void SiteModel::add_person(Person p) { people_.insert_or_assign(p.id, std::move(p)); }
void SiteModel::add_card(CardCredential c) { cards_.insert_or_assign(card_key(c.facility, c.number), std::move(c)); }

const Zone* SiteModel::zone(const ZoneId& id) const { return find_in(zones_, id); }
const Portal* SiteModel::portal(const PortalId& id) const { return find_in(portals_, id); }
const Reader* SiteModel::reader(const ReaderId& id) const { return find_in(readers_, id); }
const Person* SiteModel::person(const PersonId& id) const { return find_in(people_, id); }
const CardCredential* SiteModel::card(std::uint32_t facility, std::uint64_t number) const {
  return find_in(cards_, card_key(facility, number));
}

}  // namespace portcullis::core
