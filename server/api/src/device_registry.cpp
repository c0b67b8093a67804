#include "portcullis/api/device_registry.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <variant>

namespace portcullis::api {

std::string sha256_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4U];
    out += hex[digest[i] & 0x0FU];
  }
  return out;
}

std::string new_device_token() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no secure randomness available");
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned int acc = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    acc = (acc << 8U) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += alphabet[(acc >> static_cast<unsigned>(bits)) & 0x3FU];
    }
  }
  if (bits > 0) out += alphabet[(acc << static_cast<unsigned>(6 - bits)) & 0x3FU];
  return "pcd_" + out;
}

void DeviceRegistry::replace(std::vector<KnownDevice> devices) {
  std::unordered_map<std::string, KnownDevice> by_hash, by_id;
  for (auto& d : devices) {
    if (!d.token_sha256_hex.empty()) by_hash[d.token_sha256_hex] = d;
    by_id[d.device_id] = std::move(d);
  }
  std::unique_lock lock{mutex_};
  by_token_hash_ = std::move(by_hash);
  by_id_ = std::move(by_id);
}

std::optional<std::string> DeviceRegistry::identify(const std::string& token_hash,
                                                    const std::optional<std::string>& certificate_cn) const {
  std::shared_lock lock{mutex_};
  if (!token_hash.empty()) {
    auto it = by_token_hash_.find(token_hash);
    if (it != by_token_hash_.end() && it->second.enabled) return it->second.device_id;
    return std::nullopt;
  }
  if (certificate_cn) {
    auto it = by_id_.find(*certificate_cn);
    if (it != by_id_.end() && it->second.enabled) return it->second.device_id;
  }
  return std::nullopt;
}

std::size_t DeviceRegistry::size() const {
  std::shared_lock lock{mutex_};
  return by_id_.size();
}

std::variant<std::string, DeviceAuthFailure> DeviceRegistry::authenticate(
    const http::HttpRequest& request) const {
  if (const auto* auth = request.header("authorization")) {
    constexpr std::string_view prefix = "Bearer ";
    if (auth->size() <= prefix.size() || auth->compare(0, prefix.size(), prefix) != 0) {
      return DeviceAuthFailure{401, "the Authorization header must be 'Bearer <device token>'", ""};
    }
    const auto hash = sha256_hex(auth->substr(prefix.size()));
    std::shared_lock lock{mutex_};
    auto it = by_token_hash_.find(hash);
    if (it == by_token_hash_.end()) return DeviceAuthFailure{401, "unknown device token", ""};
    if (!it->second.enabled) return DeviceAuthFailure{401, "device is disabled", it->second.device_id};
    return it->second.device_id;
  }
  if (request.client_certificate_cn) {
    std::shared_lock lock{mutex_};
    auto it = by_id_.find(*request.client_certificate_cn);
    if (it == by_id_.end()) {
      return DeviceAuthFailure{401, "client certificate names an unknown device",
                               *request.client_certificate_cn};
    }
    if (!it->second.enabled) return DeviceAuthFailure{401, "device is disabled", it->second.device_id};
    return it->second.device_id;
  }
  return DeviceAuthFailure{401, "device credential required: a bearer token or a client certificate", ""};
}

}  // namespace portcullis::api
