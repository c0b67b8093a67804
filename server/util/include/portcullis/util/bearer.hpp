#pragma once
// The credential of an "Authorization: Bearer <token>" header (RFC 6750 section 2.1).
#include <optional>
#include <string_view>

namespace portcullis::util {

// The token, or nothing when the header is not a bearer credential. The scheme is matched without regard
// to case (RFC 9110 section 11.1: "bearer", "BEARER"); spaces or tabs around the token are ignored; the
// token itself must be non-empty and hold no space, tab or control character ("Bearer a b" is refused,
// not read as "a").
[[nodiscard]] std::optional<std::string_view> bearer_token(std::string_view authorization) noexcept;

}  // namespace portcullis::util
