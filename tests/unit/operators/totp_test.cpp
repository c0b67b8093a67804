#include "portcullis/operators/totp.hpp"

#include <gtest/gtest.h>

#include <string>

#include "portcullis/operators/crypto/encoding.hpp"
#include "portcullis/operators/crypto/hmac.hpp"

namespace portcullis::operators {
namespace {

using crypto::as_bytes;

constexpr std::string_view kSha1Secret = "12345678901234567890";
constexpr std::string_view kSha256Secret = "12345678901234567890123456789012";
constexpr std::string_view kSha512Secret = "1234567890123456789012345678901234567890123456789012345678901234";

core::Timestamp at_unix_seconds(std::int64_t seconds) {
  return core::from_unix_micros(seconds * 1'000'000);
}

TEST(Hotp, Rfc4226AppendixDVectors) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(hotp_code(crypto::hmac_sha1, as_bytes(kSha1Secret), counter, 6), expected[counter]) << counter;
  }
}

struct Rfc6238Vector {
  std::int64_t unix_seconds;
  const char* sha1;
  const char* sha256;
  const char* sha512;
};

// RFC 6238 appendix B (8 digits, 30-second steps).
constexpr Rfc6238Vector kRfc6238Vectors[] = {
    {59, "94287082", "46119246", "90693936"},         {1111111109, "07081804", "68084774", "25091201"},
    {1111111111, "14050471", "67062674", "99943326"}, {1234567890, "89005924", "91819424", "93441116"},
    {2000000000, "69279037", "90698825", "38618901"}, {20000000000, "65353130", "77737706", "47863826"},
};

TEST(Totp, Rfc6238AppendixBVectors) {
  const TotpPolicy eight_digits{std::chrono::seconds{30}, 8, 1};
  for (const auto& v : kRfc6238Vectors) {
    const auto now = at_unix_seconds(v.unix_seconds);
    EXPECT_EQ(totp_code(crypto::hmac_sha1, as_bytes(kSha1Secret), now, eight_digits), v.sha1)
        << v.unix_seconds;
    EXPECT_EQ(totp_code(crypto::hmac_sha256, as_bytes(kSha256Secret), now, eight_digits), v.sha256)
        << v.unix_seconds;
    EXPECT_EQ(totp_code(crypto::hmac_sha512, as_bytes(kSha512Secret), now, eight_digits), v.sha512)
        << v.unix_seconds;
  }
}

TEST(Totp, SixDigitCodesAreTheLastSixOfTheRfcVectors) {
  for (const auto& v : kRfc6238Vectors) {
    const std::string eight{v.sha1};
    EXPECT_EQ(totp_code(crypto::hmac_sha1, as_bytes(kSha1Secret), at_unix_seconds(v.unix_seconds)),
              eight.substr(2));
  }
}

TEST(Totp, RfcVectorsVerifyWithEightDigits) {
  const TotpPolicy eight_digits{std::chrono::seconds{30}, 8, 1};
  for (const auto& v : kRfc6238Vectors) {
    const auto result = verify_totp(crypto::hmac_sha1, as_bytes(kSha1Secret), v.sha1,
                                    at_unix_seconds(v.unix_seconds), TotpState{}, eight_digits);
    EXPECT_EQ(result.result, TotpCheck::Accepted) << v.unix_seconds;
  }
}

TEST(Totp, TimeStepFloorsIncludingBeforeTheEpoch) {
  EXPECT_EQ(totp_time_step(at_unix_seconds(0), std::chrono::seconds{30}), 0);
  EXPECT_EQ(totp_time_step(at_unix_seconds(29), std::chrono::seconds{30}), 0);
  EXPECT_EQ(totp_time_step(at_unix_seconds(30), std::chrono::seconds{30}), 1);
  EXPECT_EQ(totp_time_step(at_unix_seconds(59), std::chrono::seconds{30}), 1);
  EXPECT_EQ(totp_time_step(at_unix_seconds(-1), std::chrono::seconds{30}), -1);
  EXPECT_EQ(totp_time_step(at_unix_seconds(-30), std::chrono::seconds{30}), -1);
  EXPECT_EQ(totp_time_step(at_unix_seconds(-31), std::chrono::seconds{30}), -2);
}

