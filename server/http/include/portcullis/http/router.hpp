#pragma once
// Method + path pattern ("/api/v1/alarms/{id}/acknowledge") to handler. 404 and 405 are answered here.
#include <map>
#include <string>
#include <vector>

#include "portcullis/http/http_types.hpp"

namespace portcullis::http {

using RouteParams = std::map<std::string, std::string>;
using Handler = std::function<void(const HttpRequest&, const RouteParams&, Responder)>;

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  void dispatch(const HttpRequest& request, Responder respond) const;

  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  [[nodiscard]] const std::vector<Route>& routes() const noexcept { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace portcullis::http
