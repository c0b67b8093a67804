#include "portcullis/core/assets/asset_text.hpp"

#include <string>
#include <vector>

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

namespace {

std::string percent_decoded(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// GS1 check digit of the first 13 digits of a GTIN-14.
char gtin_check_digit(std::string_view first13) {
  int sum = 0;
  for (std::size_t i = 0; i < first13.size(); ++i) {
    const int digit = first13[i] - '0';
    sum += (i % 2 == 0) ? digit * 3 : digit;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

// The path segments of a Digital Link URI after its host, without query or fragment.
std::vector<std::string_view> digital_link_segments(std::string_view uri) {
  std::vector<std::string_view> out;
  const auto scheme = uri.find("://");
  if (scheme == std::string_view::npos) return out;
  auto path_start = uri.find('/', scheme + 3);
  if (path_start == std::string_view::npos) return out;
  auto path = uri.substr(path_start + 1);
  path = path.substr(0, path.find_first_of("?#"));
  while (!path.empty()) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace

std::string epc_key(std::string_view epc) {
  constexpr std::string_view kGiai = "urn:epc:id:giai:";
  constexpr std::string_view kSgtin = "urn:epc:id:sgtin:";
  if (epc.starts_with(kGiai)) {
    const auto rest = epc.substr(kGiai.size());
    const auto dot = rest.find('.');
    if (dot == std::string_view::npos) return std::string(epc);
    return "8004/" + std::string(rest.substr(0, dot)) + percent_decoded(rest.substr(dot + 1));
  }
  if (epc.starts_with(kSgtin)) {
    const auto rest = epc.substr(kSgtin.size());
    const auto dot1 = rest.find('.');
    const auto dot2 = dot1 == std::string_view::npos ? dot1 : rest.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || dot2 == dot1 + 1) return std::string(epc);
    const auto company = rest.substr(0, dot1);
    const auto item = rest.substr(dot1 + 1, dot2 - dot1 - 1);  // indicator digit, then the item reference
    std::string first13 = std::string(item.substr(0, 1)) + std::string(company) + std::string(item.substr(1));
    if (first13.size() != 13 || !all_digits(first13)) return std::string(epc);
    return "01/" + first13 + gtin_check_digit(first13) + "/21/" + percent_decoded(rest.substr(dot2 + 1));
  }
  if (epc.starts_with("https://") || epc.starts_with("http://")) {
    const auto segments = digital_link_segments(epc);
    for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
      if (segments[i] == "8004") return "8004/" + percent_decoded(segments[i + 1]);
      if (segments[i] == "01" && i + 3 < segments.size() && segments[i + 2] == "21") {
        std::string gtin{segments[i + 1]};
        if (!all_digits(gtin) || gtin.size() > 14) break;
        gtin.insert(0, 14 - gtin.size(), '0');
        return "01/" + gtin + "/21/" + percent_decoded(segments[i + 3]);
      }
    }
  }
  return std::string(epc);
}

bool is_sha256_hex(std::string_view s) noexcept {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace portcullis::core
