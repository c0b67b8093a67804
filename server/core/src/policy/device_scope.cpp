#include "portcullis/core/policy/device_scope.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

namespace portcullis::core {
namespace {

// Bit i: the DevicePayload alternative with index i. Tamper and heartbeat are every kind's own business.
constexpr std::uint32_t bit(std::size_t index) {
  return 1U << index;
}
template <class T>
constexpr std::size_t index_of() {
  return DevicePayload{T{}}.index();
}
constexpr std::uint32_t kAnyDevice = bit(index_of<Tamper>()) | bit(index_of<Heartbeat>());
constexpr std::uint32_t kAccess =
    bit(index_of<CardPresented>()) | bit(index_of<PinEntered>()) | bit(index_of<BiometricMatch>());

// The table (docs/site-file.md, "Device kinds"): only a fire panel raises fire alarms.
constexpr std::uint32_t allowed(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::DoorController:
      return kAnyDevice | kAccess | bit(index_of<DoorContact>()) | bit(index_of<RequestToExit>()) |
             bit(index_of<OccupancyReport>());
    case DeviceKind::RackController:
      return kAnyDevice | kAccess | bit(index_of<DoorContact>()) | bit(index_of<RfidRead>());
    case DeviceKind::RfidReader: return kAnyDevice | bit(index_of<RfidRead>());
    case DeviceKind::Reader: return kAnyDevice | kAccess;
    case DeviceKind::FirePanel: return kAnyDevice | bit(index_of<FireAlarm>());
    case DeviceKind::OccupancySensor: return kAnyDevice | bit(index_of<OccupancyReport>());
  }
  return kAnyDevice;
}

bool lists(const std::vector<Index>& sorted, Index i) {
  return i != kNoIndex && std::binary_search(sorted.begin(), sorted.end(), i);
}

std::optional<ScopeRefusal> refuse(std::string field, std::string detail,
                                   Severity severity = Severity::High) {
  return ScopeRefusal{std::move(field), std::move(detail), severity};
}

}  // namespace

std::string_view to_string(DeviceKind kind) noexcept {
  switch (kind) {
    case DeviceKind::DoorController: return "door_controller";
    case DeviceKind::RackController: return "rack_controller";
    case DeviceKind::RfidReader: return "rfid_reader";
    case DeviceKind::Reader: return "reader";
    case DeviceKind::FirePanel: return "fire_panel";
    case DeviceKind::OccupancySensor: return "occupancy_sensor";
  }
  return "door_controller";
}

bool kind_may_send(DeviceKind kind, const DevicePayload& payload) noexcept {
  return (allowed(kind) & bit(payload.index())) != 0;
}

std::vector<std::string_view> event_types_of(DeviceKind kind) {
  static const std::array<DevicePayload, std::variant_size_v<DevicePayload>> kSamples{
      CardPresented{}, PinEntered{}, BiometricMatch{}, DoorContact{}, RequestToExit{},
      Tamper{},        Heartbeat{},  RfidRead{},       FireAlarm{},   OccupancyReport{}};
  std::vector<std::string_view> names;
  for (const auto& sample : kSamples) {
    if (kind_may_send(kind, sample)) names.emplace_back(type_name(sample));
  }
  return names;
}

std::optional<ScopeRefusal> check_device_scope(const SiteModel& model, const DeviceEvent& event,
                                               ScopeIndexes* found) {
  const Index d = model.device_index(event.device);
  if (found != nullptr) *found = ScopeIndexes{d, kNoIndex};
  if (d == kNoIndex) return refuse("device_id", "device " + event.device.str() + " is not in the site file");
  const DeviceNode& device = model.device(d);
  if (!kind_may_send(device.kind, event.payload)) {
    return refuse(
        "type",
        std::string("a ") + std::string(to_string(device.kind)) + " may not send " + type_name(event.payload),
        std::holds_alternative<FireAlarm>(event.payload) ? Severity::Critical : Severity::High);
  }
  const auto reader_scope = [&](const ReaderId& reader) -> std::optional<ScopeRefusal> {
    const Index r = model.reader_index(reader);
    if (found != nullptr) found->reader = r;
    if (r == kNoIndex) return std::nullopt;  // unknown: unknown_reader
    const std::vector<Index>& listed_by = model.reader(r).device_indexes;
    if (std::find(listed_by.begin(), listed_by.end(), d) != listed_by.end()) return std::nullopt;
    return refuse("reader", "reader " + reader.str() + " is not one of this device's readers");
  };
  return std::visit(
      [&](const auto& e) -> std::optional<ScopeRefusal> {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, CardPresented> || std::is_same_v<T, PinEntered> ||
                      std::is_same_v<T, BiometricMatch>) {
          return reader_scope(e.reader);
        } else if constexpr (std::is_same_v<T, DoorContact>) {
          if (!e.rack.empty()) {
            if (lists(device.racks, model.rack_index(e.rack))) return std::nullopt;
            return refuse("rack", "rack " + e.rack.str() + " is not one of this device's racks");
          }
          if (lists(device.portals, model.portal_index(e.portal))) return std::nullopt;
          return refuse("portal", "portal " + e.portal.str() + " is not one of this device's portals");
        } else if constexpr (std::is_same_v<T, RequestToExit>) {
          if (lists(device.portals, model.portal_index(e.portal))) return std::nullopt;
          return refuse("portal", "portal " + e.portal.str() + " is not one of this device's portals");
        } else if constexpr (std::is_same_v<T, OccupancyReport>) {
          if (lists(device.mantraps, model.mantrap_index(e.mantrap))) return std::nullopt;
          return refuse("mantrap", "mantrap " + e.mantrap.str() + " is not one of this device's mantraps");
        } else if constexpr (std::is_same_v<T, FireAlarm>) {
          // A panel covers the zones it lists and every zone inside them; the whole site only when it lists
          // the root. An unknown zone is never taken as the whole site.
          Index zone = kNoIndex;
          if (e.zone.empty()) {
            for (Index z = 0; z < model.zone_count() && zone == kNoIndex; ++z)
              if (model.zone(z).parent == kNoIndex) zone = z;
          } else {
            zone = model.zone_index(e.zone);
            if (zone == kNoIndex)
              return refuse("zone", "zone " + e.zone.str() + " is not in the site", Severity::Critical);
          }
          const bool covered =
              zone != kNoIndex && std::any_of(device.zones.begin(), device.zones.end(),
                                              [&](Index z) { return model.is_within(zone, z); });
          if (covered) return std::nullopt;
          return refuse("zone",
                        (e.zone.empty() ? std::string{"the whole site"} : "zone " + e.zone.str()) +
                            " is not within this panel's zones",
                        Severity::Critical);
        } else if constexpr (std::is_same_v<T, RfidRead>) {
          return std::nullopt;  // the asset book places a read only from a device that lists its reader
        } else {
          return std::nullopt;  // tamper, heartbeat: about the device itself
        }
      },
      event.payload);
}

