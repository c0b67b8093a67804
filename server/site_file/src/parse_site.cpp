// Maps the site JSON onto core::SiteDefinition. Field names and enumerations: docs/site-file.md.
#include <algorithm>
#include <array>
#include <utility>

#include "json_reader.hpp"
#include "portcullis/core/assets/asset_text.hpp"
#include "portcullis/core/model/validate.hpp"
#include "time_text.hpp"

namespace portcullis::site_file {
namespace {

using namespace portcullis::core;
using detail::Context;
using detail::Json;
using detail::ObjectReader;

// Looks a text value up in a table of (name, value); reports the allowed names otherwise.
template <class T, std::size_t N>
T choice(Context& ctx, ObjectReader& obj, const char* key, bool required, T fallback,
         const std::array<std::pair<const char*, T>, N>& table) {
  const std::string text = obj.string(key, required);
  if (text.empty()) return fallback;
  for (const auto& [name, value] : table) {
    if (text == name) return value;
  }
  std::string allowed;
  for (const auto& [name, value] : table) allowed += (allowed.empty() ? "" : ", ") + std::string{name};
  ctx.problem(obj.path() + "." + key, "unknown value \"" + text + "\" (expected one of: " + allowed + ")");
  return fallback;
}

constexpr std::array<std::pair<const char*, Factor>, 3> kFactors{
    {{"badge", Factor::Badge}, {"pin", Factor::Pin}, {"biometric", Factor::Biometric}}};

constexpr std::size_t kMaxLabelBytes = 40;

class SiteParser {
 public:
  SiteParser(Context& ctx, SiteDefinition& site) : ctx_(ctx), site_(site) {}

  void parse(const Json& root) {
    ObjectReader obj{ctx_, root, "$"};
    if (!obj.valid()) return;
    const std::string format = obj.string("format", true);
    if (!format.empty() && format != "portcullis-site/1") {
      ctx_.problem("$.format", "unsupported format \"" + format + "\" (expected \"portcullis-site/1\")");
    }
    site_.site_id = obj.string("site_id", true);
    site_.name = obj.string("name", false);
    site_.version = obj.string("version", true);
    if (const Json* tz = obj.object("time_zone", true)) time_zone(*tz);
    for (const auto& d : obj.strings("holidays", false)) {
      if (auto date = detail::parse_date(d)) {
        site_.settings.holidays.push_back(*date);
      } else {
        ctx_.problem("$.holidays", "expected dates as YYYY-MM-DD, found \"" + d + "\"");
      }
    }
    if (const Json* s = obj.object("settings", false)) settings(*s);
    const Limits& l = ctx_.limits();
    obj.array("tiers", true, 10,
              [&](const Json& j, const std::string& p) { site_.tiers.push_back(tier(j, p)); });
    obj.array("zones", true, l.max_zones,
              [&](const Json& j, const std::string& p) { site_.zones.push_back(zone(j, p)); });
    obj.array("portals", false, l.max_portals,
              [&](const Json& j, const std::string& p) { site_.portals.push_back(portal(j, p)); });
    obj.array("racks", false, l.max_racks,
              [&](const Json& j, const std::string& p) { site_.racks.push_back(rack(j, p)); });
    obj.array("mantraps", false, l.max_portals,
              [&](const Json& j, const std::string& p) { site_.mantraps.push_back(mantrap(j, p)); });
    obj.array("people", false, l.max_people,
              [&](const Json& j, const std::string& p) { site_.people.push_back(person(j, p)); });
    obj.array("groups", false, l.max_groups,
              [&](const Json& j, const std::string& p) { site_.groups.push_back(group(j, p)); });
    obj.array("schedules", false, l.max_schedules,
              [&](const Json& j, const std::string& p) { site_.schedules.push_back(schedule(j, p)); });
    obj.array("grants", false, l.max_grants,
              [&](const Json& j, const std::string& p) { site_.grants.push_back(grant(j, p)); });
    obj.array("devices", false, l.max_devices,
              [&](const Json& j, const std::string& p) { site_.devices.push_back(device(j, p)); });
    obj.array("area_readers", false, l.max_devices,
              [&](const Json& j, const std::string& p) { site_.area_readers.push_back(area_reader(j, p)); });
    obj.array("assets", false, l.max_people,
              [&](const Json& j, const std::string& p) { site_.assets.push_back(asset(j, p)); });
    obj.array("seals", false, l.max_people,
              [&](const Json& j, const std::string& p) { site_.seals.push_back(seal(j, p)); });
    obj.array("alarm_responses", false, 1000, [&](const Json& j, const std::string& p) {
      site_.alarm_responses.push_back(alarm_response(j, p));
    });
  }

