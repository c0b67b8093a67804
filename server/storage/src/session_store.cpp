#include "portcullis/storage/session_store.hpp"

#include <pqxx/pqxx>

namespace portcullis::storage {

SessionStore::SessionStore(pqxx::connection& connection) : connection_(connection) {}

void SessionStore::insert(const SessionRow& s) {
  pqxx::work tx{connection_};
  const std::optional<std::string> person =
      s.person_id.empty() ? std::nullopt : std::optional<std::string>{s.person_id};
  tx.exec_params(
      "INSERT INTO operator_sessions (token_hash, operator_id, role, person_id, created_us, last_activity_us,"
      " expires_us) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      s.token_hash, s.operator_id, s.role, person, s.created_us, s.last_activity_us, s.expires_us);
  tx.commit();
}

std::vector<SessionRow> SessionStore::unexpired(std::int64_t now_us) {
  pqxx::read_transaction tx{connection_};
  std::vector<SessionRow> out;
  for (const auto& r : tx.exec_params(
           "SELECT token_hash, operator_id, role, coalesce(person_id, ''), created_us, last_activity_us,"
           " expires_us, ended_us, coalesce(end_reason, '') FROM operator_sessions WHERE expires_us > $1",
           now_us)) {
    SessionRow s;
    s.token_hash = r[0].as<std::string>();
    s.operator_id = r[1].as<std::string>();
    s.role = r[2].as<std::string>();
    s.person_id = r[3].as<std::string>();
    s.created_us = r[4].as<std::int64_t>();
    s.last_activity_us = r[5].as<std::int64_t>();
    s.expires_us = r[6].as<std::int64_t>();
    if (!r[7].is_null()) s.ended_us = r[7].as<std::int64_t>();
    s.end_reason = r[8].as<std::string>();
    out.push_back(std::move(s));
  }
  return out;
}

bool SessionStore::end(const std::string& token_hash, std::int64_t ended_us, const std::string& reason) {
  pqxx::work tx{connection_};
  const auto rows = tx.exec_params(
      "UPDATE operator_sessions SET ended_us = $2, end_reason = $3 WHERE token_hash = $1 AND ended_us IS NULL"
      " RETURNING 1",
      token_hash, ended_us, reason);
  tx.commit();
  return !rows.empty();
}

std::size_t SessionStore::end_all_for_operator(const std::string& operator_id, std::int64_t ended_us,
                                               const std::string& reason) {
  pqxx::work tx{connection_};
  const auto rows = tx.exec_params(
      "UPDATE operator_sessions SET ended_us = $2, end_reason = $3 WHERE operator_id = $1 AND ended_us IS "
      "NULL"
      " RETURNING 1",
      operator_id, ended_us, reason);
  tx.commit();
  return rows.size();
}

void SessionStore::record_activity(const std::vector<std::pair<std::string, std::int64_t>>& activity) {
  if (activity.empty()) return;
  pqxx::work tx{connection_};
  for (const auto& [token_hash, at] : activity) {
    tx.exec_params(
        "UPDATE operator_sessions SET last_activity_us = greatest(last_activity_us, $2) WHERE token_hash = "
        "$1",
        token_hash, at);
  }
  tx.commit();
}

std::size_t SessionStore::delete_expired(std::int64_t now_us) {
  pqxx::work tx{connection_};
  const auto rows =
      tx.exec_params("DELETE FROM operator_sessions WHERE expires_us <= $1 RETURNING 1", now_us);
  tx.commit();
  return rows.size();
}

}  // namespace portcullis::storage
