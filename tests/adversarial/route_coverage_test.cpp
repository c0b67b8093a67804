// The routes the server serves (the authorization matrix: SecuredRouter refuses to register anything else)
// against the adversarial tier's table and against docs/openapi.yaml. A route added to the server without
// hostile requests, or without documentation, fails here.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "portcullis/operators/authorization_matrix.hpp"
#include "route_table.hpp"

namespace portcullis::adversarial {
namespace {

using RouteSet = std::set<std::string>;

RouteSet served_routes() {
  RouteSet out;
  for (const auto& rule : operators::authorization_matrix())
    out.insert(std::string(operators::to_string(rule.method)) + " " + std::string(rule.pattern));
  return out;
}

std::string describe(const RouteSet& routes) {
  std::string out;
  for (const auto& r : routes) out += "\n  " + r;
  return out;
}

RouteSet minus(const RouteSet& a, const RouteSet& b) {
  RouteSet out;
  for (const auto& r : a)
    if (!b.count(r)) out.insert(r);
  return out;
}

TEST(RouteCoverage, EveryServedRouteIsCoveredByTheAdversarialTierAndNothingElse) {
  RouteSet covered;
  for (const auto& c : kRouteCases) {
    const auto key = std::string(c.method) + " " + std::string(c.pattern);
    EXPECT_TRUE(covered.insert(key).second) << "listed twice: " << key;
  }
  const auto served = served_routes();
  EXPECT_TRUE(minus(served, covered).empty())
      << "routes without hostile requests (add them to route_table.hpp):" << describe(minus(served, covered));
  EXPECT_TRUE(minus(covered, served).empty())
      << "covered but not served:" << describe(minus(covered, served));
}

// The path + method pairs of an OpenAPI document: "  /path:" lines under "paths:", then "    get:" lines.
RouteSet documented_routes(const std::string& yaml) {
  RouteSet out;
  std::istringstream in{yaml};
  std::string line, path;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (line.rfind("paths:", 0) == 0) {
      in_paths = true;
      continue;
    }
    if (!in_paths) continue;
    if (!line.empty() && line[0] != ' ' && line[0] != '#') break;  // the next top-level key
    if (line.size() > 3 && line.rfind("  /", 0) == 0 && line.back() == ':') {
      path = line.substr(2, line.size() - 3);
      continue;
    }
    for (const char* method : {"get", "post", "put", "delete", "patch"}) {
      if (line == std::string("    ") + method + ":") {
        std::string upper{method};
        for (auto& ch : upper) ch = static_cast<char>(ch - 'a' + 'A');
        out.insert(upper + " " + path);
      }
    }
  }
  return out;
}

TEST(RouteCoverage, OpenApiDocumentDescribesEveryServedRouteAndNothingElse) {
  std::ifstream file{std::string(PORTCULLIS_SOURCE_DIR) + "/docs/openapi.yaml"};
  ASSERT_TRUE(file) << "docs/openapi.yaml is missing";
  std::stringstream text;
  text << file.rdbuf();
  const auto documented = documented_routes(text.str());
  const auto served = served_routes();
  EXPECT_TRUE(minus(served, documented).empty())
      << "served but not in docs/openapi.yaml:" << describe(minus(served, documented));
  EXPECT_TRUE(minus(documented, served).empty())
      << "in docs/openapi.yaml but not served:" << describe(minus(documented, served));
}

}  // namespace
}  // namespace portcullis::adversarial
