#pragma once
// The facility as the core sees it. Immutable once built: a new site load builds a new model
// and swaps it in whole, so a decision never sees half of an update.
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "portcullis/core/device_event.hpp"
#include "portcullis/core/strong_id.hpp"

namespace portcullis::core {

struct Zone {
  ZoneId id;
  std::string name;
  ZoneId parent;  // empty for the root
  int tier = 0;
};

struct Portal {
  PortalId id;
  std::string name;
  ZoneId from;
  ZoneId to;
};

enum class ReaderSide { Entry, Exit };

struct Reader {
  ReaderId id;
  PortalId portal;
  ReaderSide side = ReaderSide::Entry;
};

struct Person {
  PersonId id;
  std::string name;
};

struct CardCredential {
  CredentialId id;
  PersonId person;
  std::uint32_t facility = 0;
  std::uint64_t number = 0;
};

class SiteModel {
 public:
  SiteModel() = default;

  void add_zone(Zone z);
  void add_portal(Portal p);
  void add_reader(Reader r);
  void add_person(Person p);
  void add_card(CardCredential c);

  [[nodiscard]] const Zone* zone(const ZoneId& id) const;
  [[nodiscard]] const Portal* portal(const PortalId& id) const;
  [[nodiscard]] const Reader* reader(const ReaderId& id) const;
  [[nodiscard]] const Person* person(const PersonId& id) const;
  [[nodiscard]] const CardCredential* card(std::uint32_t facility, std::uint64_t number) const;

 private:
  std::unordered_map<ZoneId, Zone> zones_;
  std::unordered_map<PortalId, Portal> portals_;
  std::unordered_map<ReaderId, Reader> readers_;
  std::unordered_map<PersonId, Person> people_;
  std::unordered_map<std::uint64_t, CardCredential> cards_;  // key: facility << 40 | number
};

}  // namespace portcullis::core
