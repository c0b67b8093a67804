#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// The payload of security.device_auth_failed: a request the router refused as not authenticated (401)
// before any handler ran. The path and address come straight from the request, so text is escaped in the
// CheckedUtf8 style (server/util/json_string.hpp): the payload is valid JSON whatever bytes were sent.
#include <string>
#include <string_view>

namespace portcullis::json {

// {"path","reason","remote"}: the path asked for, the refusal's reason, and the client's address.
[[nodiscard]] std::string device_auth_failed_fact_json(std::string_view path, std::string_view reason,
                                                       std::string_view remote_address);

}  // namespace portcullis::json
