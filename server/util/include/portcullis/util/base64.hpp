#pragma once
// Base64 (RFC 4648 section 4, standard alphabet, padded) for signatures, salts and hashes in stored text,
// and base64url (section 5, no padding) for tokens. Decoders are strict and canonical: anything outside the
// alphabet, misplaced padding or non-zero leftover bits is refused, so two texts never decode to one value.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::util {

[[nodiscard]] std::string base64_encode(std::span<const std::uint8_t> bytes);
[[nodiscard]] std::string base64_encode(std::string_view bytes);
// A multiple of four characters, '=' only as the last one or two.
[[nodiscard]] std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

[[nodiscard]] std::string base64url_encode(std::span<const std::uint8_t> bytes);
// Without padding, as base64url_encode writes it.
[[nodiscard]] std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text);

}  // namespace portcullis::util
