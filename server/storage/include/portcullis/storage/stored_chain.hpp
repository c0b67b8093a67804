#pragma once
// A site's stored hash chain as the verifiers read it (chain verification, checkpoint checks and the
// checkpoint signer): each call opens a connection of its own from a libpq connection string, so a verifier
// never shares a connection (or a transaction) with the writer. Any role that may SELECT events will do.
// Callers see plain values, never libpqxx.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "portcullis/ledger/event_record.hpp"

namespace portcullis::storage {

// Visits the site's records after `after_seq` in chain order, in pages, in constant memory. An exception
// thrown by `visit` stops the reading and leaves through here.
void for_each_stored_event(const std::string& database, const std::string& site_id, std::int64_t after_seq,
                           const std::function<void(const ledger::EventRecord&)>& visit);

// The stored hash (lower-case hex) of one row, if the row is there; read-only transaction.
[[nodiscard]] std::optional<std::string> stored_hash_hex(const std::string& database,
                                                         const std::string& site_id, std::int64_t site_seq);

// The highest stored site_seq (0: no row); read-only transaction.
[[nodiscard]] std::int64_t stored_head_seq(const std::string& database, const std::string& site_id);

// Several reads in one read-only transaction on one connection: a set of checkpoints is compared with the
// rows as one transaction sees them. Rolled back if finish() was not called.
class StoredChainSnapshot {
 public:
  StoredChainSnapshot(const std::string& database, std::string site_id);
  ~StoredChainSnapshot();
  StoredChainSnapshot(const StoredChainSnapshot&) = delete;
  StoredChainSnapshot& operator=(const StoredChainSnapshot&) = delete;

  [[nodiscard]] std::int64_t head_seq();
  [[nodiscard]] std::optional<std::string> hash_hex(std::int64_t site_seq);
  void finish();  // commits the read-only transaction

 private:
  struct Transaction;
  std::string site_id_;
  std::unique_ptr<Transaction> transaction_;
};

}  // namespace portcullis::storage
