#include "portcullis/operators/authorization_matrix.hpp"

#include <array>

namespace portcullis::operators {
namespace {

constexpr RoleSet kEveryOperator = RoleSet::all_operators();
constexpr RoleSet kAdmin{Role::Admin};
constexpr RoleSet kSupervisorAdmin{Role::Supervisor, Role::Admin};
// People who act on the floor; auditors read, they never act.
constexpr RoleSet kFloor{Role::Guard, Role::Supervisor, Role::Admin};
constexpr RoleSet kAuditAdmin{Role::Auditor, Role::Admin};
// Supervisors must find the person they revoke; auditors cross-check people against leavers.
constexpr RoleSet kPeopleReaders{Role::Supervisor, Role::Auditor, Role::Admin};

constexpr RouteRule anyone(Method m, std::string_view p) {
  return {m, p, true, false, {}};
}
constexpr RouteRule device_only(Method m, std::string_view p) {
  return {m, p, false, true, {}};
}
constexpr RouteRule operators(Method m, std::string_view p, RoleSet r) {
  return {m, p, false, false, r};
}
constexpr RouteRule operators_and_scrapers(Method m, std::string_view p, RoleSet r) {
  return {m, p, false, false, r, true};
}

using enum Method;

constexpr std::array kMatrix{
    // Devices: post events, read and answer their own commands. Nothing else.
    device_only(Post, "/api/v1/events"),
    device_only(Post, "/api/v1/rfid/reads"),
    // GS1 EPCIS 2.0 capture from RFID systems (they are devices).
    device_only(Post, "/epcis/capture"),
    device_only(Post, "/epcis/events"),
    device_only(Get, "/api/v1/devices/me/commands"),
    device_only(Post, "/api/v1/devices/me/commands/{id}/result"),

    // Without credentials: liveness and the login itself. Nothing that changes state.
    anyone(Get, "/api/v1/health"),
    anyone(Post, "/api/v1/auth/login"),
    // For load balancers and systemd: alive, and ready to take device events (docs/operations.md).
    anyone(Get, "/health/live"),
    anyone(Get, "/health/ready"),
    // A new password, checked like a sign-in (password and code): the only use of a one-time password.
    anyone(Post, "/api/v1/auth/password"),
    // Metrics reveal event rates, connected consoles and alarm counts: reconnaissance material in a
    // high-security site, so not public. Prometheus scrapes with a token of its own that opens nothing else
    // (config `metrics_token_sha256`, docs/operations.md); admins may read them too.
    operators_and_scrapers(Get, "/metrics", kAdmin),

    operators(Post, "/api/v1/auth/logout", kEveryOperator),
    operators(Get, "/api/v1/stream", kEveryOperator),
    operators(Get, "/api/v1/site", kEveryOperator),
    operators(Put, "/api/v1/site", kAdmin),

    operators(Get, "/api/v1/people", kPeopleReaders),
    operators(Post, "/api/v1/people", kAdmin),
    operators(Put, "/api/v1/people/{id}", kAdmin),
    operators(Delete, "/api/v1/people/{id}", kAdmin),
    // Revocation is fast and safe (it only takes access away), so supervisors may do it at night.
    operators(Post, "/api/v1/people/{id}/revoke", kSupervisorAdmin),
    operators(Post, "/api/v1/credentials/{id}/revoke", kSupervisorAdmin),

    operators(Post, "/api/v1/grants", kAdmin),
    operators(Post, "/api/v1/grants/{id}/revoke", kSupervisorAdmin),
    // Day-to-day admin changes. Undoing a revocation gives access back, so it is admin-only like
    // granting; people are never deleted (history refers to them), DELETE answers how to revoke instead.
    operators(Post, "/api/v1/people/{id}/restore", kAdmin),
    operators(Post, "/api/v1/people/{id}/credentials", kAdmin),
    operators(Delete, "/api/v1/people/{id}/credentials/{credential}", kAdmin),
    operators(Put, "/api/v1/people/{id}/pin", kAdmin),
    operators(Delete, "/api/v1/people/{id}/pin", kAdmin),
    operators(Post, "/api/v1/credentials/{id}/restore", kAdmin),
    operators(Delete, "/api/v1/grants/{id}", kAdmin),
    operators(Post, "/api/v1/grants/{id}/restore", kAdmin),
    operators(Post, "/api/v1/groups/{id}/members", kAdmin),
    operators(Delete, "/api/v1/groups/{id}/members/{person}", kAdmin),
    operators(Post, "/api/v1/jit-requests", kFloor),
    operators(Post, "/api/v1/jit-requests/{id}/approve", kSupervisorAdmin),

    operators(Get, "/api/v1/alarms", kEveryOperator),
    operators(Post, "/api/v1/alarms/{id}/acknowledge", kFloor),
    operators(Post, "/api/v1/alarms/{id}/resolve", kFloor),

    operators(Post, "/api/v1/commands", kFloor),
    // The requester may amend a command still waiting for approval; doing so voids the approval.
    operators(Put, "/api/v1/commands/{id}", kFloor),
    operators(Post, "/api/v1/approvals/{id}/approve", kSupervisorAdmin),
    operators(Post, "/api/v1/presence/{person}/forgive", kSupervisorAdmin),
    operators(Post, "/api/v1/lockdown", kSupervisorAdmin),
    operators(Post, "/api/v1/lockdown/release", kSupervisorAdmin),
    // Raising the threat level only tightens access; a supervisor may do it at night like a lockdown.
    operators(Post, "/api/v1/threat-level", kSupervisorAdmin),
    // A supervisor lets one person through a two-person door or a lockdown: its own audited decision.
    operators(Post, "/api/v1/overrides", kSupervisorAdmin),
    // A fire state no panel clears: a supervisor asks, another person on the floor (a guard who has walked
    // the zone will do) confirms.
    operators(Post, "/api/v1/fire/clear", kSupervisorAdmin),
    operators(Post, "/api/v1/fire/clear/{id}/confirm", kFloor),

    // Assets: everyone on duty sees where assets are; the registry is the admin's; lifecycle and
    // disposal evidence need a supervisor; anyone on the floor requests a move or checks a seal, and
    // fitting a seal needs the fitter and a witness (checked by the asset book).
    operators(Get, "/api/v1/assets", kEveryOperator),
    operators(Get, "/api/v1/assets/{id}", kEveryOperator),
    operators(Post, "/api/v1/assets", kAdmin),
    operators(Put, "/api/v1/assets/{id}", kAdmin),
    operators(Post, "/api/v1/assets/{id}/lifecycle", kSupervisorAdmin),
    operators(Post, "/api/v1/assets/{id}/wipe", kSupervisorAdmin),
    operators(Post, "/api/v1/assets/{id}/destruction", kSupervisorAdmin),
    operators(Post, "/api/v1/assets/{id}/disposal", kSupervisorAdmin),
    operators(Post, "/api/v1/move-orders", kFloor),
    operators(Post, "/api/v1/move-orders/{id}/approve", kSupervisorAdmin),
    operators(Post, "/api/v1/seals", kFloor),
    operators(Post, "/api/v1/seals/{id}/check", kFloor),

    operators(Get, "/api/v1/reports/{report}", kAuditAdmin),
    // Auditor routes: reports, signed evidence exports, chain status. Reading history is itself
    // recorded in the event log; auditors read, they never act.
    operators(Get, "/api/v1/audit/reports", kAuditAdmin),
    operators(Get, "/api/v1/audit/reports/{report}", kAuditAdmin),
    operators(Post, "/api/v1/audit/exports/{report}", kAuditAdmin),
    operators(Get, "/api/v1/audit/exports/{name}", kAuditAdmin),
    operators(Get, "/api/v1/audit/chain", kAuditAdmin),

    // Operator lifecycle: a change to an account that approves waits for another admin
    // (operator_lifecycle.hpp).
    operators(Post, "/api/v1/operators", kAdmin),
    operators(Post, "/api/v1/operators/{id}/disable", kAdmin),
    operators(Post, "/api/v1/operators/{id}/enable", kAdmin),
    operators(Post, "/api/v1/operators/{id}/password-reset", kAdmin),
    operators(Post, "/api/v1/operators/{id}/totp-reset", kAdmin),
    // Lifts a lockout after repeated failed logins; nobody else can (see login_throttle.hpp).
    operators(Post, "/api/v1/operators/{id}/unlock", kAdmin),
};

const RouteRule* find_rule(Method method, std::string_view pattern) noexcept {
  for (const RouteRule& rule : kMatrix) {
    if (rule.method == method && rule.pattern == pattern) return &rule;
  }
  return nullptr;
}

bool is_placeholder(std::string_view segment) noexcept {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// Walks '/'-separated segments; an empty trailing segment ("/site/") is a segment of its own, so
// a trailing slash never matches a pattern without one.
class SegmentCursor {
 public:
  explicit SegmentCursor(std::string_view text) noexcept : rest_(text) {}
  [[nodiscard]] bool done() const noexcept { return done_; }
  std::string_view next() noexcept {
    const auto slash = rest_.find('/');
    const std::string_view segment = rest_.substr(0, slash);
    if (slash == std::string_view::npos) {
      done_ = true;
      rest_ = {};
    } else {
      rest_ = rest_.substr(slash + 1);
    }
    return segment;
  }

 private:
  std::string_view rest_;
  bool done_ = false;
};

}  // namespace

std::string_view to_string(Method m) noexcept {
  switch (m) {
    case Method::Get: return "GET";
    case Method::Post: return "POST";
    case Method::Put: return "PUT";
    case Method::Delete: return "DELETE";
  }
  return "UNKNOWN";
}

std::optional<Method> parse_method(std::string_view text) noexcept {
  for (Method m : kAllMethods) {
    if (to_string(m) == text) return m;
  }
  return std::nullopt;
}

std::string_view to_string(DenyReason r) noexcept {
  switch (r) {
    case DenyReason::UnknownRoute: return "unknown_route";
    case DenyReason::AuthenticationRequired: return "authentication_required";
    case DenyReason::RoleNotAllowed: return "role_not_allowed";
    case DenyReason::DevicesNotAllowed: return "devices_not_allowed";
    case DenyReason::OperatorsNotAllowed: return "operators_not_allowed";
    case DenyReason::ScrapersNotAllowed: return "scrapers_not_allowed";
  }
  return "unknown";
}

int http_status_for(DenyReason r) noexcept {
  switch (r) {
    case DenyReason::UnknownRoute: return 404;
    case DenyReason::AuthenticationRequired: return 401;
    case DenyReason::RoleNotAllowed:
    case DenyReason::DevicesNotAllowed:
    case DenyReason::OperatorsNotAllowed:
    case DenyReason::ScrapersNotAllowed: return 403;
  }
  return 403;
}

std::span<const RouteRule> authorization_matrix() noexcept {
  return kMatrix;
}

AuthorizationResult authorize(const Principal& principal, Method method,
                              std::string_view route_pattern) noexcept {
  const RouteRule* rule = find_rule(method, route_pattern);
  if (rule == nullptr) return AuthorizationResult::deny(DenyReason::UnknownRoute);
  if (rule->open_to_anyone) return AuthorizationResult::allow();
  switch (principal.kind) {
    case PrincipalKind::Anonymous: return AuthorizationResult::deny(DenyReason::AuthenticationRequired);
    case PrincipalKind::Device:
      return rule->devices ? AuthorizationResult::allow()
                           : AuthorizationResult::deny(DenyReason::DevicesNotAllowed);
    case PrincipalKind::MetricsScraper:
      return rule->scrapers ? AuthorizationResult::allow()
                            : AuthorizationResult::deny(DenyReason::ScrapersNotAllowed);
    case PrincipalKind::Operator:
      if (principal.has_role_in(rule->roles)) return AuthorizationResult::allow();
      return AuthorizationResult::deny(rule->roles.empty() ? DenyReason::OperatorsNotAllowed
                                                           : DenyReason::RoleNotAllowed);
  }
  return AuthorizationResult::deny(DenyReason::AuthenticationRequired);
}

bool path_matches_pattern(std::string_view path, std::string_view pattern) noexcept {
  if (path.empty() || path.front() != '/' || pattern.empty() || pattern.front() != '/') return false;
  SegmentCursor got_cursor{path.substr(1)};
  SegmentCursor want_cursor{pattern.substr(1)};
  while (!want_cursor.done() && !got_cursor.done()) {
    const std::string_view want = want_cursor.next();
    const std::string_view got = got_cursor.next();
    if (is_placeholder(want)) {
      // A placeholder never matches an empty or dot segment, so "/people//revoke" or
      // "/people/../revoke" cannot be smuggled into a pattern.
      if (got.empty() || got == "." || got == "..") return false;
    } else if (want != got) {
      return false;
    }
  }
  return want_cursor.done() && got_cursor.done();
}

std::optional<std::string_view> find_route_pattern(Method method, std::string_view path) noexcept {
  for (const RouteRule& rule : kMatrix) {
    if (rule.method == method && path_matches_pattern(path, rule.pattern)) return rule.pattern;
  }
  return std::nullopt;
}

std::string fill_placeholders(std::string_view pattern, std::string_view value) {
  std::string path;
  bool in_placeholder = false;
  for (char c : pattern) {
    if (c == '{') {
      in_placeholder = true;
      path += value;
    } else if (c == '}') {
      in_placeholder = false;
    } else if (!in_placeholder) {
      path += c;
    }
  }
  return path;
}

}  // namespace portcullis::operators
