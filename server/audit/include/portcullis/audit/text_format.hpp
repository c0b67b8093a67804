#pragma once
// Pure text helpers of the evidence exports (no database, no OpenSSL): CSV cells with spreadsheet
// formula neutralization, RFC 3339 times (JSON strings, base64 and hex are
// server/util's).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::audit {

// True when a spreadsheet would read the cell as a formula: it starts with '=', '+', '-', '@', a tab
// or a carriage return.
[[nodiscard]] bool starts_like_formula(std::string_view cell) noexcept;

// Appends one CSV cell (RFC 4180): a cell that starts like a formula gets a leading apostrophe; a cell
// holding a comma, a double quote, CR or LF (or a neutralized one) is quoted, with quotes doubled.
void append_csv_cell(std::string& out, std::string_view cell);

// Appends cells separated by commas and ends the record with CRLF (RFC 4180).
void append_csv_row(std::string& out, const std::vector<std::string_view>& cells);

// "2026-11-27T10:00:00.000123Z" from microseconds since the Unix epoch (UTC, always 6 digits).
[[nodiscard]] std::string rfc3339_from_micros(std::int64_t micros);
void append_rfc3339(std::string& out, std::int64_t micros);

// Parses "2026-11-27", "2026-11-27T10:00:00Z", "2026-11-27T10:00:00.5+01:00" (also a space for 'T').
// A date alone means midnight UTC. Returns microseconds since the epoch, or nothing if malformed.
[[nodiscard]] std::optional<std::int64_t> parse_time(std::string_view text);

// Decodes one row of PostgreSQL's COPY text format (tab separated, \N for NULL, backslash escapes) into
// `fields`; `storage` holds unescaped text and is reused between rows. Returns false if malformed.
struct CopyField {
  std::string_view text;
  bool null = false;
};
bool decode_copy_row(std::string_view line, std::vector<CopyField>& fields, std::string& storage);

}  // namespace portcullis::audit
