#include "portcullis/http/router.hpp"

namespace portcullis::http {
namespace {

std::vector<std::string> split_path(const std::string& path) {
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

bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
           RouteParams& params) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const auto& p = pattern[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      params[p.substr(1, p.size() - 2)] = path[i];
    } else if (p != path[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string json_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 2);
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          static constexpr char hex[] = "0123456789abcdef";
          out += "\\u00";
          out += hex[c >> 4U];
          out += hex[c & 0x0FU];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
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
  const auto path = split_path(request.path);
  bool path_known = false;
  for (const auto& route : routes_) {
    RouteParams params;
    if (!match(route.segments, path, params)) continue;
    path_known = true;
    if (route.method != request.method) continue;
    route.handler(request, params, std::move(respond));
    return;
  }
  if (path_known) {
    respond(json_error(405, "method", "method " + request.method + " is not allowed on " + request.path));
  } else {
    respond(json_error(404, "path", "no such resource: " + request.path));
  }
}

}  // namespace portcullis::http
