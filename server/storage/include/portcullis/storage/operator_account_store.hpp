#pragma once
// Operator accounts and their sessions, as the sign-in service reads and writes them: one connection to
// PostgreSQL, opened from a libpq connection string when the store is made, used by every call on it (each
// call is a transaction of its own, as OperatorDirectory's and SessionStore's are). Callers see plain rows,
// never libpqxx. Blocking: worker threads, the sign-in pool or the refresh thread, never network threads.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "portcullis/storage/operator_row.hpp"
#include "portcullis/storage/session_row.hpp"

namespace portcullis::storage {

class OperatorAccountStore {
 public:
  // Connects: throws if the database cannot be reached.
  explicit OperatorAccountStore(const std::string& database);
  ~OperatorAccountStore();
  OperatorAccountStore(const OperatorAccountStore&) = delete;
  OperatorAccountStore& operator=(const OperatorAccountStore&) = delete;

  // Accounts (OperatorDirectory).
  [[nodiscard]] std::optional<OperatorRow> find_operator(const std::string& operator_id);
  [[nodiscard]] std::vector<OperatorRow> all_operators();
  // False when the id is taken.
  bool insert_operator(const OperatorRow& row, std::int64_t now_us);
  // Compare-and-set of the login state: succeeds only if the state is still `before`.
  bool update_login_state(const OperatorRow& before, const OperatorRow& after);
  void set_disabled(const std::string& operator_id, bool disabled);
  // False: no such operator.
  bool set_password(const std::string& operator_id, const std::string& password_hash, bool change_required);
  bool set_totp_secret(const std::string& operator_id, const std::string& totp_secret_base32);
  void unlock(const std::string& operator_id);

  // Sessions (SessionStore).
  void insert_session(const SessionRow& row);
  [[nodiscard]] std::vector<SessionRow> unexpired_sessions(std::int64_t now_us);
  bool end_session(const std::string& token_hash, std::int64_t ended_us, const std::string& reason);
  std::size_t end_sessions_of_operator(const std::string& operator_id, std::int64_t ended_us,
                                       const std::string& reason);
  void record_session_activity(const std::vector<std::pair<std::string, std::int64_t>>& activity);
  std::size_t delete_expired_sessions(std::int64_t now_us);

 private:
  struct Connection;
  std::unique_ptr<Connection> connection_;
};

}  // namespace portcullis::storage
