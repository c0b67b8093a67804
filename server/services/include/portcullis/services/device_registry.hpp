#pragma once
// Who may post events: devices known by a token hash or by a client certificate name.
// Read on every request from the network threads, replaced whole when devices change.
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "portcullis/http/http_types.hpp"

namespace portcullis::services {

struct KnownDevice {
  std::string device_id;
  std::string kind;
  std::string token_sha256_hex;  // empty: certificate only
  bool enabled = true;
};

struct DeviceAuthFailure {
  int status = 401;
  std::string reason;
  std::string claimed_device;  // what the request said it was, for the security record
};

class DeviceRegistry {
 public:
  void replace(std::vector<KnownDevice> devices);
  [[nodiscard]] std::size_t size() const;
  // The enabled device a request speaks for (token hash or verified certificate), if any.
  [[nodiscard]] std::optional<std::string> identify(const std::string& token_hash,
                                                    const std::optional<std::string>& certificate_cn) const;

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, KnownDevice> by_token_hash_;
  std::unordered_map<std::string, KnownDevice> by_id_;
};

[[nodiscard]] std::string sha256_hex(const std::string& data);
// 32 random bytes, base64url without padding: the device token handed out once at enrolment.
[[nodiscard]] std::string new_device_token();

}  // namespace portcullis::services