 public:  // person() and grant() also read the admin API's fragments (parse_*_fragment below)
  template <class Id>
  std::vector<Id> ids(ObjectReader& obj, const char* key, bool required) {
    std::vector<Id> out;
    for (auto& s : obj.strings(key, required)) out.emplace_back(std::move(s));
    return out;
  }

  std::optional<Timestamp> instant(ObjectReader& obj, const char* key) {
    const auto text = obj.optional_string(key);
    if (!text) return std::nullopt;
    auto t = detail::parse_instant(*text);
    if (!t) ctx_.problem(obj.path() + "." + key, "expected RFC 3339 time like 2027-06-30T00:00:00Z");
    return t;
  }

  void time_zone(const Json& j) {
    ObjectReader obj{ctx_, j, "$.time_zone"};
    const std::string offset = obj.string("utc_offset", true);
    if (!offset.empty()) {
      if (auto m = detail::parse_offset_minutes(offset)) {
        site_.settings.time_zone.std_offset_minutes = *m;
      } else {
        ctx_.problem("$.time_zone.utc_offset", "expected +hh:mm or -hh:mm");
      }
    }
    obj.string("name", false);  // informational, e.g. "Europe/Berlin"
    if (const Json* d = obj.object("dst", false)) {
      ObjectReader dst{ctx_, *d, "$.time_zone.dst"};
      DstRule rule;
      for (auto [key, target] : {std::pair{"start", &rule.start}, std::pair{"end", &rule.end}}) {
        const std::string text = dst.string(key, true);
        if (auto t = detail::parse_transition(text)) {
          *target = *t;
        } else if (!text.empty()) {
          ctx_.problem("$.time_zone.dst." + std::string{key}, "expected a POSIX rule like M3.5.0/02:00");
        }
      }
      rule.save_minutes = static_cast<int>(dst.integer("save_minutes", false, 60, -1000, 1000));
      site_.settings.time_zone.dst = rule;
    }
  }

