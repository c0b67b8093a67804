#include "portcullis/storage/report_snapshot.hpp"

#include <pqxx/pqxx>

namespace portcullis::storage {

struct ReportConnection::Connection {
  explicit Connection(const std::string& database) : connection{database} {}
  pqxx::connection connection;
};

ReportConnection::ReportConnection(const std::string& database)
    : connection_(std::make_unique<Connection>(database)) {}

ReportConnection::~ReportConnection() = default;

void ReportConnection::cancel_query() {
  connection_->connection.cancel_query();
}

struct ReportSnapshot::Transaction {
  explicit Transaction(pqxx::connection& connection) : tx{connection} {}
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx;
};

ReportSnapshot::ReportSnapshot(ReportConnection& connection)
    : transaction_(std::make_unique<Transaction>(connection.connection_->connection)) {
  transaction_->tx.exec("SET LOCAL standard_conforming_strings = on");
}

ReportSnapshot::~ReportSnapshot() = default;

std::optional<StoredSeqHash> ReportSnapshot::chain_head(const std::string& site_id) {
  const auto head = transaction_->tx.exec_params(
      "SELECT site_seq, encode(hash, 'hex') FROM events WHERE site_id = $1 ORDER BY site_seq DESC LIMIT 1",
      site_id);
  if (head.empty()) return std::nullopt;
  return StoredSeqHash{head[0][0].as<std::int64_t>(), head[0][1].as<std::string>()};
}

std::optional<SeqSpan> ReportSnapshot::seq_span(const std::string& condition) {
  const auto span =
      transaction_->tx.exec("SELECT min(e.site_seq), max(e.site_seq) FROM events e WHERE " + condition);
  if (span[0][0].is_null()) return std::nullopt;
  return SeqSpan{span[0][0].as<std::int64_t>(), span[0][1].as<std::int64_t>()};
}

std::vector<StoredSeqHash> ReportSnapshot::hashes_at(const std::string& site_id, std::int64_t first,
                                                     std::int64_t last) {
  std::vector<StoredSeqHash> out;
  for (const auto& row : transaction_->tx.exec_params(
           "SELECT site_seq, encode(hash, 'hex') FROM events WHERE site_id = $1 AND site_seq IN ($2, $3)",
           site_id, first, last)) {
    out.push_back(StoredSeqHash{row[0].as<std::int64_t>(), row[1].as<std::string>()});
  }
  return out;
}

void ReportSnapshot::disable_sort() {
  transaction_->tx.exec("SET LOCAL enable_sort = off");
}

void ReportSnapshot::copy_out(const std::string& select,
                              const std::function<void(const std::string& line)>& line) {
  // pqxx 6 names the copied relation verbatim: a parenthesized query is COPY (query) TO STDOUT.
  pqxx::stream_from stream{transaction_->tx, "(" + select + ")"};
  std::string text;
  while (stream.get_raw_line(text)) line(text);
  stream.complete();
}

void ReportSnapshot::commit() {
  transaction_->tx.commit();
}

}  // namespace portcullis::storage
