#pragma once
// Operator accounts in PostgreSQL. Blocking: call from worker threads, never from network threads.
#include <pqxx/connection>

#include <optional>
#include <string>
#include <vector>

#include "portcullis/storage/operator_row.hpp"

namespace portcullis::storage {

class OperatorDirectory {
 public:
  explicit OperatorDirectory(pqxx::connection& connection);

  [[nodiscard]] std::optional<OperatorRow> find(const std::string& operator_id);
  [[nodiscard]] std::vector<OperatorRow> all();
  // False when the id is taken.
  bool insert(const OperatorRow& row, std::int64_t now_us);
  // Compare-and-set of the login state: succeeds only if the state is still `before`.
  bool update_login_state(const OperatorRow& before, const OperatorRow& after);
  void set_disabled(const std::string& operator_id, bool disabled);
  // False: no such operator.
  bool set_password(const std::string& operator_id, const std::string& password_hash, bool change_required);
  // A new TOTP secret (sealed like at insert) with no step used yet. False: no such operator.
  bool set_totp_secret(const std::string& operator_id, const std::string& totp_secret_base32);
  void unlock(const std::string& operator_id);

 private:
  pqxx::connection& connection_;
};

}  // namespace portcullis::storage
