#include "portcullis/json/operator_json.hpp"

#include <nlohmann/json.hpp>

#include "field_reader.hpp"
#include "json_depth.hpp"

namespace portcullis::json {
namespace {
using nlohmann::json;

std::variant<json, FieldError> parse_object(std::string_view body) {
  if (detail::nesting_depth(body) > 4) return FieldError{"$", "JSON nested too deeply"};
  try {
    auto doc = json::parse(body);
    if (!doc.is_object()) return FieldError{"$", "expected a JSON object"};
    return doc;
  } catch (const json::parse_error& e) {
    return FieldError{"$", "malformed JSON at byte " + std::to_string(e.byte)};
  }
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
  copy_list("zones", {"id", "name", "parent", "tier", "two_person", "anti_passback"});
  copy_list("portals", {"id", "name", "from", "to", "kind", "mantrap", "readers", "held_open_seconds"});
  copy_list("mantraps", {"id", "name", "portals", "vestibule"});
  copy_list("racks", {"id", "name", "zone", "two_person", "readers"});
  copy_list("people", {"id", "name", "role", "status"});
  copy_list("groups", {"id", "name"});
  copy_list("devices", {"id", "kind", "name", "readers", "portals", "racks"});
  return out.dump();
}

}  // namespace portcullis::json
