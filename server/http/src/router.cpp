#include "portcullis/http/router.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <iostream>
#include <memory>

#include "portcullis/core/text/identifier.hpp"
#include "portcullis/core/text/utf8.hpp"
#include "portcullis/http/request_checks.hpp"
#include "portcullis/logging/log.hpp"
#include "portcullis/util/json_string.hpp"

namespace portcullis::http {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : path) {
    if (c == '/') {
      if (!current.empty()) parts.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) parts.push_back(std::move(current));
  return parts;
}

bool is_parameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
           RouteParams& params) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const auto& p = pattern[i];
    if (is_parameter(p)) {
      params[p.substr(1, p.size() - 2)] = path[i];
    } else if (p != path[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string json_escape(const std::string& text) {
  return util::json_escape(text, util::JsonStringStyle::CheckedUtf8);
}

HttpResponse json_response(std::string body, int status) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse json_error(int status, const std::string& field, const std::string& message) {
  HttpResponse r;
  r.status = status;
  r.body =
      "{\"error\":{\"field\":\"" + json_escape(field) + "\",\"message\":\"" + json_escape(message) + "\"}}";
  return r;
}

void Router::add(std::string method, std::string pattern, Handler handler) {
  auto segments = split_path(pattern);
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

void Router::dispatch(const HttpRequest& request, Responder respond) const {
  // The target is checked before any route sees it: a path that is not valid UTF-8 must never reach a
  // handler, an authentication-failure record or an error message.
  if (auto problem =
          target_problem(request.query.empty() ? request.path : request.path + "?" + request.query))
    return respond(json_error(400, "path", *problem));
  const auto path = split_path(request.path);
  bool path_known = false;
  for (const auto& route : routes_) {
    RouteParams params;
    if (!match(route.segments, path, params)) continue;
    path_known = true;
    if (route.method != request.method) continue;
    for (const auto& [name, value] : params) {
      if (!core::text::is_valid_identifier(value))
        return respond(json_error(
            400, "path." + name, "expected an identifier of " + std::string(core::text::kIdentifierGrammar)));
    }
    return call_guarded(route, request, params, std::move(respond));
  }
  if (path_known) {
    respond(json_error(405, "method", "method " + request.method + " is not allowed on " + request.path));
  } else {
    respond(json_error(404, "path", "no such resource: " + request.path));
  }
}

// No exception may escape a handler (it would end the process on an I/O thread): one that does is
// answered 500 here, unless the handler had answered already, and logged.
void Router::call_guarded(const Route& route, const HttpRequest& request, const RouteParams& params,
                          Responder respond) const {
  auto answered = std::make_shared<std::atomic<bool>>(false);
  Responder once = [answered, respond](HttpResponse response) {
    if (!answered->exchange(true)) respond(std::move(response));
  };
  const auto fail = [&](const char* what) {
    logging::error("http", "request handler failed",
                   {{"method", route.method}, {"route", route.pattern}, {"error", what}});
    if (!answered->exchange(true)) respond(json_error(500, "server", "the request could not be handled"));
  };
  try {
    route.handler(request, params, std::move(once));
  } catch (const std::exception& e) {
    fail(e.what());
  } catch (...) {
    fail("unknown exception");
  }
}

void Router::set_body_limit(const std::string& method, const std::string& pattern, std::size_t limit) {
  for (auto& existing : body_limits_) {
    if (existing.method == method && existing.pattern == pattern) {
      existing.limit = limit;
      return;
    }
  }
  body_limits_.push_back(BodyLimit{method, pattern, split_path(pattern), limit});
}

std::optional<std::size_t> Router::body_limit(std::string_view method, std::string_view path) const {
  if (body_limits_.empty()) return std::nullopt;
  std::vector<std::string> parts;
  bool split = false;
  for (const auto& entry : body_limits_) {
    if (entry.method != method) continue;
    if (!split) {
      parts = split_path(path);
      split = true;
    }
    if (entry.segments.size() != parts.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < parts.size() && same; ++i) {
      same = is_parameter(entry.segments[i]) || entry.segments[i] == parts[i];
    }
    if (same) return entry.limit;
  }
  return std::nullopt;
}

std::size_t Router::largest_body_limit() const noexcept {
  std::size_t largest = 0;
  for (const auto& entry : body_limits_) largest = std::max(largest, entry.limit);
  return largest;
}

}  // namespace portcullis::http
