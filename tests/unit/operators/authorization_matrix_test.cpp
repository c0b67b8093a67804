// Walks every route in the matrix with every role, a device and no credential, and compares with
// an expected table written out independently here. The HTTP-level matrix test does the same
// against the running server.
#include "portcullis/operators/authorization_matrix.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace portcullis::operators {
namespace {

// Columns: guard, supervisor, auditor, admin, device, no credential. 'Y' allowed, '.' denied.
struct Expected {
  const char* who;
  const char* method;
  const char* pattern;
};

constexpr Expected kExpected[] = {
    // GSAaDn
    {"....Y.", "POST", "/api/v1/events"},
    {"....Y.", "POST", "/api/v1/rfid/reads"},
    {"....Y.", "POST", "/epcis/capture"},
    {"....Y.", "POST", "/epcis/events"},
    {"....Y.", "GET", "/api/v1/devices/me/commands"},
    {"....Y.", "POST", "/api/v1/devices/me/commands/{id}/result"},
    {"YYYYYY", "GET", "/api/v1/health"},
    {"YYYYYY", "POST", "/api/v1/auth/login"},
    {"YYYYYY", "GET", "/health/live"},
    {"YYYYYY", "GET", "/health/ready"},
    {"YYYYYY", "POST", "/api/v1/auth/password"},
    {"...Y..", "GET", "/metrics"},
    {"YYYY..", "POST", "/api/v1/auth/logout"},
    {"YYYY..", "GET", "/api/v1/stream"},
    {"YYYY..", "GET", "/api/v1/site"},
    {"...Y..", "PUT", "/api/v1/site"},
    {".YYY..", "GET", "/api/v1/people"},
    {"...Y..", "POST", "/api/v1/people"},
    {"...Y..", "PUT", "/api/v1/people/{id}"},
    {"...Y..", "DELETE", "/api/v1/people/{id}"},
    {".Y.Y..", "POST", "/api/v1/people/{id}/revoke"},
    {".Y.Y..", "POST", "/api/v1/credentials/{id}/revoke"},
    {"...Y..", "POST", "/api/v1/grants"},
    {".Y.Y..", "POST", "/api/v1/grants/{id}/revoke"},
    {"...Y..", "POST", "/api/v1/people/{id}/restore"},
    {"...Y..", "POST", "/api/v1/people/{id}/credentials"},
    {"...Y..", "DELETE", "/api/v1/people/{id}/credentials/{credential}"},
    {"...Y..", "PUT", "/api/v1/people/{id}/pin"},
    {"...Y..", "DELETE", "/api/v1/people/{id}/pin"},
    {"...Y..", "POST", "/api/v1/credentials/{id}/restore"},
    {"...Y..", "DELETE", "/api/v1/grants/{id}"},
    {"...Y..", "POST", "/api/v1/grants/{id}/restore"},
    {"...Y..", "POST", "/api/v1/groups/{id}/members"},
    {"...Y..", "DELETE", "/api/v1/groups/{id}/members/{person}"},
    {"YY.Y..", "POST", "/api/v1/jit-requests"},
    {".Y.Y..", "POST", "/api/v1/jit-requests/{id}/approve"},
    {"YYYY..", "GET", "/api/v1/alarms"},
    {"YY.Y..", "POST", "/api/v1/alarms/{id}/acknowledge"},
    {"YY.Y..", "POST", "/api/v1/alarms/{id}/resolve"},
    {"YY.Y..", "POST", "/api/v1/commands"},
    {"YY.Y..", "PUT", "/api/v1/commands/{id}"},
    {".Y.Y..", "POST", "/api/v1/approvals/{id}/approve"},
    {".Y.Y..", "POST", "/api/v1/presence/{person}/forgive"},
    {".Y.Y..", "POST", "/api/v1/lockdown"},
    {".Y.Y..", "POST", "/api/v1/lockdown/release"},
    {".Y.Y..", "POST", "/api/v1/threat-level"},
    {".Y.Y..", "POST", "/api/v1/overrides"},
    {".Y.Y..", "POST", "/api/v1/fire/clear"},
    {"YY.Y..", "POST", "/api/v1/fire/clear/{id}/confirm"},
    {"YYYY..", "GET", "/api/v1/assets"},
    {"YYYY..", "GET", "/api/v1/assets/{id}"},
    {"...Y..", "POST", "/api/v1/assets"},
    {"...Y..", "PUT", "/api/v1/assets/{id}"},
    {".Y.Y..", "POST", "/api/v1/assets/{id}/lifecycle"},
    {".Y.Y..", "POST", "/api/v1/assets/{id}/wipe"},
    {".Y.Y..", "POST", "/api/v1/assets/{id}/destruction"},
    {".Y.Y..", "POST", "/api/v1/assets/{id}/disposal"},
    {"YY.Y..", "POST", "/api/v1/move-orders"},
    {".Y.Y..", "POST", "/api/v1/move-orders/{id}/approve"},
    {"YY.Y..", "POST", "/api/v1/seals"},
    {"YY.Y..", "POST", "/api/v1/seals/{id}/check"},
    {"..YY..", "GET", "/api/v1/reports/{report}"},
    {"..YY..", "GET", "/api/v1/audit/reports"},
    {"..YY..", "GET", "/api/v1/audit/reports/{report}"},
    {"..YY..", "POST", "/api/v1/audit/exports/{report}"},
    {"..YY..", "GET", "/api/v1/audit/exports/{name}"},
    {"..YY..", "GET", "/api/v1/audit/chain"},
    {"...Y..", "POST", "/api/v1/operators"},
    {"...Y..", "POST", "/api/v1/operators/{id}/disable"},
    {"...Y..", "POST", "/api/v1/operators/{id}/enable"},
    {"...Y..", "POST", "/api/v1/operators/{id}/password-reset"},
    {"...Y..", "POST", "/api/v1/operators/{id}/totp-reset"},
    {"...Y..", "POST", "/api/v1/operators/{id}/unlock"},
};

std::vector<Principal> principals_in_column_order() {
  return {Principal::operator_with(core::OperatorId{"op-guard"}, Role::Guard),
          Principal::operator_with(core::OperatorId{"op-supervisor"}, Role::Supervisor),
          Principal::operator_with(core::OperatorId{"op-auditor"}, Role::Auditor),
          Principal::operator_with(core::OperatorId{"op-admin"}, Role::Admin),
          Principal::device(core::DeviceId{"ctrl-1"}),
          Principal::anonymous()};
}

const char* kColumnNames[] = {"guard", "supervisor", "auditor", "admin", "device", "no credential"};

TEST(AuthorizationMatrix, EveryRouteTimesEveryPrincipalGivesTheExpectedAnswer) {
  const auto principals = principals_in_column_order();
  int checked = 0;
  for (const Expected& row : kExpected) {
    const auto method = parse_method(row.method);
    ASSERT_TRUE(method) << row.method;
    ASSERT_EQ(std::string_view{row.who}.size(), principals.size()) << row.pattern;
    for (std::size_t column = 0; column < principals.size(); ++column) {
      const bool expected = row.who[column] == 'Y';
      const auto result = authorize(principals[column], *method, row.pattern);
      EXPECT_EQ(result.allowed, expected)
          << row.method << " " << row.pattern << " as " << kColumnNames[column];
      EXPECT_EQ(result.reason.has_value(), !expected);
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(std::size(kExpected) * 6));
}

TEST(AuthorizationMatrix, TheTableHasExactlyTheExpectedRoutesAndNoDuplicates) {
  std::set<std::pair<std::string, std::string>> expected;
  for (const Expected& row : kExpected) expected.emplace(row.method, row.pattern);
  std::set<std::pair<std::string, std::string>> actual;
  for (const RouteRule& rule : authorization_matrix()) {
    const bool inserted =
        actual.emplace(std::string{to_string(rule.method)}, std::string{rule.pattern}).second;
    EXPECT_TRUE(inserted) << "duplicate row " << to_string(rule.method) << " " << rule.pattern;
  }
  EXPECT_EQ(actual, expected);
}

TEST(AuthorizationMatrix, NothingThatChangesStateIsOpenWithoutCredentialsExceptLogin) {
  for (const RouteRule& rule : authorization_matrix()) {
    // Signing in and setting a new password carry their credentials (password and code) in the body.
    if (rule.method == Method::Get || rule.pattern == "/api/v1/auth/login" ||
        rule.pattern == "/api/v1/auth/password")
      continue;
    EXPECT_FALSE(rule.open_to_anyone) << to_string(rule.method) << " " << rule.pattern;
  }
}

TEST(AuthorizationMatrix, DevicesReachOnlyTheirOwnRoutes) {
  for (const RouteRule& rule : authorization_matrix()) {
    if (!rule.devices) continue;
    EXPECT_TRUE(rule.pattern == "/api/v1/events" || rule.pattern == "/api/v1/rfid/reads" ||
                rule.pattern.starts_with("/epcis/") || rule.pattern.starts_with("/api/v1/devices/me/"))
        << rule.pattern;
    EXPECT_TRUE(rule.roles.empty()) << "a route is either for devices or for operators: " << rule.pattern;
  }
}

TEST(AuthorizationMatrix, DeniesRoutesNotInTheTableToEveryone) {
  for (const Principal& p : principals_in_column_order()) {
    EXPECT_EQ(authorize(p, Method::Get, "/api/v1/secret-admin-thing").reason, DenyReason::UnknownRoute);
    EXPECT_EQ(authorize(p, Method::Delete, "/api/v1/site").reason, DenyReason::UnknownRoute);
    EXPECT_EQ(authorize(p, Method::Get, "/api/v1/people/{id}").reason, DenyReason::UnknownRoute);
    // authorize takes the pattern, not a concrete path: a concrete path is not a pattern.
    EXPECT_EQ(authorize(p, Method::Post, "/api/v1/people/p-1/revoke").reason, DenyReason::UnknownRoute);
    EXPECT_EQ(authorize(p, Method::Get, "").reason, DenyReason::UnknownRoute);
  }
}

TEST(AuthorizationMatrix, DenyReasonsTellTheHttpLayer401From403) {
  const auto guard = Principal::operator_with(core::OperatorId{"g"}, Role::Guard);
  const auto device = Principal::device(core::DeviceId{"d"});
  EXPECT_EQ(authorize(Principal::anonymous(), Method::Get, "/api/v1/site").reason,
            DenyReason::AuthenticationRequired);
  EXPECT_EQ(authorize(Principal::anonymous(), Method::Post, "/api/v1/events").reason,
            DenyReason::AuthenticationRequired);
  EXPECT_EQ(authorize(guard, Method::Put, "/api/v1/site").reason, DenyReason::RoleNotAllowed);
  EXPECT_EQ(authorize(guard, Method::Post, "/api/v1/events").reason, DenyReason::OperatorsNotAllowed);
  EXPECT_EQ(authorize(device, Method::Get, "/api/v1/site").reason, DenyReason::DevicesNotAllowed);
}

TEST(AuthorizationMatrix, DenialsMapTo404Then401Then403) {
  EXPECT_EQ(http_status_for(DenyReason::UnknownRoute), 404);
  EXPECT_EQ(http_status_for(DenyReason::AuthenticationRequired), 401);
  EXPECT_EQ(http_status_for(DenyReason::RoleNotAllowed), 403);
  EXPECT_EQ(http_status_for(DenyReason::DevicesNotAllowed), 403);
  EXPECT_EQ(http_status_for(DenyReason::OperatorsNotAllowed), 403);
}

// A metrics scraper (Prometheus with its own token) reads /metrics and what is open to anyone; every other
// route answers 403, so a leaked scrape token reveals rates and nothing else.
TEST(AuthorizationMatrix, AScrapeCredentialReachesOnlyMetricsAndTheOpenRoutes) {
  const Principal scraper = Principal::metrics_scraper();
  int allowed = 0;
  for (const RouteRule& rule : authorization_matrix()) {
    const auto result = authorize(scraper, rule.method, rule.pattern);
    if (rule.pattern == "/metrics" || rule.open_to_anyone) {
      EXPECT_TRUE(result.allowed) << to_string(rule.method) << " " << rule.pattern;
      ++allowed;
    } else {
      EXPECT_EQ(result.reason, DenyReason::ScrapersNotAllowed)
          << to_string(rule.method) << " " << rule.pattern;
      EXPECT_EQ(http_status_for(*result.reason), 403);
    }
  }
  EXPECT_GE(allowed, 4);  // /metrics, health, liveness and readiness at least
  EXPECT_FALSE(scraper.is_operator());
  EXPECT_FALSE(scraper.is_device());
  EXPECT_FALSE(scraper.has_role_in(RoleSet::all_operators()));
}

TEST(Principals, DevicesAndAnonymousCallersHaveNoRole) {
  EXPECT_FALSE(Principal::device(core::DeviceId{"d"}).role);
  EXPECT_FALSE(Principal::device(core::DeviceId{"d"}).has_role_in(RoleSet::all_operators()));
  EXPECT_FALSE(Principal::anonymous().has_role_in(RoleSet::all_operators()));
  EXPECT_TRUE(Principal::operator_with(core::OperatorId{"o"}, Role::Auditor).has_role_in({Role::Auditor}));
}

TEST(RoutePatterns, ConcretePathsFindTheirPattern) {
  EXPECT_EQ(find_route_pattern(Method::Post, "/api/v1/people/p-17/revoke"), "/api/v1/people/{id}/revoke");
  EXPECT_EQ(find_route_pattern(Method::Put, "/api/v1/people/p-17"), "/api/v1/people/{id}");
  EXPECT_EQ(find_route_pattern(Method::Post, "/api/v1/devices/me/commands/c-9/result"),
            "/api/v1/devices/me/commands/{id}/result");
  EXPECT_EQ(find_route_pattern(Method::Post, "/api/v1/lockdown/release"), "/api/v1/lockdown/release");
  EXPECT_EQ(find_route_pattern(Method::Get, "/api/v1/reports/access"), "/api/v1/reports/{report}");
  EXPECT_EQ(find_route_pattern(Method::Get, "/metrics"), "/metrics");
  EXPECT_EQ(fill_placeholders("/api/v1/people/{id}/revoke", "p-1"), "/api/v1/people/p-1/revoke");
}

TEST(RoutePatterns, OddPathsMatchNothing) {
  for (std::string_view path :
       {"/api/v1/people//revoke", "/api/v1/people/../revoke", "/api/v1/people/./revoke", "/api/v1/site/",
        "api/v1/site", "/api/v1/site/extra", "/api/v1", "/", "", "/api/v1/reports/a/b", "/API/v1/site"}) {
    EXPECT_FALSE(find_route_pattern(Method::Get, path)) << path;
    EXPECT_FALSE(find_route_pattern(Method::Post, path)) << path;
    EXPECT_FALSE(find_route_pattern(Method::Put, path)) << path;
  }
}

TEST(RoutePatterns, EveryPatternMatchesItselfWithPlaceholdersFilledIn) {
  for (const RouteRule& rule : authorization_matrix()) {
    const std::string concrete = fill_placeholders(rule.pattern, "x1");
    EXPECT_EQ(find_route_pattern(rule.method, concrete), rule.pattern) << concrete;
  }
}

TEST(MatrixNames, MethodsAndRolesRoundTrip) {
  for (Method m : kAllMethods) EXPECT_EQ(parse_method(to_string(m)), m);
  for (Role r : kAllRoles) EXPECT_EQ(parse_role(to_string(r)), r);
  EXPECT_FALSE(parse_method("get"));
  EXPECT_FALSE(parse_role("root"));
}

}  // namespace
}  // namespace portcullis::operators
