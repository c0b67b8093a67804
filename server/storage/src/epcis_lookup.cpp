#include "portcullis/storage/epcis_lookup.hpp"

#include <pqxx/pqxx>

namespace portcullis::storage {
namespace {

// A PostgreSQL text[] literal: every element double-quoted, with `"` and `\` escaped.
std::string text_array_literal(const std::vector<std::string>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (const char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace

std::vector<std::string> find_epcis_captured(pqxx::connection& connection, const std::string& site_id,
                                             const std::vector<std::string>& event_ids) {
  std::vector<std::string> payloads;
  if (event_ids.empty()) return payloads;
  pqxx::read_transaction tx{connection};
  // The same expression as the index (migration 0006), compared with each id as a JSON string literal.
  const auto rows = tx.exec_params(
      "SELECT payload FROM events WHERE site_id = $1 AND type = 'epcis.captured' AND "
      "substring(payload from '^\\{\"canonical_sha256\":\"[^\"]*\",\"event_id\":(\"(?:[^\"\\\\]|\\\\.)*\")') "
      "IN (SELECT to_json(id)::text FROM unnest($2::text[]) AS id)",
      site_id, text_array_literal(event_ids));
  payloads.reserve(rows.size());
  for (const auto& row : rows) payloads.push_back(row[0].as<std::string>());
  return payloads;
}

}  // namespace portcullis::storage
