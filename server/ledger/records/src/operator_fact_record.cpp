// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
#include "portcullis/ledger/records/operator_fact_record.hpp"

#include "portcullis/util/json_string.hpp"

namespace portcullis::json {
namespace {

// Request text: escaped so that the payload is valid JSON whatever bytes came in.
void put_text(std::string& out, std::string_view text) {
  util::append_json_string(out, text, util::JsonStringStyle::CheckedUtf8);
}

// A name longer than this is an attack or a mistake; the record keeps enough of it to be recognised.
constexpr std::size_t kStoredNameBytes = 64;

}  // namespace

std::string sign_in_fact_json(std::string_view detail, std::string_view username,
                              std::string_view remote_address) {
  std::string out = "{\"detail\":";
  put_text(out, detail);
  out += ",\"operator\":";
  put_text(out, username.substr(0, kStoredNameBytes));
  out += ",\"remote\":";
  put_text(out, remote_address);
  out += '}';
  return out;
}

std::string sign_out_fact_json(std::string_view operator_id) {
  std::string out = "{\"operator\":";
  put_text(out, operator_id);
  out += '}';
  return out;
}

std::string operator_change_fact_json(std::string_view by, std::string_view operator_id) {
  std::string out = "{\"by\":";
  put_text(out, by);
  out += ",\"operator\":";
  put_text(out, operator_id);
  out += '}';
  return out;
}

std::string operator_created_fact_json(const CreatedOperatorFact& fact) {
  std::string out = "{\"by\":";
  put_text(out, fact.by);
  out += ",\"operator\":";
  put_text(out, fact.operator_id);
  if (fact.service) {
    out += ",\"service\":true";
  } else {
    out += ",\"person\":";
    put_text(out, fact.person);
  }
  out += ",\"role\":";
  put_text(out, fact.role);
  out += '}';
  return out;
}

}  // namespace portcullis::json
