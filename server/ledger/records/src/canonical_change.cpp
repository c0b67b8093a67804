// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
#include "portcullis/ledger/records/canonical_change.hpp"

#include <nlohmann/json.hpp>

namespace portcullis::json {
namespace {
using nlohmann::json;
}  // namespace

std::string canonical_operator_change(const OperatorChange& c) {
  json out{{"change", c.change}, {"operator", c.operator_id}};
  if (!c.password_hash.empty()) out["password_hash"] = c.password_hash;
  if (c.change == "create") {
    out["role"] = c.created.role;
    out["name"] = c.created.name;
    if (c.created.service)
      out["service"] = true;
    else
      out["person"] = c.created.person;
  }
  return out.dump();  // keys sorted: one change, one byte string
}

std::optional<OperatorChange> parse_operator_change(std::string_view canonical) {
  const auto doc = json::parse(canonical, nullptr, false);
  if (!doc.is_object()) return std::nullopt;
  auto text = [&](const char* key) {
    const auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string{};
  };
  OperatorChange c;
  c.change = text("change");
  c.operator_id = text("operator");
  c.password_hash = text("password_hash");
  if (c.change.empty() || c.operator_id.empty()) return std::nullopt;
  if (c.change == "create") {
    c.created.id = c.operator_id;
    c.created.role = text("role");
    c.created.name = text("name");
    c.created.person = text("person");
    c.created.service = doc.contains("service");
    if (c.password_hash.empty() || c.created.person.empty() == !c.created.service) return std::nullopt;
  }
  return c;
}

std::string canonical_door_command(const DoorCommandBody& c) {
  return json{{"command", c.command}, {"reason", c.reason}, {"target", c.target}}.dump();
}

}  // namespace portcullis::json
