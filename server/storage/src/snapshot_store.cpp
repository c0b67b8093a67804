#include "portcullis/storage/snapshot_store.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <pqxx/pqxx>

#include "portcullis/util/hex.hpp"

namespace portcullis::storage {
namespace {

std::string hex(const std::string& bytes) {
  return util::hex_encode(std::string_view{bytes});
}

std::string hex(const std::array<std::uint8_t, 32>& bytes) {
  return util::hex_encode(std::span<const std::uint8_t>{bytes.data(), bytes.size()});
}

std::optional<std::array<std::uint8_t, 32>> hash_of(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  const pqxx::binarystring bytes{field};
  if (bytes.size() != 32) return std::nullopt;
  std::array<std::uint8_t, 32> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = bytes[i];
  return out;
}

// Length-prefixed, so no two different rows give the same input.
void append_field(std::string& out, const std::string& value) {
  const auto size = value.size();
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((size >> (8 * i)) & 0xFFU));
  out += value;
}

}  // namespace

SnapshotStore::SnapshotStore(std::string database, std::string site_id, std::string key)
    : database_(std::move(database)), site_id_(std::move(site_id)), key_(std::move(key)) {}

std::string SnapshotStore::digest_of(const SnapshotHeader& header, const std::string& body) const {
  std::string input = "portcullis-engine-snapshot-v1";
  append_field(input, site_id_);
  append_field(input, std::to_string(header.site_seq));
  append_field(input, hex(header.chain_hash));
  append_field(input, std::to_string(header.format_version));
  append_field(input, header.site_version_hash);
  append_field(input, body);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (key_.empty()) {
    EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(), nullptr);
  } else {
    HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest, &length);
  }
  return std::string(reinterpret_cast<const char*>(digest), length);
}

void SnapshotStore::write(const SnapshotHeader& header, const std::string& body, std::size_t keep) {
  pqxx::connection connection{database_};
  pqxx::work tx{connection};
  tx.exec_params(
      "INSERT INTO engine_snapshots (site_id, site_seq, chain_hash, format_version, site_version_hash, body, "
      "digest) VALUES ($1, $2, decode($3, 'hex'), $4, $5, decode($6, 'hex'), decode($7, 'hex')) "
      "ON CONFLICT (site_id, site_seq) DO NOTHING",
      site_id_, header.site_seq, hex(header.chain_hash), static_cast<std::int64_t>(header.format_version),
      header.site_version_hash, hex(body), hex(digest_of(header, body)));
  tx.exec_params(
      "DELETE FROM engine_snapshots WHERE site_id = $1 AND site_seq NOT IN (SELECT site_seq FROM "
      "engine_snapshots WHERE site_id = $1 ORDER BY site_seq DESC LIMIT $2)",
      site_id_, static_cast<std::int64_t>(keep));
  tx.commit();
}

std::vector<SnapshotHeader> SnapshotStore::newest(std::size_t limit) {
  pqxx::connection connection{database_};
  pqxx::read_transaction tx{connection};
  const auto rows = tx.exec_params(
      "SELECT s.site_seq, s.chain_hash, s.format_version, s.site_version_hash, e.hash FROM engine_snapshots "
      "s "
      "LEFT JOIN events e ON e.site_id = s.site_id AND e.site_seq = s.site_seq WHERE s.site_id = $1 "
      "ORDER BY s.site_seq DESC LIMIT $2",
      site_id_, static_cast<std::int64_t>(limit));
  std::vector<SnapshotHeader> out;
  for (const auto& row : rows) {
    SnapshotHeader h;
    h.site_seq = row[0].as<std::int64_t>();
    h.chain_hash = hash_of(row[1]).value_or(std::array<std::uint8_t, 32>{});
    h.format_version = static_cast<std::uint32_t>(row[2].as<std::int64_t>());
    h.site_version_hash = row[3].as<std::string>();
    h.chain_row_hash = hash_of(row[4]);
    out.push_back(std::move(h));
  }
  return out;
}

std::optional<SnapshotBody> SnapshotStore::read_body(const SnapshotHeader& header) {
  pqxx::connection connection{database_};
  pqxx::read_transaction tx{connection};
  const auto rows =
      tx.exec_params("SELECT body, digest FROM engine_snapshots WHERE site_id = $1 AND site_seq = $2",
                     site_id_, header.site_seq);
  if (rows.empty()) return std::nullopt;
  SnapshotBody out;
  out.body = pqxx::binarystring{rows[0][0]}.str();
  const auto stored_digest = pqxx::binarystring{rows[0][1]}.str();
  out.digest_matches = stored_digest == digest_of(header, out.body);
  return out;
}

}  // namespace portcullis::storage
