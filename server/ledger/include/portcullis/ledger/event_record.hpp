#pragma once
// One row of history as stored, and the rule that chains rows together.
// The canonical bytes are a length-prefixed encoding of every column, so no two different rows
// share the same bytes and the verifier can recompute them from the table alone.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace portcullis::ledger {

using Hash = std::array<std::uint8_t, 32>;

enum class Source { Device, Server, Operator };

struct EventRecord {
  std::string site_id;
  std::int64_t site_seq = 0;
  Source source = Source::Device;
  std::optional<std::string> device_id;
  std::optional<std::int64_t> device_seq;
  std::string type;
  std::optional<std::int64_t> device_time_us;
  std::int64_t received_us = 0;
  std::string payload;  // canonical JSON
  std::string outcome;  // canonical JSON
  Hash prev_hash{};
  Hash hash{};
};

[[nodiscard]] const char* to_string(Source s) noexcept;
[[nodiscard]] std::optional<Source> source_from_string(const std::string& s) noexcept;

// Length-prefixed encoding of every column except the hashes ("portcullis-event-v1" first).
[[nodiscard]] std::string canonical_bytes(const EventRecord& record);

// SHA-256(prev_hash || canonical_bytes(record)).
[[nodiscard]] Hash chain_hash(const Hash& prev_hash, const EventRecord& record);

// Makes every text column storable (valid UTF-8 without NUL: what PostgreSQL's text accepts), replacing each
// offending byte with U+FFFD; a record that is already storable is left as it is. A record the database
// would refuse would fail the whole group commit it is part of.
void make_storable(EventRecord& record);

// Makes the record storable (make_storable), then sets record.prev_hash and record.hash; returns the new
// head.
const Hash& seal(EventRecord& record, const Hash& prev_hash);

[[nodiscard]] std::string to_hex(const Hash& hash);
[[nodiscard]] std::optional<Hash> hash_from_bytes(const std::string& bytes);

}  // namespace portcullis::ledger
