#include "portcullis/storage/site_versions.hpp"
#include "portcullis/util/hex.hpp"

#include <openssl/evp.h>
#include <pqxx/pqxx>

#include <array>
#include <stdexcept>

namespace portcullis::storage {

std::string site_content_hash_hex(std::string_view content) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(content.data(), content.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  return util::hex_encode(std::span<const std::uint8_t>{digest.data(), length});
}

std::optional<std::string> latest_site_hash(pqxx::connection& connection, const std::string& site_id) {
  pqxx::read_transaction tx{connection};
  const auto rows = tx.exec_params(
      "SELECT encode(content_hash, 'hex') FROM site_versions WHERE site_id = $1 ORDER BY loaded_us DESC "
      "LIMIT 1",
      site_id);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

bool store_site_version(pqxx::work& tx, const SiteVersion& v) {
  const auto rows = tx.exec_params(
      "INSERT INTO site_versions (site_id, content_hash, version, content, loaded_us, loaded_by)"
      " VALUES ($1, decode($2, 'hex'), $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING 1",
      v.site_id, v.content_hash_hex, v.version, v.content, v.loaded_us, v.loaded_by);
  return !rows.empty();
}

bool store_site_version(pqxx::connection& connection, const SiteVersion& v) {
  pqxx::work tx{connection};
  const bool stored = store_site_version(tx, v);
  tx.commit();
  return stored;
}

SiteVersionRead read_site_version(pqxx::connection& connection, const std::string& site_id,
                                  const std::string& content_hash_hex) {
  pqxx::read_transaction tx{connection};
  const auto rows = tx.exec_params(
      "SELECT content FROM site_versions WHERE site_id = $1 AND content_hash = decode($2, 'hex')", site_id,
      content_hash_hex);
  SiteVersionRead read;
  if (rows.empty()) return read;
  auto content = rows[0][0].as<std::string>();
  const auto actual = site_content_hash_hex(content);
  if (actual != content_hash_hex) {
    read.status = SiteVersionRead::Status::ContentMismatch;
    read.content_hash_hex = actual;
    return read;
  }
  read.status = SiteVersionRead::Status::Verified;
  read.content = std::move(content);
  read.content_hash_hex = actual;
  return read;
}

}  // namespace portcullis::storage
