#pragma once
// FROZEN RECORD FORMAT. The bytes this code writes are stored in the event store and hashed into the
// tamper-evident chain (docs/event-store.md); its readers rebuild state from them at every start-up.
// Changing one byte of the output is a new record version: a new record type or version field, with the
// old reader kept for replay. tests/unit/ledger_records pins the bytes.
//
// Hand-written JSON for hot paths, byte for byte what nlohmann's dump() gives for the same object (keys in
// sorted order, no spaces, the same escapes, ensure_ascii off): no DOM of maps and no allocations beyond the
// output string. Stored payloads are hashed into the chain, so whatever a writer here produces must stay
// equal to the nlohmann output it replaced (pinned by tests/unit/ledger_records/hand_written_json_test.cpp).
// server/json writes its API bytes with it too: a change made for an API would change stored bytes.
// Callers write keys in sorted (byte) order themselves.

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "portcullis/util/json_string.hpp"

namespace portcullis::json::detail {

// A JSON string literal, escaped as nlohmann escapes it: the one escaper's Record style (server/util).
inline void put_string(std::string& out, std::string_view text) {
  util::append_json_string(out, text, util::JsonStringStyle::Record);
}

// `"key":`, preceded by a comma unless it is the object's first key.
inline void put_key(std::string& out, bool& first, std::string_view key) {
  if (!first) out += ',';
  first = false;
  out += '"';
  out += key;  // keys are plain ASCII names
  out += "\":";
}

// An integer without a temporary string (std::to_string allocates for long numbers).
template <class Int>
inline void put_int(std::string& out, Int value) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;  // 24 digits hold any 64-bit integer
  out.append(buf, end);
}

inline void put_bool(std::string& out, bool value) {
  out += value ? "true" : "false";
}

}  // namespace portcullis::json::detail
