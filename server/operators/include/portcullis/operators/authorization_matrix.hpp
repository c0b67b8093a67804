#pragma once
// The authorization matrix is data: one row per (method, route pattern) saying who may call it.
// The HTTP layer looks up the pattern its router matched and asks authorize(); anything not in the
// table is denied. The table is the contract the HTTP-level matrix test walks.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "portcullis/operators/principal.hpp"

namespace portcullis::operators {

enum class Method : std::uint8_t { Get, Post, Put, Delete };

inline constexpr Method kAllMethods[] = {Method::Get, Method::Post, Method::Put, Method::Delete};

[[nodiscard]] std::string_view to_string(Method m) noexcept;
[[nodiscard]] std::optional<Method> parse_method(std::string_view text) noexcept;

// Who may call one route. `open_to_anyone` admits callers without any credential (and therefore
// everyone else too); otherwise a caller must be a device (if `devices`) or an operator whose role
// is in `roles`.
struct RouteRule {
  Method method;
  std::string_view pattern;  // segments in braces are placeholders: /api/v1/people/{id}
  bool open_to_anyone = false;
  bool devices = false;
  RoleSet roles;
  bool scrapers = false;  // also open to a metrics scraper's token
};

[[nodiscard]] std::span<const RouteRule> authorization_matrix() noexcept;

enum class DenyReason : std::uint8_t {
  UnknownRoute,            // not in the table: default deny (the HTTP layer answers 404)
  AuthenticationRequired,  // no credential on a protected route (401)
  RoleNotAllowed,          // an operator whose role is not listed (403)
  DevicesNotAllowed,       // a device calling an operator route (403)
  OperatorsNotAllowed,     // an operator calling a device-only route (403)
  ScrapersNotAllowed,      // a metrics scrape token on anything but /metrics (403)
};

[[nodiscard]] std::string_view to_string(DenyReason r) noexcept;

// The status every route answers a denial with, so the HTTP layer and its matrix test agree:
// 404 for routes not in the table, 401 without a credential, 403 for the wrong principal.
[[nodiscard]] int http_status_for(DenyReason r) noexcept;

struct AuthorizationResult {
  bool allowed = false;
  std::optional<DenyReason> reason;  // set when denied

  static AuthorizationResult allow() { return {true, std::nullopt}; }
  static AuthorizationResult deny(DenyReason r) { return {false, r}; }
  explicit operator bool() const noexcept { return allowed; }
};

// `route_pattern` is the pattern exactly as written in the table, not a concrete path.
[[nodiscard]] AuthorizationResult authorize(const Principal& principal, Method method,
                                            std::string_view route_pattern) noexcept;

// Finds the table pattern a concrete path (no query string) matches, for routers that do not
// carry patterns themselves and for tests. A placeholder matches exactly one non-empty segment.
[[nodiscard]] std::optional<std::string_view> find_route_pattern(Method method,
                                                                 std::string_view path) noexcept;

[[nodiscard]] bool path_matches_pattern(std::string_view path, std::string_view pattern) noexcept;

// A concrete path for a pattern, every placeholder replaced by `value`: for tests that walk the table.
[[nodiscard]] std::string fill_placeholders(std::string_view pattern, std::string_view value);

}  // namespace portcullis::operators