class TotpVerify : public ::testing::Test {
 protected:
  const core::Timestamp now = at_unix_seconds(1'700'000'015);  // middle of a step
  const std::int64_t step = totp_time_step(now, std::chrono::seconds{30});

  std::string code_for_step(std::int64_t s) const {
    return hotp_code(crypto::hmac_sha1, as_bytes(kSha1Secret), static_cast<std::uint64_t>(s), 6);
  }
  TotpVerification verify(std::string_view code, const TotpState& state = {}) const {
    return verify_totp(crypto::hmac_sha1, as_bytes(kSha1Secret), code, now, state);
  }
};

TEST_F(TotpVerify, AcceptsTheCurrentStepAndAdvancesTheState) {
  const auto result = verify(code_for_step(step));
  EXPECT_EQ(result.result, TotpCheck::Accepted);
  EXPECT_EQ(result.matched_step, step);
  EXPECT_EQ(result.state.last_accepted_step, step);
}

TEST_F(TotpVerify, AcceptsOneStepEitherSide) {
  EXPECT_EQ(verify(code_for_step(step - 1)).result, TotpCheck::Accepted);
  EXPECT_EQ(verify(code_for_step(step + 1)).result, TotpCheck::Accepted);
}

TEST_F(TotpVerify, RefusesTwoStepsAway) {
  EXPECT_EQ(verify(code_for_step(step - 2)).result, TotpCheck::WrongCode);
  EXPECT_EQ(verify(code_for_step(step + 2)).result, TotpCheck::WrongCode);
}

TEST_F(TotpVerify, RefusesAReplayOfTheSameCode) {
  const auto first = verify(code_for_step(step));
  ASSERT_EQ(first.result, TotpCheck::Accepted);
  const auto second = verify(code_for_step(step), first.state);
  EXPECT_EQ(second.result, TotpCheck::Replayed);
  EXPECT_EQ(second.state, first.state);
}

TEST_F(TotpVerify, RefusesAnEarlierStepAfterALaterOneWasAccepted) {
  const auto later = verify(code_for_step(step + 1));
  ASSERT_EQ(later.result, TotpCheck::Accepted);
  EXPECT_EQ(verify(code_for_step(step), later.state).result, TotpCheck::Replayed);
  EXPECT_EQ(verify(code_for_step(step - 1), later.state).result, TotpCheck::Replayed);
}

TEST_F(TotpVerify, AcceptsTheNextStepAfterAnAcceptedOne) {
  const auto first = verify(code_for_step(step - 1));
  ASSERT_EQ(first.result, TotpCheck::Accepted);
  const auto next = verify(code_for_step(step), first.state);
  EXPECT_EQ(next.result, TotpCheck::Accepted);
  EXPECT_EQ(next.state.last_accepted_step, step);
}

TEST_F(TotpVerify, RefusesMalformedCodesWithoutChangingState) {
  const TotpState state{step - 5};
  for (std::string_view code : {"", "12345", "1234567", "12345a", " 12345", "123 45", "１２３４５６"}) {
    const auto result = verify(code, state);
    EXPECT_EQ(result.result, TotpCheck::Malformed) << code;
    EXPECT_EQ(result.state, state);
  }
}

TEST_F(TotpVerify, WrongCodeLeavesStateAlone) {
  const std::string right = code_for_step(step);
  std::string wrong = right;
  wrong[0] = right[0] == '9' ? '0' : static_cast<char>(right[0] + 1);
  const TotpState state{step - 3};
  const auto result = verify(wrong, state);
  EXPECT_EQ(result.result, TotpCheck::WrongCode);
  EXPECT_EQ(result.state, state);
}

TEST_F(TotpVerify, AnEmptySecretNeverVerifies) {
  const auto result = verify_totp(crypto::hmac_sha1, ByteView{}, code_for_step(step), now, TotpState{});
  EXPECT_NE(result.result, TotpCheck::Accepted);
}

TEST_F(TotpVerify, ZeroDriftAcceptsOnlyTheCurrentStep) {
  const TotpPolicy strict{std::chrono::seconds{30}, 6, 0};
  auto check = [&](std::int64_t s) {
    return verify_totp(crypto::hmac_sha1, as_bytes(kSha1Secret), code_for_step(s), now, TotpState{}, strict)
        .result;
  };
  EXPECT_EQ(check(step), TotpCheck::Accepted);
  EXPECT_EQ(check(step - 1), TotpCheck::WrongCode);
  EXPECT_EQ(check(step + 1), TotpCheck::WrongCode);
}

TEST(TotpInjectedHmac, ShortMacsProduceNoCode) {
  const HmacFunction broken = [](ByteView, ByteView) { return Bytes(10, 0); };
  EXPECT_EQ(hotp_code(broken, as_bytes(kSha1Secret), 1, 6), "");
  const auto result = verify_totp(broken, as_bytes(kSha1Secret), "000000", at_unix_seconds(100), TotpState{});
  EXPECT_EQ(result.result, TotpCheck::WrongCode);
}

}  // namespace
}  // namespace portcullis::operators
