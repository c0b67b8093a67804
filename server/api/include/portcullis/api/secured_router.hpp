#pragma once
// Every route goes through the authorization matrix (server/operators): the principal is identified
// (operator session, device token or certificate, or nobody), then authorize() decides. A route missing
// from the matrix is refused (404): default deny.
#include <functional>
#include <string>

#include "portcullis/http/router.hpp"
#include "portcullis/operators/principal.hpp"

namespace portcullis::api {

using SecuredHandler = std::function<void(const http::HttpRequest&, const http::RouteParams&,
                                          const operators::Principal&, http::Responder)>;

// Who is calling: filled in by the session and device registries.
using Identify = std::function<operators::Principal(const http::HttpRequest&)>;
// Called for refused requests (to record security events); may be empty.
using OnRefused = std::function<void(const http::HttpRequest&, int status, const std::string& reason)>;

class SecuredRouter {
 public:
  SecuredRouter(http::Router& router, Identify identify, OnRefused on_refused = {});
  void add(const std::string& method, const std::string& pattern, SecuredHandler handler);
  // A request body limit of the route's own (http::Router::set_body_limit).
  void set_body_limit(const std::string& method, const std::string& pattern, std::size_t limit) {
    router_.set_body_limit(method, pattern, limit);
  }

 private:
  http::Router& router_;
  Identify identify_;
  OnRefused on_refused_;
};

}  // namespace portcullis::api
