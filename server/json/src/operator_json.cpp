#include "portcullis/json/operator_json.hpp"

#include <nlohmann/json.hpp>

#include "portcullis/json/strict_json.hpp"
#include "portcullis/ledger/records/detail/field_reader.hpp"

namespace portcullis::json {
namespace {
using nlohmann::json;

std::variant<json, FieldError> parse_object(std::string_view body) {
  return parse_strict_object(body, 4);
}
}  // namespace

std::variant<LoginBody, FieldError> parse_login(std::string_view body) {
  auto doc = parse_object(body);
  if (auto* e = std::get_if<FieldError>(&doc)) return *e;
  detail::FieldReader r{std::get<json>(doc), ""};
  LoginBody b;
  b.username = r.string("username", 64);
  b.password = r.string("password", 1024);
  b.totp = r.string("totp", 8);
  r.reject_unknown_fields();
  if (!r.ok()) return *r.error();
  return b;
}

std::variant<PasswordChangeBody, FieldError> parse_password_change(std::string_view body) {
  auto doc = parse_object(body);
  if (auto* e = std::get_if<FieldError>(&doc)) return *e;
  detail::FieldReader r{std::get<json>(doc), ""};
  PasswordChangeBody b;
  b.username = r.string("username", 64);
  b.password = r.string("password", 1024);
  b.totp = r.string("totp", 8);
  b.new_password = r.string("new_password", 1024);
  r.reject_unknown_fields();
  if (!r.ok()) return *r.error();
  return b;
}

std::variant<NewOperatorBody, FieldError> parse_new_operator(std::string_view body) {
  auto doc = parse_object(body);
  if (auto* e = std::get_if<FieldError>(&doc)) return *e;
  detail::FieldReader r{std::get<json>(doc), ""};
  NewOperatorBody b;
  b.id = r.id("id");
  b.role = r.string("role", 16);
  b.name = r.string("name", 200);
  if (r.optional("person")) b.person = r.id("person");
  if (r.optional("service")) b.service = r.boolean("service");
  if (r.ok() && b.person.empty() == !b.service)
    r.fail(b.service ? "service" : "person",
           "give exactly one of person (the site person this account is) or \"service\": true");
  r.reject_unknown_fields();
  if (!r.ok()) return *r.error();
  return b;
}

std::variant<CommentBody, FieldError> parse_comment(std::string_view body) {
  auto doc = parse_object(body);
  if (auto* e = std::get_if<FieldError>(&doc)) return *e;
  detail::FieldReader r{std::get<json>(doc), ""};
  CommentBody b;
  b.comment = r.string("comment", 2000);
  r.reject_unknown_fields();
  if (!r.ok()) return *r.error();
  return b;
}

std::variant<DoorCommandBody, FieldError> parse_door_command(std::string_view body) {
  auto doc = parse_object(body);
  if (auto* e = std::get_if<FieldError>(&doc)) return *e;
  detail::FieldReader r{std::get<json>(doc), ""};
  DoorCommandBody b;
  b.target = r.id("target");
  b.command = r.string("command", 32);
  if (r.ok() && b.command != "momentary_unlock" && b.command != "lock" && b.command != "unlock" &&
      b.command != "lock_open") {
    r.fail("command", "expected momentary_unlock, lock, unlock or lock_open");
  }
  b.reason = r.string("reason", 2000);
  r.reject_unknown_fields();
  if (!r.ok()) return *r.error();
  return b;
}

std::variant<CommandResultBody, FieldError> parse_command_result(std::string_view body) {
  auto doc = parse_object(body);
  if (auto* e = std::get_if<FieldError>(&doc)) return *e;
  detail::FieldReader r{std::get<json>(doc), ""};
  CommandResultBody b;
  b.status = r.string("status", 16);
  if (r.ok() && b.status != "done" && b.status != "failed") r.fail("status", "expected done or failed");
  if (r.optional("detail")) b.detail = r.string("detail", 2000);
  r.reject_unknown_fields();
  if (!r.ok()) return *r.error();
  return b;
}

std::map<std::string, PortalInfo> portal_info(std::string_view text) {
  std::map<std::string, PortalInfo> out;
  try {
    const auto site = json::parse(text);
    std::map<std::string, int> tiers;
    for (const auto& z : site.value("zones", json::array())) tiers[z.value("id", "")] = z.value("tier", 0);
    for (const auto& p : site.value("portals", json::array())) {
      out[p.value("id", "")].tier = tiers[p.value("to", "")];
    }
    for (const auto& d : site.value("devices", json::array())) {
      for (const auto& portal : d.value("portals", json::array())) {
        const auto id = portal.get<std::string>();
        if (out.count(id) && out[id].device.empty()) out[id].device = d.value("id", "");
      }
    }
  } catch (const std::exception&) {
  }
  return out;
}

std::string site_summary_json(std::string_view text) {
  json site;
  try {
    site = json::parse(text);
  } catch (const json::parse_error&) {
    return "{}";
  }
  json out;
  for (const char* key : {"site_id", "name", "version", "time_zone"}) {
    if (site.contains(key)) out[key] = site[key];
  }
  auto copy_list = [&](const char* key, std::initializer_list<const char*> fields) {
    out[key] = json::array();
    if (!site.contains(key) || !site[key].is_array()) return;
    for (const auto& item : site[key]) {
      json kept;
      for (const char* f : fields) {
        if (item.contains(f)) kept[f] = item[f];
      }
      out[key].push_back(std::move(kept));
    }
  };
  copy_list("zones", {"id", "name", "label", "parent", "tier", "two_person", "anti_passback"});
  copy_list("portals",
            {"id", "name", "label", "from", "to", "kind", "mantrap", "readers", "held_open_seconds"});
  copy_list("mantraps", {"id", "name", "label", "portals", "vestibule"});
  copy_list("racks", {"id", "name", "label", "zone", "tier", "two_person", "readers"});
  copy_list("people", {"id", "name", "role", "status"});
  copy_list("groups", {"id", "name"});
  copy_list("devices", {"id", "kind", "name", "readers", "portals", "racks"});
  // For a console: what an alarm's subject is (a seal is on a rack or an asset), and what to do about it.
  copy_list("seals", {"id", "rack", "asset"});
  copy_list("area_readers", {"id", "zone", "name"});
  copy_list("alarm_responses", {"kind", "response"});
  return out.dump();
}

}  // namespace portcullis::json
