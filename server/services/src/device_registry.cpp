#include "portcullis/services/device_registry.hpp"

#include "portcullis/operators/crypto/digest.hpp"
#include "portcullis/util/random_token.hpp"

#include <stdexcept>
#include <variant>

namespace portcullis::services {

std::string sha256_hex(const std::string& data) {
  return operators::crypto::sha256_hex(data);
}

std::string new_device_token() {
  return "pcd_" + util::random_token();
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

}  // namespace portcullis::services
