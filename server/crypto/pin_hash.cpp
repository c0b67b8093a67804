#include "pin_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <vector>
#include "portcullis/util/base64.hpp"

namespace portcullis::crypto {
namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

std::optional<std::vector<std::uint8_t>> unbase64(std::string_view text, std::size_t expected) {
  if (text.size() > 128) return std::nullopt;
  auto bytes = util::base64_decode(text);
  if (!bytes || bytes->size() != expected) return std::nullopt;
  return bytes;
}

bool derive(std::string_view pin, const unsigned char* salt, std::size_t salt_size, std::uint32_t iterations,
            std::array<unsigned char, kHashBytes>& out) {
  return PKCS5_PBKDF2_HMAC(pin.data(), static_cast<int>(pin.size()), salt, static_cast<int>(salt_size),
                           static_cast<int>(iterations), EVP_sha256(), static_cast<int>(out.size()),
                           out.data()) == 1;
}

}  // namespace

std::optional<std::string> hash_pin(std::string_view pin, std::uint32_t iterations) {
  if (iterations < kMinPinIterations || iterations > kMaxPinIterations || pin.size() > 64)
    return std::nullopt;
  std::array<unsigned char, kSaltBytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) return std::nullopt;
  std::array<unsigned char, kHashBytes> hash{};
  if (!derive(pin, salt.data(), salt.size(), iterations, hash)) return std::nullopt;
  return std::string{kScheme} + "$" + std::to_string(iterations) + "$" +
         util::base64_encode(std::span<const std::uint8_t>{salt.data(), salt.size()}) + "$" +
         util::base64_encode(std::span<const std::uint8_t>{hash.data(), hash.size()});
}

std::string hash_pin_for_site_file(std::string_view pin) {
  return hash_pin(pin).value_or(std::string{});
}

bool verify_pin(std::string_view stored, std::string_view pin) {
  // scheme$iterations$salt$hash
  std::array<std::string_view, 4> parts;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto dollar = stored.find('$');
    if ((dollar == std::string_view::npos) != (i == 3)) return false;
    parts[i] = stored.substr(0, dollar);
    stored = dollar == std::string_view::npos ? std::string_view{} : stored.substr(dollar + 1);
  }
  if (parts[0] != kScheme || pin.size() > 64) return false;
  std::uint32_t iterations = 0;
  const auto parsed = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), iterations);
  if (parsed.ec != std::errc{} || parsed.ptr != parts[1].data() + parts[1].size()) return false;
  if (iterations < kMinPinIterations || iterations > kMaxPinIterations) return false;
  const auto salt = unbase64(parts[2], kSaltBytes);
  const auto expected = unbase64(parts[3], kHashBytes);
  if (!salt || !expected) return false;
  std::array<unsigned char, kHashBytes> actual{};
  if (!derive(pin, salt->data(), salt->size(), iterations, actual)) return false;
  return CRYPTO_memcmp(actual.data(), expected->data(), kHashBytes) == 0;
}

core::PinMatch Pbkdf2PinVerifier::verify(std::string_view stored_hash, std::string_view pin) const {
  return verify_pin(stored_hash, pin) ? core::PinMatch::Match : core::PinMatch::Mismatch;
}

}  // namespace portcullis::crypto
