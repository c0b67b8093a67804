#pragma once
// The database side of an audit report: one connection, and on it one REPEATABLE READ, read-only
// transaction in which the report reads its chain range and copies its rows out with
// `COPY (SELECT ...) TO STDOUT`. Rows arrive one line at a time as the server produces them, so memory stays
// constant whatever the size of the history, and the chain range named in the manifest comes from the same
// snapshot as the rows. Callers see plain values, never libpqxx.
//
// The report's SELECTs are written by the report layer (audit/report.hpp) with sql_literal(): COPY takes no
// parameters. standard_conforming_strings is set on in the snapshot, which is what sql_literal relies on.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace portcullis::storage {

// A connection for one report (any role that can SELECT events).
class ReportConnection {
 public:
  explicit ReportConnection(const std::string& database);  // connects: throws if it cannot
  ~ReportConnection();
  ReportConnection(const ReportConnection&) = delete;
  ReportConnection& operator=(const ReportConnection&) = delete;

  // Ends the running COPY on the server, e.g. when the client reading the report has gone.
  void cancel_query();

 private:
  friend class ReportSnapshot;
  struct Connection;
  std::unique_ptr<Connection> connection_;
};

struct StoredSeqHash {
  std::int64_t site_seq = 0;
  std::string hash_hex;
};

struct SeqSpan {
  std::int64_t first = 0;
  std::int64_t last = 0;
};

// The REPEATABLE READ, read-only transaction (rolled back unless commit() is called).
class ReportSnapshot {
 public:
  explicit ReportSnapshot(ReportConnection& connection);
  ~ReportSnapshot();
  ReportSnapshot(const ReportSnapshot&) = delete;
  ReportSnapshot& operator=(const ReportSnapshot&) = delete;

  // The newest row of the site's chain; nullopt: no row.
  [[nodiscard]] std::optional<StoredSeqHash> chain_head(const std::string& site_id);
  // min and max site_seq over `events e WHERE condition`; nullopt: no row matches.
  [[nodiscard]] std::optional<SeqSpan> seq_span(const std::string& condition);
  // The stored hashes of the rows at `first` and `last` (those that exist).
  [[nodiscard]] std::vector<StoredSeqHash> hashes_at(const std::string& site_id, std::int64_t first,
                                                     std::int64_t last);
  // For a report read in chain order straight from the primary key rather than scan-then-sort.
  void disable_sort();
  // COPY (select) TO STDOUT: calls `line` with each raw line (COPY text format, without its newline).
  void copy_out(const std::string& select, const std::function<void(const std::string& line)>& line);
  void commit();

 private:
  struct Transaction;
  std::unique_ptr<Transaction> transaction_;
};

}  // namespace portcullis::storage
