#pragma once
// What a new operator password must satisfy, after NIST SP 800-63B: length rather than composition
// rules (which push people to predictable patterns), and a ceiling so a request cannot make the
// server hash megabytes.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace portcullis::operators {

struct PasswordRules {
  std::size_t min_characters = 12;  // the second factor is TOTP, but the password still guards it
  std::size_t max_bytes = 1024;
};

enum class PasswordProblem : std::uint8_t { TooShort, TooLong, SameAsName };

[[nodiscard]] std::string_view to_string(PasswordProblem p) noexcept;

// Characters are counted as UTF-8 code points, so "passphrase" in any script is judged alike.
[[nodiscard]] std::optional<PasswordProblem> check_new_password(std::string_view password,
                                                                std::string_view operator_name,
                                                                const PasswordRules& rules = {}) noexcept;

}  // namespace portcullis::operators
