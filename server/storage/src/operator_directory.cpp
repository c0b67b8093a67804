#include "portcullis/storage/operator_directory.hpp"

#include <pqxx/pqxx>

#include "portcullis/storage/secret_box.hpp"

namespace portcullis::storage {
namespace {

constexpr const char* kColumns =
    "operator_id, display_name, role, coalesce(person_id, ''), password_hash, totp_secret, totp_last_step,"
    " failures, retry_after_us, locked, disabled, password_change_required";

template <class T>
std::optional<T> optional_field(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<T>();
}

OperatorRow from_row(const pqxx::row& r) {
  OperatorRow o;
  o.operator_id = r[0].as<std::string>();
  o.display_name = r[1].as<std::string>();
  o.role = r[2].as<std::string>();
  o.person_id = r[3].as<std::string>();
  o.password_hash = r[4].as<std::string>();
  o.totp_secret = r[5].as<std::string>();
  if (SecretBox::is_sealed(o.totp_secret)) {
    // Opened with the server's key; without it, or if the row was tampered with, no code can match.
    const auto box = totp_secret_box();
    auto opened = box ? box->open(o.totp_secret, o.operator_id) : std::nullopt;
    o.totp_secret = opened.value_or(std::string{});
  }
  o.totp_last_step = optional_field<std::int64_t>(r[6]);
  o.failures = r[7].as<int>();
  o.retry_after_us = optional_field<std::int64_t>(r[8]);
  o.locked = r[9].as<bool>();
  o.disabled = r[10].as<bool>();
  o.password_change_required = r[11].as<bool>();
  return o;
}

// The TOTP secret as stored: sealed with the server's key when one is configured.
std::string sealed_secret(const std::string& secret, const std::string& operator_id) {
  const auto box = totp_secret_box();
  return box ? box->seal(secret, operator_id) : secret;
}

}  // namespace

OperatorDirectory::OperatorDirectory(pqxx::connection& connection) : connection_(connection) {}

std::optional<OperatorRow> OperatorDirectory::find(const std::string& operator_id) {
  pqxx::read_transaction tx{connection_};
  const auto rows = tx.exec_params(
      std::string("SELECT ") + kColumns + " FROM operators WHERE operator_id = $1", operator_id);
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

std::vector<OperatorRow> OperatorDirectory::all() {
  pqxx::read_transaction tx{connection_};
  std::vector<OperatorRow> out;
  for (const auto& row : tx.exec(std::string("SELECT ") + kColumns + " FROM operators"))
    out.push_back(from_row(row));
  return out;
}

bool OperatorDirectory::insert(const OperatorRow& o, std::int64_t now_us) {
  pqxx::work tx{connection_};
  const std::optional<std::string> person =
      o.person_id.empty() ? std::nullopt : std::optional<std::string>{o.person_id};
  const auto rows = tx.exec_params(
      "INSERT INTO operators (operator_id, display_name, role, person_id, password_hash, totp_secret, "
      "created_us, service_account, password_change_required)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING 1",
      o.operator_id, o.display_name, o.role, person, o.password_hash,
      sealed_secret(o.totp_secret, o.operator_id), now_us, !person, o.password_change_required);
  tx.commit();
  return !rows.empty();
}

bool OperatorDirectory::update_login_state(const OperatorRow& before, const OperatorRow& after) {
  pqxx::work tx{connection_};
  const auto rows = tx.exec_params(
      "UPDATE operators SET totp_last_step = $2, failures = $3, retry_after_us = $4, locked = $5"
      " WHERE operator_id = $1 AND totp_last_step IS NOT DISTINCT FROM $6 AND failures = $7"
      " AND retry_after_us IS NOT DISTINCT FROM $8 AND locked = $9 RETURNING 1",
      after.operator_id, after.totp_last_step, after.failures, after.retry_after_us, after.locked,
      before.totp_last_step, before.failures, before.retry_after_us, before.locked);
  tx.commit();
  return !rows.empty();
}

void OperatorDirectory::set_disabled(const std::string& operator_id, bool disabled) {
  pqxx::work tx{connection_};
  tx.exec_params("UPDATE operators SET disabled = $2 WHERE operator_id = $1", operator_id, disabled);
  tx.commit();
}

bool OperatorDirectory::set_password(const std::string& operator_id, const std::string& password_hash,
                                     bool change_required) {
  pqxx::work tx{connection_};
  const auto rows = tx.exec_params(
      "UPDATE operators SET password_hash = $2, password_change_required = $3 WHERE operator_id = $1 "
      "RETURNING 1",
      operator_id, password_hash, change_required);
  tx.commit();
  return !rows.empty();
}

bool OperatorDirectory::set_totp_secret(const std::string& operator_id,
                                        const std::string& totp_secret_base32) {
  pqxx::work tx{connection_};
  const auto rows = tx.exec_params(
      "UPDATE operators SET totp_secret = $2, totp_last_step = NULL WHERE operator_id = $1 RETURNING 1",
      operator_id, sealed_secret(totp_secret_base32, operator_id));
  tx.commit();
  return !rows.empty();
}

void OperatorDirectory::unlock(const std::string& operator_id) {
  pqxx::work tx{connection_};
  tx.exec_params(
      "UPDATE operators SET locked = false, failures = 0, retry_after_us = NULL WHERE operator_id = $1",
      operator_id);
  tx.commit();
}

}  // namespace portcullis::storage
