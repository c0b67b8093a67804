// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.

#include "portcullis/ledger/records/desk_record.hpp"

#include <nlohmann/json.hpp>

namespace portcullis::json {
namespace {
using nlohmann::json;

std::optional<json> parse(std::string_view payload) {
  try {
    auto doc = json::parse(payload);
    if (doc.is_object()) return doc;
  } catch (const json::exception&) {
  }
  return std::nullopt;
}

std::string text(const json& doc, const char* key) {
  const auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::int64_t number(const json& doc, const char* key) {
  const auto it = doc.find(key);
  return it != doc.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

void put_approval(json& out, const ApprovalRecord& a) {
  out["action"] = a.action;
  out["change_sha256"] = a.change_sha256;
  out["status"] = a.status;
  out["requested_at_us"] = a.requested_at_us;
  out["expires_at_us"] = a.expires_at_us;
  if (!a.decided_by.empty()) out["decided_by"] = a.decided_by;
  if (a.decided_at_us != 0) out["decided_at_us"] = a.decided_at_us;
}

ApprovalRecord get_approval(const json& doc) {
  ApprovalRecord a;
  a.action = text(doc, "action");
  a.change_sha256 = text(doc, "change_sha256");
  a.status = text(doc, "status");
  a.requested_at_us = number(doc, "requested_at_us");
  a.expires_at_us = number(doc, "expires_at_us");
  a.decided_by = text(doc, "decided_by");
  a.decided_at_us = number(doc, "decided_at_us");
  return a;
}
}  // namespace

std::string command_record_json(const std::string& by, const CommandRecord& c) {
  json out{{"by", by},
           {"command",
            {{"id", c.id},
             {"target", c.target},
             {"command", c.command},
             {"reason", c.reason},
             {"status", c.status},
             {"requested_by", c.requested_by}}},
           {"device", c.device},
           {"requester_person", c.requester_person}};
  if (c.approval) put_approval(out["approval"], *c.approval);
  return out.dump();
}

std::variant<CommandRecord, FieldError> command_from_record(std::string_view payload) {
  const auto doc = parse(payload);
  if (!doc) return FieldError{"$", "not a JSON object"};
  const auto command = doc->find("command");
  if (command == doc->end() || !command->is_object()) return FieldError{"command", "no command"};
  if (!doc->contains("device"))
    return FieldError{"device",
                      "recorded before commands were kept for replay (no device or approval state)"};
  CommandRecord c;
  c.id = text(*command, "id");
  c.target = text(*command, "target");
  c.command = text(*command, "command");
  c.reason = text(*command, "reason");
  c.status = text(*command, "status");
  c.requested_by = text(*command, "requested_by");
  c.device = text(*doc, "device");
  c.requester_person = text(*doc, "requester_person");
  if (c.id.empty() || c.status.empty() || c.device.empty())
    return FieldError{"command.id", "a command record without id, status or device"};
  const auto approval = doc->find("approval");
  if (approval != doc->end()) {
    if (!approval->is_object()) return FieldError{"approval", "expected an object"};
    c.approval = get_approval(*approval);
    if (c.approval->change_sha256.empty() || c.approval->expires_at_us == 0)
      return FieldError{"approval", "an approval without hash or expiry"};
  }
  return c;
}

std::string change_record_json(const std::string& by, const ChangeRecord& c, bool with_change) {
  json out{{"by", by},
           {"approval", c.id},
           {"requested_by", c.requested_by},
           {"requester_person", c.requester_person},
           {"requester_role", c.requester_role}};
  put_approval(out, c.approval);
  if (with_change) {
    out["change"] = c.change;
    if (!c.site_text.empty()) out["site_text"] = c.site_text;
  }
  return out.dump();
}

std::variant<ChangeRecord, FieldError> change_from_record(std::string_view payload, bool with_change) {
  const auto doc = parse(payload);
  if (!doc) return FieldError{"$", "not a JSON object"};
  ChangeRecord c;
  c.id = text(*doc, "approval");
  if (c.id.empty()) return FieldError{"approval", "no approval id"};
  if (!doc->contains("expires_at_us"))
    return FieldError{"expires_at_us",
                      "recorded before changes were kept for replay (no expiry, requester or change)"};
  c.requested_by = text(*doc, "requested_by");
  c.requester_person = text(*doc, "requester_person");
  c.requester_role = text(*doc, "requester_role");
  c.approval = get_approval(*doc);
  if (with_change) {
    if (!doc->contains("change"))
      return FieldError{"change", "no canonical change to rebuild the action from"};
    c.change = text(*doc, "change");
    c.site_text = text(*doc, "site_text");
  }
  return c;
}

}  // namespace portcullis::json
