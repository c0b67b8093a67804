#pragma once
// Checks every request passes at the HTTP edge, before any handler sees it: the request target, the
// media type of a body. Pure functions of plain values, tested without a socket.
#include <optional>
#include <string>
#include <string_view>

#include "portcullis/http/http_types.hpp"

namespace portcullis::http {

// Why a request target (path and query, as sent) cannot be served, or nothing when it can: it must be
// valid UTF-8 without control characters, and every %XX escape in it must be well formed.
[[nodiscard]] std::optional<std::string> target_problem(std::string_view target);

// True when the request's Content-Type names exactly `media_type` ("application/json"), compared without
// regard to case, parameters (";charset=utf-8") allowed: "application/jsonp" is another type.
[[nodiscard]] bool has_media_type(const HttpRequest& request, std::string_view media_type);

// The value of a query or path text after %XX decoding, or nothing when an escape is malformed or the
// decoded text is not storable (invalid UTF-8, NUL or another control character).
[[nodiscard]] std::optional<std::string> percent_decode_text(std::string_view text, bool plus_is_space);

}  // namespace portcullis::http
