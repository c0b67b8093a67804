#pragma once
// The sequencer's own SQL, behind a header without libpqxx: its connection (durable commits), the site's
// ownership lock, the history stream a rebuild or a follower reads, the look-ups the write path needs
// (a device event's first answer, old EPCIS eventIDs, a site version) and the group commit itself.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "portcullis/ledger/event_record.hpp"
#include "portcullis/storage/site_version_types.hpp"

namespace portcullis::storage {

// PostgreSQL refused a statement (an SQL error: a value it cannot store, a constraint), as opposed to a
// lost connection. One record may be at fault, so the sequencer retries the requests of a failed group
// commit one by one instead of failing them all.
class StatementRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SequencerStore {
 public:
  // Connects to `database` (a libpq connection string) and makes sure commits are durable. Throws.
  SequencerStore(const std::string& database, std::string site_id);
  ~SequencerStore();
  SequencerStore(const SequencerStore&) = delete;
  SequencerStore& operator=(const SequencerStore&) = delete;

  // Takes the site's advisory lock for as long as this connection lives: one owner per site. Waits up to
  // `wait` for a previous owner to let go; throws std::runtime_error naming the site when it does not.
  void take_ownership(std::chrono::milliseconds wait);
  // A follower's attempt at the same lock, on the connection it reads with (which then becomes the one it
  // writes with): true when this connection now holds it, false at once when another session does.
  [[nodiscard]] bool try_take_ownership();
  // One round trip on the connection (and so the lock): throws when the session is gone, which an owner
  // must notice by itself when it has nothing to write.
  void check_connection();
  // The site's history after `after_seq`, in chain order, in constant memory.
  void for_each(std::int64_t after_seq, const std::function<void(const ledger::EventRecord&)>& visit);
  [[nodiscard]] std::optional<ledger::EventRecord> find_device_event(const std::string& device_id,
                                                                     std::int64_t device_seq);
  // Payloads of `epcis.captured` records that may name one of `event_ids` (the caller compares exactly).
  [[nodiscard]] std::vector<std::string> find_epcis_captured(const std::vector<std::string>& event_ids);
  // A site version by its hex SHA-256, checked against it. On a connection of its own: the sequencer's is
  // busy streaming history while a replay asks.
  [[nodiscard]] SiteVersionRead read_site_version(const std::string& content_hash_hex);
  // One group commit: the records (and the site versions their site.loaded records name) in one
  // transaction. Throws StatementRefused when PostgreSQL refused a statement, anything else when the
  // connection failed; std::runtime_error, writing nothing, on a connection that does not hold the site's
  // lock.
  void append(const std::vector<ledger::EventRecord>& records, const std::vector<SiteVersion>& versions);

 private:
  struct Connection;
  std::string database_;
  std::string site_id_;
  std::unique_ptr<Connection> connection_;
  bool holds_site_ = false;  // this connection took the site's lock (its session keeps it until it ends)
  // The PostgreSQL session that took it. libpqxx 6 opens a new session by itself on the next use of a
  // connection whose session broke; that one does not hold the lock, so it may not write.
  int locked_backend_pid_ = 0;
  [[nodiscard]] bool session_holds_site() const noexcept;
};

}  // namespace portcullis::storage
