#include "portcullis/storage/operator_account_store.hpp"

#include <pqxx/pqxx>

#include "portcullis/storage/operator_directory.hpp"
#include "portcullis/storage/session_store.hpp"

namespace portcullis::storage {

struct OperatorAccountStore::Connection {
  explicit Connection(const std::string& database) : connection{database} {}
  pqxx::connection connection;
  OperatorDirectory operators{connection};
  SessionStore sessions{connection};
};

OperatorAccountStore::OperatorAccountStore(const std::string& database)
    : connection_(std::make_unique<Connection>(database)) {}

OperatorAccountStore::~OperatorAccountStore() = default;

std::optional<OperatorRow> OperatorAccountStore::find_operator(const std::string& operator_id) {
  return connection_->operators.find(operator_id);
}

std::vector<OperatorRow> OperatorAccountStore::all_operators() {
  return connection_->operators.all();
}

bool OperatorAccountStore::insert_operator(const OperatorRow& row, std::int64_t now_us) {
  return connection_->operators.insert(row, now_us);
}

bool OperatorAccountStore::update_login_state(const OperatorRow& before, const OperatorRow& after) {
  return connection_->operators.update_login_state(before, after);
}

void OperatorAccountStore::set_disabled(const std::string& operator_id, bool disabled) {
  connection_->operators.set_disabled(operator_id, disabled);
}

bool OperatorAccountStore::set_password(const std::string& operator_id, const std::string& password_hash,
                                        bool change_required) {
  return connection_->operators.set_password(operator_id, password_hash, change_required);
}

bool OperatorAccountStore::set_totp_secret(const std::string& operator_id,
                                           const std::string& totp_secret_base32) {
  return connection_->operators.set_totp_secret(operator_id, totp_secret_base32);
}

void OperatorAccountStore::unlock(const std::string& operator_id) {
  connection_->operators.unlock(operator_id);
}

void OperatorAccountStore::insert_session(const SessionRow& row) {
  connection_->sessions.insert(row);
}

std::vector<SessionRow> OperatorAccountStore::unexpired_sessions(std::int64_t now_us) {
  return connection_->sessions.unexpired(now_us);
}

bool OperatorAccountStore::end_session(const std::string& token_hash, std::int64_t ended_us,
                                       const std::string& reason) {
  return connection_->sessions.end(token_hash, ended_us, reason);
}

std::size_t OperatorAccountStore::end_sessions_of_operator(const std::string& operator_id,
                                                           std::int64_t ended_us, const std::string& reason) {
  return connection_->sessions.end_all_for_operator(operator_id, ended_us, reason);
}

void OperatorAccountStore::record_session_activity(
    const std::vector<std::pair<std::string, std::int64_t>>& activity) {
  connection_->sessions.record_activity(activity);
}

std::size_t OperatorAccountStore::delete_expired_sessions(std::int64_t now_us) {
  return connection_->sessions.delete_expired(now_us);
}

}  // namespace portcullis::storage
