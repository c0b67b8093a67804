#include "portcullis/storage/event_store.hpp"

#include <pqxx/pqxx>

namespace portcullis::storage::detail {
// One COPY field: pqxx escapes the text, and writes \N for an absent value.
struct CopyValue {
  std::optional<std::string> text;
};
}  // namespace portcullis::storage::detail

namespace pqxx {
template <>
struct string_traits<portcullis::storage::detail::CopyValue> {
  using Value = portcullis::storage::detail::CopyValue;
  static constexpr const char* name() noexcept { return "CopyValue"; }
  static constexpr bool has_null() noexcept { return true; }
  static bool is_null(const Value& v) { return !v.text; }
  static Value null() { return {}; }
  static void from_string(const char* text, Value& v) { v.text = text; }
  static std::string to_string(const Value& v) { return v.text.value_or(""); }
};
}  // namespace pqxx
#include <pqxx/pqxx>

namespace portcullis::storage {
namespace {
using detail::CopyValue;

constexpr const char* kColumns =
    "site_id, site_seq, source, device_id, device_seq, type, device_time_us, received_us, payload, outcome, "
    "prev_hash, hash";

CopyValue text(std::string s) {
  return CopyValue{std::move(s)};
}
template <class T>
CopyValue optional_value(const std::optional<T>& v) {
  if (!v) return CopyValue{};
  if constexpr (std::is_same_v<T, std::string>) {
    return CopyValue{*v};
  } else {
    return CopyValue{std::to_string(*v)};
  }
}
// bytea hex input form; pqxx doubles the backslash for COPY, which COPY undoes.
CopyValue bytea(const ledger::Hash& h) {
  return CopyValue{"\\x" + ledger::to_hex(h)};
}

using CopyRow = std::array<CopyValue, 12>;

CopyRow copy_row(const ledger::EventRecord& r) {
  return CopyRow{text(r.site_id),
                 text(std::to_string(r.site_seq)),
                 text(ledger::to_string(r.source)),
                 optional_value(r.device_id),
                 optional_value(r.device_seq),
                 text(r.type),
                 optional_value(r.device_time_us),
                 text(std::to_string(r.received_us)),
                 text(r.payload),
                 text(r.outcome),
                 bytea(r.prev_hash),
                 bytea(r.hash)};
}

template <class T>
std::optional<T> optional_field(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<T>();
}

ledger::Hash hash_field(const pqxx::field& f) {
  const pqxx::binarystring bytes{f};
  ledger::Hash h{};
  if (bytes.size() == h.size()) std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

}  // namespace

ledger::EventRecord record_from_row(const pqxx::row& row) {
  ledger::EventRecord r;
  r.site_id = row[0].as<std::string>();
  r.site_seq = row[1].as<std::int64_t>();
  r.source = ledger::source_from_string(row[2].as<std::string>()).value_or(ledger::Source::Server);
  r.device_id = optional_field<std::string>(row[3]);
  r.device_seq = optional_field<std::int64_t>(row[4]);
  r.type = row[5].as<std::string>();
  r.device_time_us = optional_field<std::int64_t>(row[6]);
  r.received_us = row[7].as<std::int64_t>();
  r.payload = row[8].as<std::string>();
  r.outcome = row[9].as<std::string>();
  r.prev_hash = hash_field(row[10]);
  r.hash = hash_field(row[11]);
  return r;
}

void require_durable_commits(pqxx::connection& connection) {
  pqxx::nontransaction tx{connection};
  tx.exec("SET synchronous_commit TO on");
}

EventStore::EventStore(pqxx::connection& connection) : connection_(connection) {}

ChainHead EventStore::head(const std::string& site_id) {
  pqxx::read_transaction tx{connection_};
  const auto rows = tx.exec_params(
      "SELECT site_seq, hash FROM events WHERE site_id = $1 ORDER BY site_seq DESC LIMIT 1", site_id);
  ChainHead head;
  if (!rows.empty()) {
    head.site_seq = rows[0][0].as<std::int64_t>();
    head.hash = hash_field(rows[0][1]);
  }
  return head;
}

void EventStore::append(pqxx::transaction_base& tx, const std::vector<ledger::EventRecord>& records) {
  if (records.empty()) return;
  pqxx::stream_to stream{
      tx, "events",
      std::vector<std::string>{"site_id", "site_seq", "source", "device_id", "device_seq", "type",
                               "device_time_us", "received_us", "payload", "outcome", "prev_hash", "hash"}};
  for (const auto& record : records) stream << copy_row(record);
  stream.complete();
}

std::optional<ledger::EventRecord> EventStore::find_device_event(const std::string& device_id,
                                                                 std::int64_t device_seq) {
  pqxx::read_transaction tx{connection_};
  const auto rows = tx.exec_params(
      std::string{"SELECT "} + kColumns + " FROM events WHERE device_id = $1 AND device_seq = $2", device_id,
      device_seq);
  if (rows.empty()) return std::nullopt;
  return record_from_row(rows[0]);
}

void EventStore::for_each(const std::string& site_id, std::int64_t after_seq,
                          const std::function<void(const ledger::EventRecord&)>& visit, int page_size) {
  std::int64_t cursor = after_seq;
  for (;;) {
    pqxx::read_transaction tx{connection_};
    const auto rows = tx.exec_params(std::string{"SELECT "} + kColumns +
                                         " FROM events WHERE site_id = $1 AND site_seq > $2"
                                         " ORDER BY site_seq LIMIT $3",
                                     site_id, cursor, page_size);
    tx.commit();
    for (const auto& row : rows) {
      auto record = record_from_row(row);
      cursor = record.site_seq;
      visit(record);
    }
    if (static_cast<int>(rows.size()) < page_size) return;
  }
}

}  // namespace portcullis::storage
