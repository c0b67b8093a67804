#include "portcullis/operators/principal.hpp"

namespace portcullis::operators {

std::string_view to_string(Role role) noexcept {
  switch (role) {
    case Role::Guard: return "guard";
    case Role::Supervisor: return "supervisor";
    case Role::Auditor: return "auditor";
    case Role::Admin: return "admin";
  }
  return "unknown";
}

std::optional<Role> parse_role(std::string_view text) noexcept {
  for (Role r : kAllRoles) {
    if (to_string(r) == text) return r;
  }
  return std::nullopt;
}

}  // namespace portcullis::operators