  void settings(const Json& j) {
    ObjectReader obj{ctx_, j, "$.settings"};
    auto& s = site_.settings;
    s.factor_window_s = obj.integer("factor_window_s", false, s.factor_window_s, 0, 1'000'000);
    s.pin_max_failures =
        static_cast<int>(obj.integer("pin_max_failures", false, s.pin_max_failures, 0, 1000));
    s.jit_request_ttl_s = obj.integer("jit_request_ttl_s", false, s.jit_request_ttl_s, 0, 100'000'000);
    s.jit_max_duration_s = obj.integer("jit_max_duration_s", false, s.jit_max_duration_s, 0, 100'000'000);
    // Older files say whether readers are bound to devices. Binding is always on now (a device speaks only
    // for what it lists): the key is still read so those files load, and its value changes nothing.
    obj.boolean("bind_readers_to_devices", false);
    s.device_time_skew_s = obj.integer("device_time_skew_s", false, s.device_time_skew_s, 1, 86'400);
    s.lone_person_policy =
        choice(ctx_, obj, "lone_person_policy", false, LonePersonPolicy::Alarm,
               std::array<std::pair<const char*, LonePersonPolicy>, 2>{
                   {{"alarm", LonePersonPolicy::Alarm}, {"deny_exit", LonePersonPolicy::DenyExit}}});
    s.lone_person_grace_s = obj.integer("lone_person_grace_s", false, s.lone_person_grace_s, 0, 24 * 3600);
    s.contact_debounce_ms = obj.integer("contact_debounce_ms", false, s.contact_debounce_ms, 0, 10'000);
    s.rfid_dedup_window_ms = obj.integer("rfid_dedup_window_ms", false, s.rfid_dedup_window_ms, 0, 60'000);
    s.asset_missing_after_s =
        obj.integer("asset_missing_after_s", false, s.asset_missing_after_s, 1, 365LL * 24 * 3600);
  }

  // A zone's or rack's "two_person_rule" object, kept in SiteDefinition::two_person_rules.
  void two_person_rule(ObjectReader& owner, ZoneId zone, RackId rack) {
    TwoPersonRuleDef r;
    r.zone = std::move(zone);
    r.rack = std::move(rack);
    const Json* j = owner.object("two_person_rule", false);
    if (j == nullptr) return;
    ObjectReader obj{ctx_, *j, owner.path() + ".two_person_rule"};
    if (!obj.valid()) return;
    r.mode = choice(ctx_, obj, "mode", false, TwoPersonMode::AnyOrder,
                    std::array<std::pair<const char*, TwoPersonMode>, 2>{
                        {{"any_order", TwoPersonMode::AnyOrder}, {"ordered", TwoPersonMode::Ordered}}});
    r.first_group = GroupId{obj.string("first_group", false)};
    r.window_s = obj.integer("window_s", false, r.window_s, 1, 3600);
    site_.two_person_rules.push_back(std::move(r));
  }

  TierRequirementDef tier(const Json& j, const std::string& path) {
    ObjectReader obj{ctx_, j, path};
    TierRequirementDef t;
    t.tier = static_cast<int>(obj.integer("tier", true, 0, 0, 9));
    obj.array("any_of", true, 16, [&](const Json& set, const std::string& set_path) {
      std::vector<Factor> factors;
      if (!set.is_array()) {
        ctx_.problem(set_path, "expected array of factors, found " + detail::type_name(set));
      } else {
        for (std::size_t i = 0; i < set.size() && i < 8; ++i) {
          const std::string fpath = set_path + "[" + std::to_string(i) + "]";
          const Json& f = set[i];
          const auto it = f.is_string()
                              ? std::find_if(kFactors.begin(), kFactors.end(),
                                             [&](const auto& e) { return f.get<std::string>() == e.first; })
                              : kFactors.end();
          if (it == kFactors.end()) {
            ctx_.problem(fpath, "expected \"badge\", \"pin\" or \"biometric\"");
          } else {
            factors.push_back(it->second);
          }
        }
      }
      t.any_of.push_back(std::move(factors));
    });
    t.clearance_required = obj.boolean("clearance_required", false);
    t.two_person = obj.boolean("two_person", false);
    return t;
  }

  // A short name for screens (a wall map has room for "Outer door", not "Compute hall mantrap, outer door").
  std::string label(ObjectReader& obj) {
    std::string text = obj.string("label", false);
    if (text.size() > kMaxLabelBytes)
      ctx_.problem(obj.path() + ".label",
                   "expected at most " + std::to_string(kMaxLabelBytes) + " bytes, found " +
                       std::to_string(text.size()));
    return text;
  }

  AlarmResponseDef alarm_response(const Json& j, const std::string& path) {
    ObjectReader obj{ctx_, j, path};
    AlarmResponseDef r;
    r.kind = obj.string("kind", true);
    r.response = obj.string("response", true);
    const bool word = !r.kind.empty() && std::all_of(r.kind.begin(), r.kind.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (!r.kind.empty() && !word)
      ctx_.problem(path + ".kind", "expected an alarm kind like \"door_forced\" (a-z, 0-9, _)");
    for (const auto& other : site_.alarm_responses) {
      if (other.kind == r.kind && !r.kind.empty())
        ctx_.problem(path + ".kind", "a second response for \"" + r.kind + "\"");
    }
    return r;
  }

  ZoneDef zone(const Json& j, const std::string& path) {
    ObjectReader obj{ctx_, j, path};
    ZoneDef z;
    z.id = ZoneId{obj.string("id", true)};
    z.name = obj.string("name", false);
    z.parent = ZoneId{obj.optional_string("parent").value_or("")};
    z.tier = static_cast<int>(obj.integer("tier", true, 0, 0, 9));
    z.apb = choice(ctx_, obj, "anti_passback", false, ApbMode::None,
                   std::array<std::pair<const char*, ApbMode>, 4>{{{"none", ApbMode::None},
                                                                   {"soft", ApbMode::Soft},
                                                                   {"hard", ApbMode::Hard},
                                                                   {"timed", ApbMode::Timed}}});
    z.apb_timeout_s = obj.integer("apb_timeout_s", false, 0, 0, 7 * 24 * 3600);
    z.min_occupancy = static_cast<int>(obj.integer("min_occupancy", false, 0, 0, 2));
    z.label = label(obj);
    two_person_rule(obj, z.id, RackId{});
    return z;
  }

  std::vector<ReaderDef> readers(ObjectReader& owner) {
    std::vector<ReaderDef> out;
    owner.array("readers", false, 16, [&](const Json& j, const std::string& path) {
      ObjectReader obj{ctx_, j, path};
      ReaderDef r;
      r.id = ReaderId{obj.string("id", true)};
      r.side = choice(ctx_, obj, "side", false, ReaderSide::Entry,
                      std::array<std::pair<const char*, ReaderSide>, 2>{
                          {{"entry", ReaderSide::Entry}, {"exit", ReaderSide::Exit}}});
      r.reads = 0;
      for (const auto& kind : obj.strings("reads", true)) {
        if (kind == "badge") {
          r.reads |= kReadsBadge;
        } else if (kind == "pin") {
          r.reads |= kReadsPin;
        } else if (kind == "biometric") {
          r.reads |= kReadsBiometric;
        } else if (kind == "rfid") {
          r.reads |= kReadsRfid;
        } else {
          ctx_.problem(path + ".reads", "unknown reader capability \"" + kind + "\"");
        }
      }
      out.push_back(r);
    });
    return out;
  }

  PortalDef portal(const Json& j, const std::string& path) {
    ObjectReader obj{ctx_, j, path};
    PortalDef p;
    p.id = PortalId{obj.string("id", true)};
    p.name = obj.string("name", false);
    p.from = ZoneId{obj.string("from", true)};
    p.to = ZoneId{obj.string("to", true)};
    obj.string("kind", false);  // door, turnstile, gate: informational
    p.held_open_s = obj.integer("held_open_s", false, 30, 1, 3600);
    p.unlock_s = obj.integer("unlock_s", false, p.unlock_s, 1, 300);
    p.fail_safe = obj.boolean("fail_safe", false);
    p.readers = readers(obj);
    p.label = label(obj);
    return p;
  }

  RackDef rack(const Json& j, const std::string& path) {
    ObjectReader obj{ctx_, j, path};
    RackDef r;
    r.id = RackId{obj.string("id", true)};
    r.name = obj.string("name", false);
    r.zone = ZoneId{obj.string("zone", true)};
    r.tier = static_cast<int>(obj.integer("tier", true, 0, 0, 9));
    r.lock_device = DeviceId{obj.string("lock_device", false)};
    r.contact_device = DeviceId{obj.string("contact_device", false)};
    r.two_person = obj.boolean("two_person", false);
    r.held_open_s = obj.integer("held_open_s", false, 120, 1, 24 * 3600);
    r.unlock_s = obj.integer("unlock_s", false, 10, 1, 3600);
    two_person_rule(obj, ZoneId{}, r.id);
    r.readers = readers(obj);
    r.label = label(obj);
    return r;
  }

  MantrapDef mantrap(const Json& j, const std::string& path) {
    ObjectReader obj{ctx_, j, path};
    MantrapDef m;
    m.id = MantrapId{obj.string("id", true)};
    m.vestibule = ZoneId{obj.string("vestibule", true)};
    m.portals = ids<PortalId>(obj, "portals", true);
    m.max_dwell_s = obj.integer("max_dwell_s", false, 60, 1, 3600);
    m.label = label(obj);
    return m;
  }

  PersonDef person(const Json& j, const std::string& path) {
    ObjectReader obj{ctx_, j, path};
    PersonDef p;
    p.id = PersonId{obj.string("id", true)};
    p.name = obj.string("name", true);
    p.role = obj.string("role", false);
    p.revoked = choice(ctx_, obj, "status", false, false,
                       std::array<std::pair<const char*, bool>, 2>{{{"active", false}, {"revoked", true}}});
    if (const Json* c = obj.object("clearance", false)) {
      ObjectReader clearance{ctx_, *c, path + ".clearance"};
      p.clearance.status = choice(
          ctx_, clearance, "status", true, ClearanceStatus::None,
          std::array<std::pair<const char*, ClearanceStatus>, 4>{{{"none", ClearanceStatus::None},
                                                                  {"pending", ClearanceStatus::Pending},
                                                                  {"cleared", ClearanceStatus::Cleared},
                                                                  {"denied", ClearanceStatus::Denied}}});
      p.clearance.expires = instant(clearance, "expires");
    }
    obj.array("cards", false, 16, [&](const Json& cj, const std::string& cpath) {
      ObjectReader card{ctx_, cj, cpath};
      CardDef c;
      c.id = CredentialId{card.string("id", true)};
      c.format = choice(ctx_, card, "format", true, CardFormat::FacilityAndNumber,
                        std::array<std::pair<const char*, CardFormat>, 4>{
                            {{"H10301", CardFormat::H10301_26},
                             {"H10304", CardFormat::H10304_37},
                             {"C1000", CardFormat::Corporate1000_35},
                             {"facility_number", CardFormat::FacilityAndNumber}}});
      c.facility = static_cast<std::uint32_t>(card.integer("facility", true, 0, 0, (1LL << 24) - 1));
      c.number = static_cast<std::uint64_t>(card.integer("number", true, 0, 0, (1LL << 40) - 1));
      c.raw_bits = card.string("raw_bits", false);
      c.revoked = card.boolean("revoked", false);
      p.cards.push_back(std::move(c));
    });
    obj.array("biometrics", false, 16, [&](const Json& bj, const std::string& bpath) {
      ObjectReader bio{ctx_, bj, bpath};
      BiometricDef b;
      b.id = CredentialId{bio.string("id", true)};
      b.template_id = bio.string("template_id", true);
      b.revoked = bio.boolean("revoked", false);
      p.biometrics.push_back(std::move(b));
    });
    p.pin_hash = obj.string("pin_hash", false);
    p.duress_pin_hash = obj.string("duress_pin_hash", false);
    return p;
  }

  GroupDef group(const Json& j, const std::string& path) {
    ObjectReader obj{ctx_, j, path};
    GroupDef g;
    g.id = GroupId{obj.string("id", true)};
    g.name = obj.string("name", false);
    g.members = ids<PersonId>(obj, "members", true);
    return g;
  }

  ScheduleDef schedule(const Json& j, const std::string& path) {
    ObjectReader obj{ctx_, j, path};
    ScheduleDef s;
    s.id = ScheduleId{obj.string("id", true)};
    s.name = obj.string("name", false);
    s.closed_on_holidays = obj.boolean("closed_on_holidays", true);
    obj.array("windows", true, 64, [&](const Json& wj, const std::string& wpath) {
      ObjectReader w{ctx_, wj, wpath};
      WeeklyWindow window;
      static constexpr std::array<const char*, 7> kDays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
      for (const auto& d : w.strings("days", true)) {
        const auto it = std::find_if(kDays.begin(), kDays.end(), [&](const char* k) { return d == k; });
        if (it == kDays.end()) {
          ctx_.problem(wpath + ".days", "unknown day \"" + d + "\" (mon..sun)");
        } else {
          window.days =
              static_cast<std::uint8_t>(window.days | (1U << static_cast<unsigned>(it - kDays.begin())));
        }
      }
      for (auto [key, target] :
           {std::pair{"start", &window.start_minute}, std::pair{"end", &window.end_minute}}) {
        const std::string text = w.string(key, true);
        if (auto m = detail::parse_minute_of_day(text)) {
          *target = *m;
        } else if (!text.empty()) {
          ctx_.problem(wpath + "." + key, "expected hh:mm");
        }
      }
      s.windows.push_back(window);
    });
    return s;
  }

  GrantDef grant(const Json& j, const std::string& path) {
    ObjectReader obj{ctx_, j, path};
    GrantDef g;
    g.id = GrantId{obj.string("id", true)};
    g.person = PersonId{obj.optional_string("person").value_or("")};
    g.group = GroupId{obj.optional_string("group").value_or("")};
    g.effect = choice(ctx_, obj, "effect", false, GrantEffect::Allow,
                      std::array<std::pair<const char*, GrantEffect>, 2>{
                          {{"allow", GrantEffect::Allow}, {"deny", GrantEffect::Deny}}});
    g.zones = ids<ZoneId>(obj, "zones", false);
    g.racks = ids<RackId>(obj, "racks", false);
    g.include_subzones = obj.boolean("include_subzones", false);
    g.schedule = ScheduleId{obj.optional_string("schedule").value_or("")};
    g.valid_from = instant(obj, "valid_from");
    g.valid_until = instant(obj, "valid_until");
    g.revoked = obj.boolean("revoked", false);
    obj.string("comment", false);
    return g;
  }

  DeviceDef device(const Json& j, const std::string& path) {
    ObjectReader obj{ctx_, j, path};
    DeviceDef d;
    d.id = DeviceId{obj.string("id", true)};
    d.kind = choice(ctx_, obj, "kind", true, DeviceKind::DoorController,
                    std::array<std::pair<const char*, DeviceKind>, 6>{
                        {{"door_controller", DeviceKind::DoorController},
                         {"rack_controller", DeviceKind::RackController},
                         {"rfid_reader", DeviceKind::RfidReader},
                         {"reader", DeviceKind::Reader},
                         {"fire_panel", DeviceKind::FirePanel},
                         {"occupancy_sensor", DeviceKind::OccupancySensor}}});
    obj.string("name", false);
    d.readers = ids<ReaderId>(obj, "readers", false);
    d.portals = ids<PortalId>(obj, "portals", false);
    d.racks = ids<RackId>(obj, "racks", false);
    d.mantraps = ids<MantrapId>(obj, "mantraps", false);
    d.zones = ids<ZoneId>(obj, "zones", false);
    d.token_sha256 = obj.string("token_sha256", true);
    d.heartbeat_s = obj.integer("heartbeat_s", false, 0, 0, 24 * 3600);
    return d;
  }

  AreaReaderDef area_reader(const Json& j, const std::string& path) {
    ObjectReader obj{ctx_, j, path};
    AreaReaderDef r;
    r.id = ReaderId{obj.string("id", true)};
    r.zone = ZoneId{obj.string("zone", true)};
    obj.string("name", false);  // informational
    return r;
  }

  AssetDef asset(const Json& j, const std::string& path) {
    ObjectReader obj{ctx_, j, path};
    AssetDef a;
    a.id = AssetId{obj.string("id", true)};
    a.tag = obj.string("tag", false);
    a.serial = obj.string("serial", false);
    a.model = obj.string("model", false);
    const std::string kind = obj.string("kind", true);
    if (auto k = core::asset_kind_from(kind)) {
      a.kind = *k;
    } else if (!kind.empty()) {
      ctx_.problem(path + ".kind", "unknown asset kind \"" + kind +
                                       "\" (gpu_server, storage_drive, hsm, network_device, other)");
    }
    a.epc = obj.string("epc", true);
    a.home_rack = RackId{obj.optional_string("home_rack").value_or("")};
    a.unit = static_cast<int>(obj.integer("unit", false, 0, 0, 60));
    a.custodian = PersonId{obj.optional_string("custodian").value_or("")};
    const std::string lifecycle = obj.string("lifecycle", false, "in_service");
    if (auto l = core::asset_lifecycle_from(lifecycle)) {
      a.lifecycle = *l;
    } else {
      ctx_.problem(path + ".lifecycle", "unknown lifecycle state \"" + lifecycle +
                                            "\" (received, in_service, maintenance, decommissioning, wiped, "
                                            "destroyed, disposed)");
    }
    a.holds_model_weights = obj.boolean("holds_model_weights", false);
    a.allowed_zones = ids<ZoneId>(obj, "allowed_zones", false);
    a.missing_after_s = obj.integer("missing_after_s", false, 0, 0, 365LL * 24 * 3600);
    return a;
  }

  SealDef seal(const Json& j, const std::string& path) {
    ObjectReader obj{ctx_, j, path};
    SealDef s;
    s.id = SealId{obj.string("id", true)};
    s.serial = obj.string("serial", true);
    s.rack = RackId{obj.optional_string("rack").value_or("")};
    s.asset = AssetId{obj.optional_string("asset").value_or("")};
    return s;
  }

  Context& ctx_;
  SiteDefinition& site_;
};

bool related(const std::string& a, const std::string& b) {
  auto prefix = [](const std::string& shorter, const std::string& longer) {
    return longer.compare(0, shorter.size(), shorter) == 0 &&
           (longer.size() == shorter.size() || longer[shorter.size()] == '.' ||
            longer[shorter.size()] == '[');
  };
  return a.size() <= b.size() ? prefix(a, b) : prefix(b, a);
}

}  // namespace

ParseResult parse_site_json(std::string_view text, const Limits& limits) {
  ParseResult result;
  if (text.size() > limits.max_file_bytes) {
    result.problems.push_back(
        {"$", "site file larger than " + std::to_string(limits.max_file_bytes) + " bytes"});
    return result;
  }
  Json root;
  try {
    root = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    result.problems.push_back({"$", "invalid JSON at byte " + std::to_string(e.byte)});
    return result;
  } catch (const Json::exception&) {  // out_of_range: a number beyond a double (1e400)
    result.problems.push_back({"$", "invalid JSON: a number is out of range"});
    return result;
  }
  Context ctx{result.problems, limits};
  SiteParser{ctx, result.definition}.parse(root);
  // Semantic problems, except those that only echo a shape problem already reported at or around that path.
  const std::size_t shape_count = result.problems.size();
  for (auto& p : core::validate(result.definition)) {
    const bool echo = std::any_of(result.problems.begin(),
                                  result.problems.begin() + static_cast<std::ptrdiff_t>(shape_count),
                                  [&](const core::Problem& s) { return related(s.json_path, p.json_path); });
    if (!echo) result.problems.push_back(std::move(p));
  }
  return result;
}

// ---- Admin API fragments: the same readers as the file, on one object. ----
namespace {

// Runs `read` on the parsed object under the path "$"; problems keep their paths ("$.cards[0].number").
template <class T, class Read>
Fragment<T> read_fragment(std::string_view text, const Limits& limits, Read read) {
  Fragment<T> out;
  Json root;
  try {
    root = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    out.problems.push_back({"$", "invalid JSON at byte " + std::to_string(e.byte)});
    return out;
  } catch (const Json::exception&) {  // out_of_range: a number beyond a double (1e400)
    out.problems.push_back({"$", "invalid JSON: a number is out of range"});
    return out;
  }
  if (!root.is_object()) {
    out.problems.push_back({"$", "expected a JSON object"});
    return out;
  }
  SiteDefinition unused;
  Context ctx{out.problems, limits};
  SiteParser parser{ctx, unused};
  T value = read(parser, root);
  if (out.problems.empty()) out.value = std::move(value);
  return out;
}

// "$.cards[0].number" -> "$.number": a card or biometric fragment is read as the only credential of a person.
void unwrap(core::Problems& problems, const std::string& prefix) {
  for (auto& p : problems) {
    if (p.json_path.compare(0, prefix.size(), prefix) == 0)
      p.json_path = "$" + p.json_path.substr(prefix.size());
  }
}

}  // namespace

Fragment<core::PersonDef> parse_person_fragment(std::string_view text, const Limits& limits) {
  return read_fragment<core::PersonDef>(text, limits,
                                        [](SiteParser& p, const Json& j) { return p.person(j, "$"); });
}

Fragment<core::GrantDef> parse_grant_fragment(std::string_view text, const Limits& limits) {
  return read_fragment<core::GrantDef>(text, limits,
                                       [](SiteParser& p, const Json& j) { return p.grant(j, "$"); });
}

Fragment<core::CardDef> parse_card_fragment(std::string_view text, const Limits& limits) {
  Fragment<core::CardDef> out;
  auto person = read_fragment<core::PersonDef>(text, limits, [](SiteParser& p, const Json& j) {
    const Json wrapped{{"id", "fragment"}, {"name", "fragment"}, {"cards", Json::array({j})}};
    return p.person(wrapped, "$");
  });
  out.problems = std::move(person.problems);
  unwrap(out.problems, "$.cards[0]");
  if (person.value && person.value->cards.size() == 1) out.value = person.value->cards.front();
  return out;
}

Fragment<core::BiometricDef> parse_biometric_fragment(std::string_view text, const Limits& limits) {
  Fragment<core::BiometricDef> out;
  auto person = read_fragment<core::PersonDef>(text, limits, [](SiteParser& p, const Json& j) {
    const Json wrapped{{"id", "fragment"}, {"name", "fragment"}, {"biometrics", Json::array({j})}};
    return p.person(wrapped, "$");
  });
  out.problems = std::move(person.problems);
  unwrap(out.problems, "$.biometrics[0]");
  if (person.value && person.value->biometrics.size() == 1) out.value = person.value->biometrics.front();
  return out;
}

}  // namespace portcullis::site_file
