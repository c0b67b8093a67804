#include "portcullis/storage/stored_chain.hpp"

#include <pqxx/pqxx>

#include "portcullis/storage/event_store.hpp"

namespace portcullis::storage {
namespace {

constexpr const char* kHeadSeq = "SELECT coalesce(max(site_seq), 0) FROM events WHERE site_id = $1";
constexpr const char* kHashAt = "SELECT encode(hash, 'hex') FROM events WHERE site_id = $1 AND site_seq = $2";

std::int64_t head_seq_in(pqxx::transaction_base& tx, const std::string& site_id) {
  return tx.exec_params(kHeadSeq, site_id)[0][0].as<std::int64_t>();
}

std::optional<std::string> hash_hex_in(pqxx::transaction_base& tx, const std::string& site_id,
                                       std::int64_t site_seq) {
  const auto rows = tx.exec_params(kHashAt, site_id, site_seq);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

}  // namespace

void for_each_stored_event(const std::string& database, const std::string& site_id, std::int64_t after_seq,
                           const std::function<void(const ledger::EventRecord&)>& visit) {
  pqxx::connection connection{database};
  EventStore{connection}.for_each(site_id, after_seq, visit);
}

std::optional<std::string> stored_hash_hex(const std::string& database, const std::string& site_id,
                                           std::int64_t site_seq) {
  pqxx::connection connection{database};
  pqxx::read_transaction tx{connection};
  return hash_hex_in(tx, site_id, site_seq);
}

std::int64_t stored_head_seq(const std::string& database, const std::string& site_id) {
  pqxx::connection connection{database};
  pqxx::read_transaction tx{connection};
  return head_seq_in(tx, site_id);
}

struct StoredChainSnapshot::Transaction {
  explicit Transaction(const std::string& database) : connection{database} {}
  pqxx::connection connection;
  pqxx::read_transaction tx{connection};
};

StoredChainSnapshot::StoredChainSnapshot(const std::string& database, std::string site_id)
    : site_id_(std::move(site_id)), transaction_(std::make_unique<Transaction>(database)) {}

StoredChainSnapshot::~StoredChainSnapshot() = default;

std::int64_t StoredChainSnapshot::head_seq() {
  return head_seq_in(transaction_->tx, site_id_);
}

std::optional<std::string> StoredChainSnapshot::hash_hex(std::int64_t site_seq) {
  return hash_hex_in(transaction_->tx, site_id_, site_seq);
}

void StoredChainSnapshot::finish() {
  transaction_->tx.commit();
}

}  // namespace portcullis::storage