Problems device_scope_gaps(const SiteDefinition& site) {
  Problems problems;
  auto listed = [&](auto member, const auto& id) {
    return std::any_of(site.devices.begin(), site.devices.end(), [&](const DeviceDef& d) {
      const auto& list = d.*member;
      return std::find(list.begin(), list.end(), id) != list.end();
    });
  };
  auto at = [](const char* list, std::size_t i) { return std::string(list) + "[" + std::to_string(i) + "]"; };
  auto quoted = [](const std::string& id) { return "\"" + id + "\""; };
  for (std::size_t p = 0; p < site.portals.size(); ++p) {
    const PortalDef& portal = site.portals[p];
    for (std::size_t r = 0; r < portal.readers.size(); ++r) {
      if (listed(&DeviceDef::readers, portal.readers[r].id)) continue;
      problems.push_back(
          {at("$.portals", p) + at(".readers", r),
           "no device lists reader " + quoted(portal.readers[r].id.str()) + ": add it to the " +
               "\"readers\" of the device that serves it (its events are refused until then)"});
    }
    if (!listed(&DeviceDef::portals, portal.id)) {
      problems.push_back({at("$.portals", p), "no device reports the door contact of portal " +
                                                  quoted(portal.id.str()) +
                                                  ": add it to the \"portals\" of its door controller"});
    }
  }
  for (std::size_t k = 0; k < site.racks.size(); ++k) {
    const RackDef& rack = site.racks[k];
    for (std::size_t r = 0; r < rack.readers.size(); ++r) {
      if (listed(&DeviceDef::readers, rack.readers[r].id)) continue;
      problems.push_back({at("$.racks", k) + at(".readers", r),
                          "no device lists reader " + quoted(rack.readers[r].id.str()) +
                              ": add it to the \"readers\" of the rack's controller"});
    }
    if (!listed(&DeviceDef::racks, rack.id)) {
      problems.push_back({at("$.racks", k), "no device reports the door of rack " + quoted(rack.id.str()) +
                                                ": add it to the \"racks\" of its rack controller"});
    }
  }
  for (std::size_t a = 0; a < site.area_readers.size(); ++a) {
    if (listed(&DeviceDef::readers, site.area_readers[a].id)) continue;
    problems.push_back(
        {at("$.area_readers", a), "no device lists reader " + quoted(site.area_readers[a].id.str()) +
                                      ": add it to the \"readers\" of its RFID reader device"});
  }
  for (std::size_t m = 0; m < site.mantraps.size(); ++m) {
    if (listed(&DeviceDef::mantraps, site.mantraps[m].id)) continue;
    problems.push_back({at("$.mantraps", m),
                        "no device reports the occupancy of mantrap " + quoted(site.mantraps[m].id.str()) +
                            ": add it to the \"mantraps\" of its door controller or occupancy sensor"});
  }
  // Fire: every zone within a zone some fire panel lists. Any uncovered zone leaves the root uncovered too,
  // so the root is where it is reported, with the count.
  std::unordered_set<std::string> panel_zones;
  for (const DeviceDef& d : site.devices) {
    if (d.kind != DeviceKind::FirePanel) continue;
    for (const ZoneId& z : d.zones) panel_zones.insert(z.str());
  }
  std::unordered_map<std::string, const ZoneDef*> zones;
  for (const ZoneDef& z : site.zones) zones.emplace(z.id.str(), &z);
  std::size_t uncovered = 0;
  for (const ZoneDef& z : site.zones) {
    bool covered = false;
    const ZoneDef* at_zone = &z;
    for (std::size_t depth = 0; at_zone != nullptr && depth <= site.zones.size() && !covered; ++depth) {
      covered = panel_zones.contains(at_zone->id.str());
      auto parent = zones.find(at_zone->parent.str());
      at_zone = parent == zones.end() ? nullptr : parent->second;
    }
    if (!covered) ++uncovered;
  }
  for (std::size_t z = 0; z < site.zones.size() && uncovered > 0; ++z) {
    if (!site.zones[z].parent.empty()) continue;
    const std::string root = site.zones[z].id.str();
    problems.push_back(
        {at("$.zones", z), std::to_string(uncovered) +
                               " zone(s) have no fire panel covering them: add a device of kind "
                               "\"fire_panel\" with \"zones\": [" +
                               quoted(root) + "] (or the zones it serves)"});
  }
  return problems;
}

}  // namespace portcullis::core
