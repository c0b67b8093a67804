#pragma once
// Method + path pattern ("/api/v1/alarms/{id}/acknowledge") to handler. 404 and 405 are answered here, and
// 400 for a target that is not valid UTF-8 or a path parameter outside the identifier grammar; an exception
// out of a handler is answered 500 (never escapes).
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/http/http_types.hpp"

namespace portcullis::http {

using RouteParams = std::map<std::string, std::string>;
using Handler = std::function<void(const HttpRequest&, const RouteParams&, Responder)>;

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  void dispatch(const HttpRequest& request, Responder respond) const;

  // A request body limit of its own for one route (method and pattern as given to add()), instead of the
  // server's ServerConfig::body_limit: e.g. 16 MiB for POST /epcis/capture while everything else keeps 1 MiB.
  // Set before the server starts.
  void set_body_limit(const std::string& method, const std::string& pattern, std::size_t limit);
  // The limit of the route `method` `path` (without the query) has a limit of its own; nothing otherwise.
  [[nodiscard]] std::optional<std::size_t> body_limit(std::string_view method, std::string_view path) const;
  // The largest limit set with set_body_limit (0: none).
  [[nodiscard]] std::size_t largest_body_limit() const noexcept;

  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  [[nodiscard]] const std::vector<Route>& routes() const noexcept { return routes_; }

 private:
  void call_guarded(const Route& route, const HttpRequest& request, const RouteParams& params,
                    Responder respond) const;

  std::vector<Route> routes_;
  struct BodyLimit {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    std::size_t limit = 0;
  };
  std::vector<BodyLimit> body_limits_;
};

}  // namespace portcullis::http
