#include "portcullis/ledger/event_record.hpp"

#include "portcullis/core/text/utf8.hpp"
#include "portcullis/util/hex.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace portcullis::ledger {
namespace {

void put_field(std::string& out, const std::string& value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += ',';
}
void put_null(std::string& out) {
  out += "-,";
}
template <class T>
void put_optional(std::string& out, const std::optional<T>& value) {
  if (!value) return put_null(out);
  if constexpr (std::is_same_v<T, std::string>) {
    put_field(out, *value);
  } else {
    put_field(out, std::to_string(*value));
  }
}

}  // namespace

const char* to_string(Source s) noexcept {
  switch (s) {
    case Source::Device: return "device";
    case Source::Server: return "server";
    case Source::Operator: return "operator";
  }
  return "server";
}

std::optional<Source> source_from_string(const std::string& s) noexcept {
  if (s == "device") return Source::Device;
  if (s == "server") return Source::Server;
  if (s == "operator") return Source::Operator;
  return std::nullopt;
}

std::string canonical_bytes(const EventRecord& r) {
  std::string out;
  out.reserve(128 + r.payload.size() + r.outcome.size());
  put_field(out, "portcullis-event-v1");
  put_field(out, r.site_id);
  put_field(out, std::to_string(r.site_seq));
  put_field(out, to_string(r.source));
  put_optional(out, r.device_id);
  put_optional(out, r.device_seq);
  put_field(out, r.type);
  put_optional(out, r.device_time_us);
  put_field(out, std::to_string(r.received_us));
  put_field(out, r.payload);
  put_field(out, r.outcome);
  return out;
}

Hash chain_hash(const Hash& prev_hash, const EventRecord& record) {
  const std::string bytes = canonical_bytes(record);
  Hash out{};
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) throw std::runtime_error("EVP_MD_CTX_new failed");
  const bool ok = EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, prev_hash.data(), prev_hash.size()) == 1 &&
                  EVP_DigestUpdate(ctx, bytes.data(), bytes.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, out.data(), &len) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || len != out.size()) throw std::runtime_error("SHA-256 failed");
  return out;
}

void make_storable(EventRecord& record) {
  const auto fix = [](std::string& text) {
    if (!core::text::is_storable_text(text)) text = core::text::to_storable_text(text);
  };
  fix(record.site_id);
  if (record.device_id) fix(*record.device_id);
  fix(record.type);
  fix(record.payload);
  fix(record.outcome);
}

const Hash& seal(EventRecord& record, const Hash& prev_hash) {
  make_storable(record);
  record.prev_hash = prev_hash;
  record.hash = chain_hash(prev_hash, record);
  return record.hash;
}

std::string to_hex(const Hash& hash) {
  return util::hex_encode(hash);
}

std::optional<Hash> hash_from_bytes(const std::string& bytes) {
  if (bytes.size() != 32) return std::nullopt;
  Hash h{};
  for (std::size_t i = 0; i < 32; ++i) h[i] = static_cast<std::uint8_t>(bytes[i]);
  return h;
}

}  // namespace portcullis::ledger
