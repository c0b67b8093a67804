// EPCIS ObjectEvents -> Portcullis observations, registrations and destructions. See mapping.hpp.
#include "portcullis/epcis/mapping.hpp"

#include <optional>
#include <set>
#include <string>
#include <utility>

namespace portcullis::epcis {

std::string_view to_string(PlaceKind kind) noexcept {
  switch (kind) {
    case PlaceKind::Reader: return "reader";
    case PlaceKind::Rack: return "rack";
    case PlaceKind::Zone: return "zone";
  }
  return "?";
}

std::string_view to_string(Effect effect) noexcept {
  switch (effect) {
    case Effect::Observe: return "observe";
    case Effect::Register: return "register";
    case Effect::Destroy: return "destroy";
    case Effect::NotApplied: return "not_applied";
  }
  return "?";
}

namespace {

constexpr std::string_view kUrnPrefix = "urn:portcullis:";

std::string field(const CaptureEvent& event, std::string_view name) {
  if (event.path.empty() || event.path == "$") return std::string(name);
  return event.path + "." + std::string(name);
}

std::string quote_value(std::string_view value) {
  constexpr std::size_t kMax = 64;
  return "'" + std::string(value.substr(0, kMax)) + (value.size() > kMax ? "...'" : "'");
}

bool known(const SiteDirectory& site, const Place& place) {
  switch (place.kind) {
    case PlaceKind::Reader: return site.readers.contains(place.id);
    case PlaceKind::Rack: return site.racks.contains(place.id);
    case PlaceKind::Zone: return site.zones.contains(place.id);
  }
  return false;
}

bool asset_epc(std::string_view epc) {
  return epc.starts_with("urn:epc:id:giai:") || epc.starts_with("urn:epc:id:sgtin:");
}

}  // namespace

Result<Place> resolve_location(std::string_view id, LocationRole role, const SiteDirectory& site,
                               const std::string& path) {
  const std::string expected =
      role == LocationRole::ReadPoint
          ? "a reader (urn:portcullis:reader:<id>, a plain reader id or a listed alias)"
          : "a rack or a zone (urn:portcullis:rack:<id>, urn:portcullis:zone:<id>, a plain "
            "rack or zone id or a listed alias)";
  Place place;
  if (id.starts_with(kUrnPrefix)) {
    const std::string_view rest = id.substr(kUrnPrefix.size());
    const auto colon = rest.find(':');
    const std::string_view kind = rest.substr(0, colon);
    if (colon == std::string_view::npos || colon + 1 >= rest.size()) {
      return FieldError{path, "expected urn:portcullis:<reader|rack|zone>:<id>, got " + quote_value(id)};
    }
    if (kind == "reader") {
      place.kind = PlaceKind::Reader;
    } else if (kind == "rack") {
      place.kind = PlaceKind::Rack;
    } else if (kind == "zone") {
      place.kind = PlaceKind::Zone;
    } else {
      return FieldError{path, "unknown location kind " + quote_value(kind) + " (reader, rack or zone)"};
    }
    place.id = std::string(rest.substr(colon + 1));
  } else if (id.find(':') == std::string_view::npos) {
    place.id = std::string(id);
    if (role == LocationRole::ReadPoint) {
      place.kind = PlaceKind::Reader;
    } else {
      place.kind = site.racks.contains(id) ? PlaceKind::Rack : PlaceKind::Zone;
      if (!site.racks.contains(id) && !site.zones.contains(id)) {
        return FieldError{path, "unknown rack or zone " + quote_value(id)};
      }
    }
  } else if (const auto alias = site.aliases.find(id); alias != site.aliases.end()) {
    place = alias->second;
  } else {
    return FieldError{path, "unknown location " + quote_value(id) + ": expected " + expected};
  }
  if (role == LocationRole::ReadPoint && place.kind != PlaceKind::Reader) {
    return FieldError{path,
                      "names a " + std::string(to_string(place.kind)) + "; a readPoint must be " + expected};
  }
  if (role == LocationRole::BizLocation && place.kind == PlaceKind::Reader) {
    return FieldError{path, "names a reader; a bizLocation must be " + expected};
  }
  if (!known(site, place)) {
    return FieldError{
        path, (place.kind == PlaceKind::Reader ? std::string("unknown RFID reader ")
                                               : "unknown " + std::string(to_string(place.kind)) + " ") +
                  quote_value(place.id)};
  }
  return place;
}

Result<MappedEvent> map_event(const CaptureEvent& event, const SiteDirectory& site) {
  MappedEvent out;
  out.event_id = event.event_id;
  out.path = event.path;
  const auto not_applied = [&](std::string reason) -> Result<MappedEvent> {
    out.effect = Effect::NotApplied;
    out.not_applied_reason = std::move(reason);
    return std::move(out);
  };

  if (event.type != EventType::ObjectEvent) {
    return not_applied("only ObjectEvent is applied; " + std::string(to_string(event.type)) +
                       " is accepted and recorded as not applied");
  }
  if (!event.action) return not_applied("no action");  // the parser requires one; kept total
  if (event.epc_list.empty()) {
    return not_applied("no EPCs in epcList (class-level quantityList is not tracked)");
  }

  FieldErrors errors;
  // bizLocation: where the objects are (a rack or a zone). Resolved whenever given, so a wrong id is
  // always refused.
  std::optional<Place> biz_location;
  if (!event.biz_location.empty()) {
    auto place =
        resolve_location(event.biz_location, LocationRole::BizLocation, site, field(event, "bizLocation.id"));
    if (place) {
      biz_location = *place;
    } else {
      errors.push_back(place.error());
    }
  }

  switch (*event.action) {
    case Action::Observe: {
      const std::string rp_path = field(event, "readPoint.id");
      std::optional<Place> reader;
      if (event.read_point.empty()) {
        errors.push_back({rp_path, "required for OBSERVE: the reader that saw the EPCs"});
      } else if (auto place = resolve_location(event.read_point, LocationRole::ReadPoint, site, rp_path)) {
        reader = *place;
      } else {
        errors.push_back(place.error());
      }
      if (!errors.empty()) return errors;
      out.effect = Effect::Observe;
      out.observations.reserve(event.epc_list.size());
      for (const auto& epc : event.epc_list) {
        Observation o;
        o.epc = epc;
        o.reader = core::ReaderId{reader->id};
        if (biz_location && biz_location->kind == PlaceKind::Rack) o.at_rack = core::RackId{biz_location->id};
        if (biz_location && biz_location->kind == PlaceKind::Zone) o.at_zone = core::ZoneId{biz_location->id};
        o.at = event.event_time;
        out.observations.push_back(std::move(o));
      }
      return out;
    }
    case Action::Add: {
      if (event.biz_step != "commissioning") {
        if (!errors.empty()) return errors;
        return not_applied("ADD is applied only with bizStep commissioning");
      }
      for (std::size_t i = 0; i < event.epc_list.size(); ++i) {
        if (!asset_epc(event.epc_list[i])) {
          errors.push_back({field(event, "epcList[" + std::to_string(i) + "]"),
                            "commissioning needs an EPC pure-identity URN urn:epc:id:giai:... or "
                            "urn:epc:id:sgtin:..., got " +
                                quote_value(event.epc_list[i])});
        }
      }
      AssetAttributes attributes = event.ilmd;
      if (!attributes.home_rack.empty() && !site.racks.contains(attributes.home_rack.str())) {
        errors.push_back({field(event, "ilmd.portcullis:homeRack"),
                          "unknown rack " + quote_value(attributes.home_rack.str())});
      }
      if (attributes.home_rack.empty() && biz_location && biz_location->kind == PlaceKind::Rack) {
        attributes.home_rack = core::RackId{biz_location->id};
      }
      if (!errors.empty()) return errors;
      out.effect = Effect::Register;
      for (const auto& epc : event.epc_list) {
        Registration r;
        r.asset = core::AssetId{attributes.asset_tag.empty() ? epc : attributes.asset_tag};
        r.epc = epc;
        r.attributes = attributes;
        r.at = event.event_time;
        out.registrations.push_back(std::move(r));
      }
      return out;
    }
    case Action::Delete: {
      if (event.biz_step != "destroying") {
        if (!errors.empty()) return errors;
        return not_applied(
            "DELETE is applied only with bizStep destroying (decommissioning and wipes need their evidence "
            "and go "
            "through the operator API)");
      }
      const auto& custody = event.custody;
      const std::string witnesses_path = field(event, "portcullis:witnesses");
      if (custody.witnesses.empty()) {
        errors.push_back(
            {witnesses_path,
             "required for DELETE with bizStep destroying: the person ids of two distinct witnesses"});
      } else if (custody.witnesses.size() != 2 || custody.witnesses[0] == custody.witnesses[1]) {
        errors.push_back({witnesses_path, "destruction needs exactly two distinct witnesses"});
      }
      if (custody.destruction_method.empty()) {
        errors.push_back({field(event, "portcullis:destructionMethod"),
                          "required for DELETE with bizStep destroying (e.g. \"shred\", \"disintegrate\")"});
      }
      if (!errors.empty()) return errors;
      out.effect = Effect::Destroy;
      for (const auto& epc : event.epc_list) {
        Destruction d;
        d.epc = epc;
        d.method = custody.destruction_method;
        d.witnesses[0] = custody.witnesses[0];
        d.witnesses[1] = custody.witnesses[1];
        d.certificate_sha256 = custody.certificate_sha256;
        d.at = event.event_time;
        out.destructions.push_back(std::move(d));
      }
      return out;
    }
  }
  return not_applied("unknown action");
}

Result<std::vector<MappedEvent>> map_document(const CaptureDocument& document, const SiteDirectory& site) {
  std::vector<MappedEvent> out;
  out.reserve(document.events.size());
  FieldErrors errors;
  for (const auto& event : document.events) {
    auto mapped = map_event(event, site);
    if (mapped) {
      out.push_back(std::move(mapped).value());
    } else {
      errors.insert(errors.end(), mapped.errors().begin(), mapped.errors().end());
    }
  }
  if (!errors.empty()) return errors;
  return out;
}

}  // namespace portcullis::epcis
