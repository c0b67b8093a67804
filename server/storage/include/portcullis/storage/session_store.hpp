#pragma once
// Operator sessions in PostgreSQL (migration 0004), so a restart or another server instance sharing the
// database keeps operators signed in. Only token hashes are stored. Blocking: call from worker threads
// or the refresh thread, never from network threads.
#include <pqxx/connection>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "portcullis/storage/session_row.hpp"

namespace portcullis::storage {

class SessionStore {
 public:
  explicit SessionStore(pqxx::connection& connection);

  void insert(const SessionRow& row);
  // Sessions not yet expired at `now_us`, ended ones included: other instances learn of the end.
  [[nodiscard]] std::vector<SessionRow> unexpired(std::int64_t now_us);
  // Ends one open session; false if it was unknown or already ended.
  bool end(const std::string& token_hash, std::int64_t ended_us, const std::string& reason);
  // Ends every open session of an operator; returns how many.
  std::size_t end_all_for_operator(const std::string& operator_id, std::int64_t ended_us,
                                   const std::string& reason);
  // Moves last activity forward (never back) for each (token_hash, last_activity_us), in one transaction.
  void record_activity(const std::vector<std::pair<std::string, std::int64_t>>& activity);
  // Deletes sessions expired before `now_us`; returns how many.
  std::size_t delete_expired(std::int64_t now_us);

 private:
  pqxx::connection& connection_;
};

}  // namespace portcullis::storage
