// core::SiteDefinition -> site-file JSON; the inverse of parse_site.cpp (docs/site-file.md).
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "portcullis/core/assets/asset_text.hpp"
#include "portcullis/site_file/site_file.hpp"

namespace portcullis::site_file {
namespace {

using namespace portcullis::core;
using Json = nlohmann::ordered_json;

std::string two_digits(int v) {
  return (v < 10 ? "0" : "") + std::to_string(v);
}

std::string hh_mm(int minutes) {
  return two_digits(minutes / 60) + ":" + two_digits(minutes % 60);
}

std::string offset(int minutes) {
  return (minutes < 0 ? "-" : "+") + hh_mm(minutes < 0 ? -minutes : minutes);
}

std::string date(const std::chrono::year_month_day& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::string instant(Timestamp t) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(t);
  const auto day = floor<days>(secs);
  const hh_mm_ss<seconds> time{secs - day};
  return date(year_month_day{day}) + "T" + two_digits(static_cast<int>(time.hours().count())) + ":" +
         two_digits(static_cast<int>(time.minutes().count())) + ":" +
         two_digits(static_cast<int>(time.seconds().count())) + "Z";
}

std::string transition(const TransitionRule& r) {
  return "M" + std::to_string(r.month) + "." + std::to_string(r.week) + "." + std::to_string(r.weekday) +
         "/" + hh_mm(r.minute_of_day);
}

const char* factor(Factor f) {
  switch (f) {
    case Factor::Badge: return "badge";
    case Factor::Pin: return "pin";
    case Factor::Biometric: return "biometric";
    case Factor::SecondPerson: break;
  }
  return "second_person";  // rejected by validate(); written so the problem stays visible
}

const char* apb(ApbMode m) {
  switch (m) {
    case ApbMode::None: return "none";
    case ApbMode::Soft: return "soft";
    case ApbMode::Hard: return "hard";
    case ApbMode::Timed: return "timed";
  }
  return "none";
}

const char* card_format(CardFormat f) {
  switch (f) {
    case CardFormat::H10301_26: return "H10301";
    case CardFormat::H10304_37: return "H10304";
    case CardFormat::Corporate1000_35: return "C1000";
    case CardFormat::FacilityAndNumber: return "facility_number";
  }
  return "facility_number";
}

const char* clearance(ClearanceStatus s) {
  switch (s) {
    case ClearanceStatus::None: return "none";
    case ClearanceStatus::Pending: return "pending";
    case ClearanceStatus::Cleared: return "cleared";
    case ClearanceStatus::Denied: return "denied";
  }
  return "none";
}

const char* device_kind(DeviceKind k) {
  switch (k) {
    case DeviceKind::DoorController: return "door_controller";
    case DeviceKind::RackController: return "rack_controller";
    case DeviceKind::RfidReader: return "rfid_reader";
    case DeviceKind::Reader: return "reader";
    case DeviceKind::FirePanel: return "fire_panel";
    case DeviceKind::OccupancySensor: return "occupancy_sensor";
  }
  return "reader";
}

template <class Ids>
Json ids(const Ids& list) {
  Json out = Json::array();
  for (const auto& id : list) out.push_back(id.str());
  return out;
}

Json readers(const std::vector<ReaderDef>& list) {
  Json out = Json::array();
  for (const auto& r : list) {
    Json reads = Json::array();
    if ((r.reads & kReadsBadge) != 0) reads.push_back("badge");
    if ((r.reads & kReadsPin) != 0) reads.push_back("pin");
    if ((r.reads & kReadsBiometric) != 0) reads.push_back("biometric");
    if ((r.reads & kReadsRfid) != 0) reads.push_back("rfid");
    out.push_back(
        {{"id", r.id.str()}, {"side", r.side == ReaderSide::Entry ? "entry" : "exit"}, {"reads", reads}});
  }
  return out;
}

Json two_person_rule(const TwoPersonRuleDef& r) {
  return {{"mode", r.mode == TwoPersonMode::Ordered ? "ordered" : "any_order"},
          {"first_group", r.first_group.str()},
          {"window_s", r.window_s}};
}

}  // namespace

std::string write_site_json(const SiteDefinition& site) {
  Json j;
  j["format"] = "portcullis-site/1";
  j["site_id"] = site.site_id;
  j["name"] = site.name;
  j["version"] = site.version;
  const auto& s = site.settings;
  Json tz{{"utc_offset", offset(s.time_zone.std_offset_minutes)}};
  if (s.time_zone.dst) {
    tz["dst"] = {{"start", transition(s.time_zone.dst->start)},
                 {"end", transition(s.time_zone.dst->end)},
                 {"save_minutes", s.time_zone.dst->save_minutes}};
  }
  j["time_zone"] = tz;
  j["holidays"] = Json::array();
  for (const auto& d : s.holidays) j["holidays"].push_back(date(d));
  j["settings"] = {
      {"factor_window_s", s.factor_window_s},
      {"pin_max_failures", s.pin_max_failures},
      {"jit_request_ttl_s", s.jit_request_ttl_s},
      {"jit_max_duration_s", s.jit_max_duration_s},
      {"device_time_skew_s", s.device_time_skew_s},
      {"lone_person_policy", s.lone_person_policy == LonePersonPolicy::DenyExit ? "deny_exit" : "alarm"},
      {"lone_person_grace_s", s.lone_person_grace_s},
      {"contact_debounce_ms", s.contact_debounce_ms},
      {"rfid_dedup_window_ms", s.rfid_dedup_window_ms},
      {"asset_missing_after_s", s.asset_missing_after_s}};
  j["tiers"] = Json::array();
  for (const auto& t : site.tiers) {
    Json any = Json::array();
    for (const auto& set : t.any_of) {
      Json factors = Json::array();
      for (Factor f : set) factors.push_back(factor(f));
      any.push_back(factors);
    }
    j["tiers"].push_back({{"tier", t.tier},
                          {"any_of", any},
                          {"clearance_required", t.clearance_required},
                          {"two_person", t.two_person}});
  }
  j["zones"] = Json::array();
  for (const auto& z : site.zones) {
    j["zones"].push_back({{"id", z.id.str()},
                          {"name", z.name},
                          {"parent", z.parent.empty() ? Json(nullptr) : Json(z.parent.str())},
                          {"tier", z.tier},
                          {"anti_passback", apb(z.apb)},
                          {"apb_timeout_s", z.apb_timeout_s},
                          {"min_occupancy", z.min_occupancy}});
    if (!z.label.empty()) j["zones"].back()["label"] = z.label;
    for (const auto& rule : site.two_person_rules) {
      if (rule.zone == z.id) j["zones"].back()["two_person_rule"] = two_person_rule(rule);
    }
  }
  j["portals"] = Json::array();
  for (const auto& p : site.portals) {
    j["portals"].push_back({{"id", p.id.str()},
                            {"name", p.name},
                            {"from", p.from.str()},
                            {"to", p.to.str()},
                            {"held_open_s", p.held_open_s},
                            {"unlock_s", p.unlock_s},
                            {"fail_safe", p.fail_safe},
                            {"readers", readers(p.readers)}});
    if (!p.label.empty()) j["portals"].back()["label"] = p.label;
  }
  j["racks"] = Json::array();
  for (const auto& r : site.racks) {
    j["racks"].push_back({{"id", r.id.str()},
                          {"name", r.name},
                          {"zone", r.zone.str()},
                          {"tier", r.tier},
                          {"two_person", r.two_person},
                          {"held_open_s", r.held_open_s},
                          {"unlock_s", r.unlock_s},
                          {"lock_device", r.lock_device.str()},
                          {"contact_device", r.contact_device.str()},
                          {"readers", readers(r.readers)}});
    if (!r.label.empty()) j["racks"].back()["label"] = r.label;
    for (const auto& rule : site.two_person_rules) {
      if (rule.rack == r.id) j["racks"].back()["two_person_rule"] = two_person_rule(rule);
    }
  }
  j["mantraps"] = Json::array();
  for (const auto& m : site.mantraps) {
    j["mantraps"].push_back({{"id", m.id.str()},
                             {"vestibule", m.vestibule.str()},
                             {"portals", ids(m.portals)},
                             {"max_dwell_s", m.max_dwell_s}});
    if (!m.label.empty()) j["mantraps"].back()["label"] = m.label;
  }
  j["people"] = Json::array();
  for (const auto& p : site.people) {
    Json person{
        {"id", p.id.str()}, {"name", p.name}, {"role", p.role}, {"status", p.revoked ? "revoked" : "active"}};
    Json c{{"status", clearance(p.clearance.status)}};
    if (p.clearance.expires) c["expires"] = instant(*p.clearance.expires);
    person["clearance"] = c;
    person["cards"] = Json::array();
    for (const auto& card : p.cards) {
      Json jc{{"id", card.id.str()},
              {"format", card_format(card.format)},
              {"facility", card.facility},
              {"number", card.number}};
      if (!card.raw_bits.empty()) jc["raw_bits"] = card.raw_bits;
      jc["revoked"] = card.revoked;
      person["cards"].push_back(jc);
    }
    person["biometrics"] = Json::array();
    for (const auto& b : p.biometrics) {
      person["biometrics"].push_back(
          {{"id", b.id.str()}, {"template_id", b.template_id}, {"revoked", b.revoked}});
    }
    if (!p.pin_hash.empty()) person["pin_hash"] = p.pin_hash;
    if (!p.duress_pin_hash.empty()) person["duress_pin_hash"] = p.duress_pin_hash;
    j["people"].push_back(person);
  }
  j["groups"] = Json::array();
  for (const auto& g : site.groups)
    j["groups"].push_back({{"id", g.id.str()}, {"name", g.name}, {"members", ids(g.members)}});
  j["schedules"] = Json::array();
  static constexpr const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  for (const auto& sc : site.schedules) {
    Json windows = Json::array();
    for (const auto& w : sc.windows) {
      Json days = Json::array();
      for (unsigned d = 0; d < 7; ++d) {
        if (((w.days >> d) & 1U) != 0) days.push_back(kDays[d]);
      }
      windows.push_back({{"days", days}, {"start", hh_mm(w.start_minute)}, {"end", hh_mm(w.end_minute)}});
    }
    j["schedules"].push_back({{"id", sc.id.str()},
                              {"name", sc.name},
                              {"closed_on_holidays", sc.closed_on_holidays},
                              {"windows", windows}});
  }
  j["grants"] = Json::array();
  for (const auto& g : site.grants) {
    Json grant{{"id", g.id.str()}};
    if (!g.person.empty()) grant["person"] = g.person.str();
    if (!g.group.empty()) grant["group"] = g.group.str();
    grant["effect"] = g.effect == GrantEffect::Allow ? "allow" : "deny";
    grant["zones"] = ids(g.zones);
    grant["racks"] = ids(g.racks);
    grant["include_subzones"] = g.include_subzones;
    if (!g.schedule.empty()) grant["schedule"] = g.schedule.str();
    if (g.valid_from) grant["valid_from"] = instant(*g.valid_from);
    if (g.valid_until) grant["valid_until"] = instant(*g.valid_until);
    grant["revoked"] = g.revoked;
    j["grants"].push_back(grant);
  }
  j["devices"] = Json::array();
  for (const auto& d : site.devices) {
    Json device{{"id", d.id.str()},
                {"kind", device_kind(d.kind)},
                {"readers", ids(d.readers)},
                {"portals", ids(d.portals)},
                {"racks", ids(d.racks)},
                {"token_sha256", d.token_sha256},
                {"heartbeat_s", d.heartbeat_s}};
    if (!d.mantraps.empty()) device["mantraps"] = ids(d.mantraps);
    if (!d.zones.empty()) device["zones"] = ids(d.zones);
    j["devices"].push_back(std::move(device));
  }
  // Written only when present, so a site without assets keeps the shape it had before assets existed.
  if (!site.area_readers.empty()) {
    j["area_readers"] = Json::array();
    for (const auto& r : site.area_readers)
      j["area_readers"].push_back({{"id", r.id.str()}, {"zone", r.zone.str()}});
  }
  if (!site.assets.empty()) {
    j["assets"] = Json::array();
    for (const auto& a : site.assets) {
      Json asset{{"id", a.id.str()},
                 {"tag", a.tag},
                 {"serial", a.serial},
                 {"model", a.model},
                 {"kind", std::string{to_string(a.kind)}},
                 {"epc", a.epc}};
      if (!a.home_rack.empty()) asset["home_rack"] = a.home_rack.str();
      asset["unit"] = a.unit;
      if (!a.custodian.empty()) asset["custodian"] = a.custodian.str();
      asset["lifecycle"] = std::string{to_string(a.lifecycle)};
      asset["holds_model_weights"] = a.holds_model_weights;
      asset["allowed_zones"] = ids(a.allowed_zones);
      asset["missing_after_s"] = a.missing_after_s;
      j["assets"].push_back(asset);
    }
  }
  if (!site.seals.empty()) {
    j["seals"] = Json::array();
    for (const auto& sd : site.seals) {
      Json seal{{"id", sd.id.str()}, {"serial", sd.serial}};
      if (!sd.rack.empty()) seal["rack"] = sd.rack.str();
      if (!sd.asset.empty()) seal["asset"] = sd.asset.str();
      j["seals"].push_back(seal);
    }
  }
  if (!site.alarm_responses.empty()) {
    j["alarm_responses"] = Json::array();
    for (const auto& r : site.alarm_responses)
      j["alarm_responses"].push_back({{"kind", r.kind}, {"response", r.response}});
  }
  return j.dump(2) + "\n";
}

}  // namespace portcullis::site_file
