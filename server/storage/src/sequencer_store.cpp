#include "portcullis/storage/sequencer_store.hpp"

#include <pqxx/pqxx>

#include "portcullis/storage/epcis_lookup.hpp"
#include "portcullis/storage/event_store.hpp"
#include "portcullis/storage/site_versions.hpp"

namespace portcullis::storage {
namespace {

// Runs `body`, turning an SQL error into StatementRefused (same message); a lost connection and every
// other failure pass through unchanged.
template <typename Body>
auto classified(Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const pqxx::sql_error& e) {
    throw StatementRefused(e.what());
  }
}

}  // namespace

struct SequencerStore::Connection {
  explicit Connection(const std::string& database) : connection(database) {
    require_durable_commits(connection);
  }
  pqxx::connection connection;
};

SequencerStore::SequencerStore(const std::string& database, std::string site_id)
    : database_(database),
      site_id_(std::move(site_id)),
      connection_(std::make_unique<Connection>(database)) {}

SequencerStore::~SequencerStore() = default;

void SequencerStore::take_ownership(std::chrono::milliseconds wait) {
  // Waits a little: a previous owner that just exited takes a moment to release the lock.
  pqxx::nontransaction tx{connection_->connection};
  tx.exec("SET lock_timeout = " + std::to_string(wait.count()));
  try {
    tx.exec_params("SELECT pg_advisory_lock(hashtext($1))", "portcullis-site:" + site_id_);
  } catch (const pqxx::sql_error&) {
    throw std::runtime_error("site '" + site_id_ + "' is owned by another portcullisd instance");
  }
  tx.exec("SET lock_timeout = 0");
  holds_site_ = true;
  locked_backend_pid_ = connection_->connection.backendpid();
}

bool SequencerStore::try_take_ownership() {
  pqxx::nontransaction tx{connection_->connection};
  const auto r = tx.exec_params("SELECT pg_try_advisory_lock(hashtext($1))", "portcullis-site:" + site_id_);
  holds_site_ = r.at(0).at(0).as<bool>();
  locked_backend_pid_ = holds_site_ ? connection_->connection.backendpid() : 0;
  return holds_site_;
}

bool SequencerStore::session_holds_site() const noexcept {
  return holds_site_ && connection_->connection.backendpid() == locked_backend_pid_;
}

void SequencerStore::check_connection() {
  pqxx::nontransaction tx{connection_->connection};
  tx.exec("SELECT 1");
  if (holds_site_ && !session_holds_site())
    throw std::runtime_error("the session that held site '" + site_id_ + "' ended (libpqxx opened another)");
}

void SequencerStore::for_each(std::int64_t after_seq,
                              const std::function<void(const ledger::EventRecord&)>& visit) {
  classified([&] {
    EventStore store{connection_->connection};
    store.for_each(site_id_, after_seq, visit);
  });
}

std::optional<ledger::EventRecord> SequencerStore::find_device_event(const std::string& device_id,
                                                                     std::int64_t device_seq) {
  return classified(
      [&] { return EventStore{connection_->connection}.find_device_event(device_id, device_seq); });
}

std::vector<std::string> SequencerStore::find_epcis_captured(const std::vector<std::string>& event_ids) {
  return classified(
      [&] { return storage::find_epcis_captured(connection_->connection, site_id_, event_ids); });
}

SiteVersionRead SequencerStore::read_site_version(const std::string& content_hash_hex) {
  return classified([&] {
    pqxx::connection lookup{database_};
    return storage::read_site_version(lookup, site_id_, content_hash_hex);
  });
}

void SequencerStore::append(const std::vector<ledger::EventRecord>& records,
                            const std::vector<SiteVersion>& versions) {
  // Only the session that holds the site's lock writes its history: if it ends, the lock and this
  // connection end together, and a new connection writes nothing before it holds the lock again.
  if (!session_holds_site())
    throw std::runtime_error("this connection does not hold site '" + site_id_ + "': nothing was written");
  classified([&] {
    if (versions.empty()) {
      // The usual group: one COPY in autocommit is one transaction, durable when PostgreSQL reports it
      // complete; two round trips fewer than BEGIN ... COMMIT on the sequencer's critical path.
      pqxx::nontransaction tx{connection_->connection};
      EventStore::append(tx, records);
      tx.commit();
    } else {
      pqxx::work tx{connection_->connection};
      for (const auto& version : versions) store_site_version(tx, version);
      EventStore::append(tx, records);
      tx.commit();
    }
  });
}

}  // namespace portcullis::storage
