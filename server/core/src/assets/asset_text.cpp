#include "portcullis/core/assets/asset_text.hpp"

#include <cstddef>

namespace portcullis::core {
namespace {

constexpr std::string_view kKinds[] = {"gpu_server", "storage_drive", "hsm", "network_device", "other"};
constexpr std::string_view kLifecycles[] = {"received", "in_service", "maintenance", "decommissioning",
                                            "wiped",    "destroyed",  "disposed"};

bool all_digits(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool hex_digit(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// GS1 TDS "GS1 AI encodable character set 82" as it appears in a pure-identity URN (with %hh escapes).
bool urn_safe(std::string_view s, std::size_t max) noexcept {
  if (s.empty()) return false;
  std::size_t length = 0;
  for (std::size_t i = 0; i < s.size(); ++i, ++length) {
    const char c = s[i];
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (alnum || std::string_view{"-_.!'()*+,:;="}.find(c) != std::string_view::npos) continue;
    if (c == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) && hex_digit(s[i + 2])) {
      i += 2;
      continue;
    }
    return false;
  }
  return length <= max;
}

}  // namespace

std::string_view to_string(AssetKind k) noexcept {
  const auto i = static_cast<std::size_t>(k);
  return i < std::size(kKinds) ? kKinds[i] : "other";
}

std::optional<AssetKind> asset_kind_from(std::string_view s) noexcept {
  for (std::size_t i = 0; i < std::size(kKinds); ++i) {
    if (kKinds[i] == s) return static_cast<AssetKind>(i);
  }
  return std::nullopt;
}

std::string_view to_string(AssetLifecycle l) noexcept {
  const auto i = static_cast<std::size_t>(l);
  return i < std::size(kLifecycles) ? kLifecycles[i] : "received";
}

std::optional<AssetLifecycle> asset_lifecycle_from(std::string_view s) noexcept {
  for (std::size_t i = 0; i < std::size(kLifecycles); ++i) {
    if (kLifecycles[i] == s) return static_cast<AssetLifecycle>(i);
  }
  return std::nullopt;
}

bool is_valid_epc(std::string_view epc) noexcept {
  constexpr std::string_view kGiai = "urn:epc:id:giai:";
  constexpr std::string_view kSgtin = "urn:epc:id:sgtin:";
  if (epc.starts_with(kGiai)) {
    const std::string_view rest = epc.substr(kGiai.size());
    const auto dot = rest.find('.');
    if (dot == std::string_view::npos) return false;
    const std::string_view company = rest.substr(0, dot);
    if (!all_digits(company) || company.size() < 6 || company.size() > 12) return false;
    // The GIAI (company prefix + asset reference) has at most 30 characters.
    return urn_safe(rest.substr(dot + 1), 30 - company.size());
  }
  if (epc.starts_with(kSgtin)) {
    const std::string_view rest = epc.substr(kSgtin.size());
    const auto dot1 = rest.find('.');
    if (dot1 == std::string_view::npos) return false;
    const auto dot2 = rest.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos) return false;
    const std::string_view company = rest.substr(0, dot1);
    const std::string_view item = rest.substr(dot1 + 1, dot2 - dot1 - 1);
    if (!all_digits(company) || company.size() < 6 || company.size() > 12) return false;
    if ((!item.empty() && !all_digits(item)) || company.size() + item.size() != 13) return false;
    return urn_safe(rest.substr(dot2 + 1), 20);
  }
  return false;
}

bool is_sha256_hex(std::string_view s) noexcept {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace portcullis::core
