#include "portcullis/api/secured_router.hpp"

#include <algorithm>
#include <stdexcept>

#include "portcullis/operators/authorization_matrix.hpp"

namespace portcullis::api {

SecuredRouter::SecuredRouter(http::Router& router, Identify identify, OnRefused on_refused)
    : router_(router), identify_(std::move(identify)), on_refused_(std::move(on_refused)) {}

void SecuredRouter::add(const std::string& method, const std::string& pattern, SecuredHandler handler) {
  // The matrix is the list of routes the server serves (the OpenAPI document and the adversarial tests are
  // checked against it): a route outside it would answer 404 to everyone, so it is a start-up error.
  const auto parsed_method = operators::parse_method(method);
  const bool listed =
      parsed_method &&
      std::any_of(operators::authorization_matrix().begin(), operators::authorization_matrix().end(),
                  [&](const operators::RouteRule& rule) {
                    return rule.method == *parsed_method && rule.pattern == pattern;
                  });
  if (!listed)
    throw std::logic_error("route " + method + " " + pattern + " is not in the authorization matrix");
  router_.add(
      method, pattern,
      [this, method, pattern, handler = std::move(handler)](
          const http::HttpRequest& request, const http::RouteParams& params, http::Responder respond) {
        const auto principal = identify_(request);
        const auto parsed = operators::parse_method(method);
        const auto decision = parsed
                                  ? operators::authorize(principal, *parsed, pattern)
                                  : operators::AuthorizationResult::deny(operators::DenyReason::UnknownRoute);
        if (!decision) {
          const int status = operators::http_status_for(*decision.reason);
          const std::string reason{operators::to_string(*decision.reason)};
          if (on_refused_) on_refused_(request, status, reason);
          auto response = status == 401   ? http::json_error(401, "authorization", "authentication required")
                          : status == 404 ? http::json_error(404, "path", "no such resource: " + request.path)
                                          : http::json_error(403, "authorization", "not allowed: " + reason);
          if (status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"portcullis\"");
          return respond(std::move(response));
        }
        handler(request, params, principal, std::move(respond));
      });
}

}  // namespace portcullis::api
