#include "portcullis/operators/totp.hpp"

#include <algorithm>
#include <array>

namespace portcullis::operators {
namespace {

constexpr std::array<std::uint32_t, 9> kPowersOfTen{1,      10,      100,      1000,     10000,
                                                    100000, 1000000, 10000000, 100000000};

constexpr int kLargestDriftSteps = 10;

bool digits_supported(int digits) noexcept {
  return digits >= 6 && digits <= 8;
}

bool is_well_formed(std::string_view code, int digits) noexcept {
  if (code.size() != static_cast<std::size_t>(digits)) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Compares without an early exit so the time taken does not reveal how many leading digits were right.
bool equal_in_constant_time(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  unsigned difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned>(static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
  }
  return difference == 0;
}

}  // namespace

std::int64_t totp_time_step(core::Timestamp now, std::chrono::seconds step) noexcept {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
  const auto length = step.count() > 0 ? step.count() : 30;
  auto quotient = seconds / length;
  if (seconds % length != 0 && seconds < 0) --quotient;
  return quotient;
}

std::string hotp_code(const HmacFunction& hmac, ByteView secret, std::uint64_t counter, int digits) {
  if (!digits_supported(digits)) return {};
  std::array<std::uint8_t, 8> message{};
  for (std::size_t i = 0; i < message.size(); ++i) {
    message[message.size() - 1 - i] = static_cast<std::uint8_t>((counter >> (8 * i)) & 0xFFu);
  }
  const Bytes tag = hmac(secret, message);
  if (tag.size() < 20) return {};
  // RFC 4226 section 5.3 dynamic truncation.
  const std::size_t offset = tag.back() & 0x0Fu;
  if (offset + 3 >= tag.size()) return {};
  const std::uint32_t binary = (static_cast<std::uint32_t>(tag[offset] & 0x7Fu) << 24) |
                               (static_cast<std::uint32_t>(tag[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(tag[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(tag[offset + 3]);
  std::uint32_t value = binary % kPowersOfTen[static_cast<std::size_t>(digits)];
  std::string code(static_cast<std::size_t>(digits), '0');
  for (auto it = code.rbegin(); it != code.rend(); ++it) {
    *it = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return code;
}

std::string totp_code(const HmacFunction& hmac, ByteView secret, core::Timestamp now,
                      const TotpPolicy& policy) {
  const std::int64_t step = totp_time_step(now, policy.step);
  if (step < 0) return {};
  return hotp_code(hmac, secret, static_cast<std::uint64_t>(step), policy.digits);
}

std::string_view to_string(TotpCheck c) noexcept {
  switch (c) {
    case TotpCheck::Accepted: return "accepted";
    case TotpCheck::WrongCode: return "wrong_code";
    case TotpCheck::Replayed: return "replayed";
    case TotpCheck::Malformed: return "malformed";
  }
  return "unknown";
}

TotpVerification verify_totp(const HmacFunction& hmac, ByteView secret, std::string_view code,
                             core::Timestamp now, const TotpState& state, const TotpPolicy& policy) {
  TotpVerification verification{TotpCheck::WrongCode, state, std::nullopt};
  if (!digits_supported(policy.digits) || !is_well_formed(code, policy.digits) || secret.empty()) {
    verification.result = TotpCheck::Malformed;
    return verification;
  }
  const std::int64_t current = totp_time_step(now, policy.step);
  // Clamped: a misconfigured window must not turn one login into thousands of HMACs.
  const int drift = std::clamp(policy.accepted_drift_steps, 0, kLargestDriftSteps);
  bool matched_a_used_step = false;
  // Every candidate is computed, so the time taken does not depend on which step matched.
  for (std::int64_t step = current - drift; step <= current + drift; ++step) {
    if (step < 0) continue;
    const std::string expected = hotp_code(hmac, secret, static_cast<std::uint64_t>(step), policy.digits);
    if (expected.empty() || !equal_in_constant_time(expected, code)) continue;
    const bool already_used = state.last_accepted_step && step <= *state.last_accepted_step;
    if (already_used) {
      matched_a_used_step = true;
    } else if (!verification.matched_step) {
      verification.matched_step = step;
    }
  }
  if (verification.matched_step) {
    verification.result = TotpCheck::Accepted;
    verification.state.last_accepted_step = verification.matched_step;
  } else if (matched_a_used_step) {
    verification.result = TotpCheck::Replayed;
  }
  return verification;
}

}  // namespace portcullis::operators
