// Any request path and method: matching never crashes, a match is a real table row whose
// placeholders cover only ordinary segments, and authorize() on it never allows an anonymous
// caller anything but the public routes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "portcullis/operators/authorization_matrix.hpp"

using namespace portcullis::operators;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Method method = kAllMethods[data[0] % std::size(kAllMethods)];
  const std::string_view path{reinterpret_cast<const char*>(data + 1), size - 1};

  const auto pattern = find_route_pattern(method, path);
  if (!pattern) return 0;
  OPERATOR_FUZZ_CHECK(path_matches_pattern(path, *pattern));
  OPERATOR_FUZZ_CHECK(path.find("//") == std::string_view::npos);
  OPERATOR_FUZZ_CHECK(path.find("/../") == std::string_view::npos && !path.ends_with("/.."));

  const auto anonymous = authorize(Principal::anonymous(), method, *pattern);
  if (anonymous) {
    OPERATOR_FUZZ_CHECK(*pattern == "/api/v1/health" || *pattern == "/health/live" ||
                        *pattern == "/health/ready" || *pattern == "/api/v1/auth/login" ||
                        *pattern == "/api/v1/auth/password");
  }
  return 0;
}
