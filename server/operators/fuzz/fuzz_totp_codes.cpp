// Arbitrary codes, times and stored states: verification never crashes, accepts only well-formed
// codes, and only ever moves the remembered step forward (the replay guard cannot be rewound).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "portcullis/operators/totp.hpp"

using namespace portcullis;
using namespace portcullis::operators;

namespace {

// Deterministic stand-in for HMAC-SHA-1 (20 bytes), so the policy is fuzzed without OpenSSL.
Bytes fake_hmac(ByteView key, ByteView message) {
  Bytes tag(20, 0);
  std::uint32_t h = 2166136261u;
  for (std::uint8_t b : key) h = (h ^ b) * 16777619u;
  for (std::uint8_t b : message) h = (h ^ b) * 16777619u;
  for (std::size_t i = 0; i < tag.size(); ++i) {
    h = (h ^ static_cast<std::uint32_t>(i)) * 16777619u;
    tag[i] = static_cast<std::uint8_t>(h >> 24);
  }
  return tag;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 17) return 0;
  std::int64_t seconds = 0;
  std::int64_t last = 0;
  std::memcpy(&seconds, data, 8);
  std::memcpy(&last, data + 8, 8);
  seconds %= std::int64_t{1} << 40;  // keep microseconds within range
  const bool has_last = (data[16] & 1) != 0;
  const TotpState state{has_last ? std::optional<std::int64_t>{last} : std::nullopt};
  const auto now = core::from_unix_micros(seconds * 1'000'000);
  const ByteView secret{data, 16};

  // Half the time, a right code for a step near "now" (random text almost never is one), so the
  // accept and replay paths get exercised too.
  std::string code{reinterpret_cast<const char*>(data + 17), size - 17};
  if ((data[16] & 2) != 0) {
    const std::int64_t step = totp_time_step(now, std::chrono::seconds{30}) + (data[16] >> 2) % 5 - 2;
    if (step >= 0) code = hotp_code(fake_hmac, secret, static_cast<std::uint64_t>(step), 6);
  }
  const auto result = verify_totp(fake_hmac, secret, code, now, state);

  if (result.result == TotpCheck::Accepted) {
    OPERATOR_FUZZ_CHECK(code.size() == 6);
    OPERATOR_FUZZ_CHECK(result.matched_step && result.state.last_accepted_step == result.matched_step);
    OPERATOR_FUZZ_CHECK(!state.last_accepted_step || *result.matched_step > *state.last_accepted_step);
    OPERATOR_FUZZ_CHECK(code ==
                        hotp_code(fake_hmac, secret, static_cast<std::uint64_t>(*result.matched_step), 6));
  } else {
    OPERATOR_FUZZ_CHECK(result.state == state);
  }
  return 0;
}
