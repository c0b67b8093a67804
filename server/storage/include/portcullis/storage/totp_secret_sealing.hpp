#pragma once
// Sealing the TOTP secrets still stored in clear, on a connection the caller holds: storage's own code
// (daemon_queries) and the tests that tamper with the operators table use it. Code outside server/storage/
// calls seal_clear_totp_secrets_in() (daemon_queries.hpp), which opens its own connection.
#include <pqxx/connection>

#include <cstddef>

namespace portcullis::storage {

// Seals every operator's TOTP secret still stored in clear; returns how many. Needs use_totp_secret_box()
// (secret_box.hpp).
std::size_t seal_clear_totp_secrets(pqxx::connection& connection);

}  // namespace portcullis::storage
