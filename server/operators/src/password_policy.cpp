#include "portcullis/operators/password_policy.hpp"

namespace portcullis::operators {
namespace {

std::size_t count_code_points(std::string_view text) noexcept {
  std::size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) ++count;  // skip continuation bytes
  }
  return count;
}

char lower_ascii(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(PasswordProblem p) noexcept {
  switch (p) {
    case PasswordProblem::TooShort: return "too_short";
    case PasswordProblem::TooLong: return "too_long";
    case PasswordProblem::SameAsName: return "same_as_name";
  }
  return "unknown";
}

std::optional<PasswordProblem> check_new_password(std::string_view password, std::string_view operator_name,
                                                  const PasswordRules& rules) noexcept {
  if (password.size() > rules.max_bytes) return PasswordProblem::TooLong;
  if (count_code_points(password) < rules.min_characters) return PasswordProblem::TooShort;
  if (equal_ignoring_ascii_case(password, operator_name)) return PasswordProblem::SameAsName;
  return std::nullopt;
}

}  // namespace portcullis::operators
