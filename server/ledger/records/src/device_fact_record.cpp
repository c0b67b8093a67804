// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
#include "portcullis/ledger/records/device_fact_record.hpp"

#include "portcullis/util/json_string.hpp"

namespace portcullis::json {

std::string device_auth_failed_fact_json(std::string_view path, std::string_view reason,
                                         std::string_view remote_address) {
  constexpr auto style = util::JsonStringStyle::CheckedUtf8;
  std::string out = "{\"path\":";
  util::append_json_string(out, path, style);
  out += ",\"reason\":";
  util::append_json_string(out, reason, style);
  out += ",\"remote\":";
  util::append_json_string(out, remote_address, style);
  out += '}';
  return out;
}

}  // namespace portcullis::json
