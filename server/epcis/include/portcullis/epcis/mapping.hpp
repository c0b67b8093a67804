#pragma once
// What a parsed EPCIS event means to Portcullis, as pure functions (no JSON, no I/O):
//
//   ObjectEvent OBSERVE (any bizStep)      -> one Observation per EPC: seen at readPoint (a reader),
//   optionally
//                                             placed by bizLocation (a rack or a zone, for area/handheld
//                                             readers)
//   ObjectEvent ADD + bizStep commissioning -> one Registration per EPC (attributes from ilmd)
//   ObjectEvent DELETE + bizStep destroying -> one Destruction per EPC (two distinct witnesses and a method
//                                             from the event's portcullis: extension fields, else refused)
//   anything else                           -> accepted, not applied (the reason says why)
//
// These structs are deliberately small and independent of the core's asset types: the HTTP handler turns
// them into core::RfidObservation / core::RegisterAsset / core::RecordDestruction (it also knows the
// authenticated device, which EPCIS does not carry). docs/epcis.md has the whole table.
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/core/strong_id.hpp"
#include "portcullis/core/time.hpp"
#include "portcullis/epcis/capture.hpp"
#include "portcullis/epcis/result.hpp"

namespace portcullis::epcis {

enum class PlaceKind { Reader, Rack, Zone };

[[nodiscard]] std::string_view to_string(PlaceKind kind) noexcept;

struct Place {
  PlaceKind kind = PlaceKind::Reader;
  std::string id;  // the site file's id
  friend bool operator==(const Place&, const Place&) = default;
};

// The ids an EPCIS location may name, taken from the site (the handler builds it from the SiteModel).
// Location ids are accepted as:
//   urn:portcullis:reader:<id>, urn:portcullis:rack:<id>, urn:portcullis:zone:<id>  (explicit kind)
//   <id> (no ':')  readPoint: a reader id; bizLocation: a rack id, else a zone id
//   any other URI (SGLN urn:epc:id:sgln:..., GS1 Digital Link ...) listed in `aliases`
// Anything else, or an id the site does not have, is refused naming the field.
struct SiteDirectory {
  std::set<std::string, std::less<>> readers;  // readers that report RFID (portal, rack and area readers)
  std::set<std::string, std::less<>> racks;
  std::set<std::string, std::less<>> zones;
  std::map<std::string, Place, std::less<>> aliases;
};

enum class LocationRole { ReadPoint, BizLocation };

// Resolves one location id. `path` names the field in errors ("epcisBody.eventList[2].readPoint.id").
// A readPoint must resolve to a reader; a bizLocation to a rack or a zone.
[[nodiscard]] Result<Place> resolve_location(std::string_view id, LocationRole role,
                                             const SiteDirectory& site, const std::string& path);

// An EPC seen by a reader. at_rack / at_zone come from bizLocation (at most one is set).
struct Observation {
  std::string epc;
  core::ReaderId reader;
  core::RackId at_rack;
  core::ZoneId at_zone;
  core::Timestamp at{};
  friend bool operator==(const Observation&, const Observation&) = default;
};

// A new asset. asset = ilmd assetTag when given, else the EPC itself. home_rack = ilmd homeRack, else
// bizLocation when it names a rack, else empty.
struct Registration {
  core::AssetId asset;
  std::string epc;  // urn:epc:id:giai:... or urn:epc:id:sgtin:...
  AssetAttributes attributes;
  core::Timestamp at{};
  friend bool operator==(const Registration&, const Registration&) = default;
};

// The destruction of the asset carrying `epc`, witnessed by two distinct persons.
struct Destruction {
  std::string epc;
  std::string method;
  core::PersonId witnesses[2];
  std::string certificate_sha256;  // optional: 64 lowercase hex digits
  core::Timestamp at{};
  friend bool operator==(const Destruction&, const Destruction&) = default;
};

enum class Effect { Observe, Register, Destroy, NotApplied };

[[nodiscard]] std::string_view to_string(Effect effect) noexcept;

// One event's meaning. Exactly the vector matching `effect` is filled (none for NotApplied).
struct MappedEvent {
  std::string event_id;  // idempotency key
  std::string path;      // "epcisBody.eventList[3]" or "$"
  Effect effect = Effect::NotApplied;
  std::string not_applied_reason;  // NotApplied only
  std::vector<Observation> observations;
  std::vector<Registration> registrations;
  std::vector<Destruction> destructions;
};

[[nodiscard]] Result<MappedEvent> map_event(const CaptureEvent& event, const SiteDirectory& site);

// All or nothing: every event's errors are collected; no partial list is returned.
[[nodiscard]] Result<std::vector<MappedEvent>> map_document(const CaptureDocument& document,
                                                            const SiteDirectory& site);

}  // namespace portcullis::epcis
