#include "portcullis/operators/crypto/password_hash.hpp"

#include <openssl/evp.h>

#include <charconv>
#include <optional>
#include <stdexcept>
#include <vector>

#include "portcullis/operators/crypto/digest.hpp"
#include "portcullis/operators/crypto/encoding.hpp"
#include "portcullis/operators/crypto/random.hpp"

namespace portcullis::operators::crypto {
namespace {

constexpr std::string_view kScheme = "scrypt";
// Bounds on parameters read back from storage: generous for future raises, small enough that a
// tampered row cannot exhaust memory (128 * r * N <= 1 GiB).
constexpr std::uint64_t kLargestN = std::uint64_t{1} << 20;
constexpr std::uint64_t kLargestR = 32;
constexpr std::uint64_t kLargestP = 16;
constexpr std::uint64_t kLargestMemory = std::uint64_t{1} << 30;

struct ParsedHash {
  ScryptParameters parameters;
  Bytes salt;
  Bytes hash;
};

bool parameters_in_bounds(const ScryptParameters& p) noexcept {
  const bool n_power_of_two = p.n >= 2 && (p.n & (p.n - 1)) == 0;
  return n_power_of_two && p.n <= kLargestN && p.r >= 1 && p.r <= kLargestR && p.p >= 1 && p.p <= kLargestP &&
         128 * p.r * p.n <= kLargestMemory;
}

std::optional<std::uint64_t> parse_number(std::string_view text) noexcept {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::vector<std::string_view> split_on_dollar(std::string_view text) {
  std::vector<std::string_view> fields;
  while (true) {
    const auto at = text.find('$');
    fields.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return fields;
    text.remove_prefix(at + 1);
  }
}

std::optional<ParsedHash> parse(std::string_view encoded) {
  const auto fields = split_on_dollar(encoded);
  if (fields.size() != 6 || fields[0] != kScheme) return std::nullopt;
  const auto n = parse_number(fields[1]);
  const auto r = parse_number(fields[2]);
  const auto p = parse_number(fields[3]);
  if (!n || !r || !p) return std::nullopt;
  ParsedHash parsed{{*n, *r, *p}, {}, {}};
  if (!parameters_in_bounds(parsed.parameters)) return std::nullopt;
  auto salt = base64_decode(fields[4]);
  auto hash = base64_decode(fields[5]);
  if (!salt || !hash || salt->size() < kPasswordSaltBytes || hash->size() != kPasswordHashBytes)
    return std::nullopt;
  parsed.salt = std::move(*salt);
  parsed.hash = std::move(*hash);
  return parsed;
}

Bytes derive(std::string_view password, ByteView salt, const ScryptParameters& p) {
  Bytes key(kPasswordHashBytes);
  // OpenSSL refuses above its 32 MiB default unless told the memory the parameters really need.
  const std::uint64_t needed = 128 * p.r * (p.n + 2) + 128 * p.r * p.p + (std::uint64_t{1} << 20);
  if (EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(), p.n, p.r, p.p, needed,
                     key.data(), key.size()) != 1) {
    throw std::runtime_error("scrypt failed");
  }
  return key;
}

std::string format(const ScryptParameters& p, ByteView salt, ByteView hash) {
  std::string out{kScheme};
  for (std::uint64_t number : {p.n, p.r, p.p}) {
    out += '$';
    out += std::to_string(number);
  }
  out += '$';
  out += base64_encode(salt);
  out += '$';
  out += base64_encode(hash);
  return out;
}

}  // namespace

std::string hash_password(std::string_view password, const ScryptParameters& parameters) {
  if (!parameters_in_bounds(parameters)) throw std::invalid_argument("scrypt parameters out of bounds");
  const Bytes salt = util::random_bytes(kPasswordSaltBytes);
  return format(parameters, salt, derive(password, salt, parameters));
}

PasswordVerdict verify_password(std::string_view password, std::string_view encoded) {
  const auto parsed = parse(encoded);
  if (!parsed) return PasswordVerdict::Malformed;
  const Bytes candidate = derive(password, parsed->salt, parsed->parameters);
  return equal_in_constant_time(candidate, parsed->hash) ? PasswordVerdict::Match : PasswordVerdict::Mismatch;
}

bool needs_rehash(std::string_view encoded, const ScryptParameters& current) {
  const auto parsed = parse(encoded);
  return !parsed || !(parsed->parameters == current);
}

void spend_password_check_time(std::string_view password) {
  static const Bytes kDummySalt(kPasswordSaltBytes, 0x5A);
  static_cast<void>(derive(password, kDummySalt, ScryptParameters{}));
}

}  // namespace portcullis::operators::crypto
