#pragma once
// Reading and appending history. Only this code and the migrations know the table layout.
#include <pqxx/connection>
#include <pqxx/transaction>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "portcullis/ledger/event_record.hpp"

namespace portcullis::storage {

struct ChainHead {
  std::int64_t site_seq = 0;  // 0: empty chain
  ledger::Hash hash{};        // all zeroes for the empty chain
};

// Makes `connection` wait for each commit to be flushed (synchronous_commit on), whatever the default of the
// role, the database or postgresql.conf: an event is answered as stored only once it is durable.
void require_durable_commits(pqxx::connection& connection);

class EventStore {
 public:
  explicit EventStore(pqxx::connection& connection);

  [[nodiscard]] ChainHead head(const std::string& site_id);

  // Appends sealed records with one COPY inside the caller's transaction (group commit: many per commit).
  // Given a pqxx::nontransaction, the COPY is a transaction of its own: PostgreSQL commits it (and, with
  // synchronous_commit on, flushes it) before it reports the COPY complete.
  static void append(pqxx::transaction_base& tx, const std::vector<ledger::EventRecord>& records);

  [[nodiscard]] std::optional<ledger::EventRecord> find_device_event(const std::string& device_id,
                                                                     std::int64_t device_seq);

  // Visits the site's history in chain order, in pages, in constant memory.
  void for_each(const std::string& site_id, std::int64_t after_seq,
                const std::function<void(const ledger::EventRecord&)>& visit, int page_size = 5000);

 private:
  pqxx::connection& connection_;
};

[[nodiscard]] ledger::EventRecord record_from_row(const pqxx::row& row);

}  // namespace portcullis::storage
