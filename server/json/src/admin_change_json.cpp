#include "portcullis/json/admin_change_json.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "portcullis/json/operator_json.hpp"
#include "portcullis/json/strict_json.hpp"
#include "portcullis/ledger/records/detail/admin_views.hpp"
#include "portcullis/ledger/records/detail/field_reader.hpp"

namespace portcullis::json {
namespace {
using detail::group_view;
using detail::person_view;
using nlohmann::json;
}  // namespace

std::string people_json(const core::SiteDefinition& site) {
  json people = json::array();
  for (const auto& p : site.people) people.push_back(person_view(p));
  json groups = json::array();
  for (const auto& g : site.groups) groups.push_back(group_view(g));
  return json{{"people", people}, {"groups", groups}}.dump();
}

std::string site_summary_with_edits(std::string_view site_text, const core::SiteDefinition& site) {
  json summary = json::parse(site_summary_json(site_text));
  json people = json::array();
  for (const auto& p : site.people)
    people.push_back({{"id", p.id.str()},
                      {"name", p.name},
                      {"role", p.role},
                      {"status", p.revoked ? "revoked" : "active"}});
  summary["people"] = std::move(people);
  json groups = json::array();
  for (const auto& g : site.groups) groups.push_back({{"id", g.id.str()}, {"name", g.name}});
  summary["groups"] = std::move(groups);
  return summary.dump();
}

std::string reasons_json(const std::vector<std::string>& reasons) {
  return json(reasons).dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {
std::variant<json, FieldError> parse_object(std::string_view body, std::size_t max_depth) {
  return parse_strict_object(body, max_depth);
}
}  // namespace

std::variant<PinBody, FieldError> parse_pin_body(std::string_view body) {
  auto doc = parse_object(body, 2);
  if (auto* e = std::get_if<FieldError>(&doc)) return *e;
  detail::FieldReader r{std::get<json>(doc), ""};
  PinBody out;
  out.pin = r.string("pin", 12);
  if (r.optional("duress")) out.duress = r.boolean("duress");
  r.reject_unknown_fields();
  if (!r.ok()) return *r.error();
  const bool digits =
      std::all_of(out.pin.begin(), out.pin.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (out.pin.size() < 4 || !digits) return FieldError{"pin", "expected 4 to 12 digits"};
  return out;
}

std::variant<std::string, FieldError> parse_member_body(std::string_view body) {
  auto doc = parse_object(body, 2);
  if (auto* e = std::get_if<FieldError>(&doc)) return *e;
  detail::FieldReader r{std::get<json>(doc), ""};
  auto person = r.id("person");
  r.reject_unknown_fields();
  if (!r.ok()) return *r.error();
  return person;
}

std::variant<std::pair<std::string, std::string>, FieldError> split_credential_body(std::string_view body) {
  auto doc = parse_object(body, 3);
  if (auto* e = std::get_if<FieldError>(&doc)) return *e;
  auto& j = std::get<json>(doc);
  if (!j.contains("type") || !j["type"].is_string())
    return FieldError{"type", "expected \"card\" or \"biometric\""};
  const auto type = j["type"].get<std::string>();
  if (type != "card" && type != "biometric") return FieldError{"type", "expected \"card\" or \"biometric\""};
  j.erase("type");
  return std::pair{type, j.dump()};
}

}  // namespace portcullis::json
