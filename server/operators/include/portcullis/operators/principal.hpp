#pragma once
// Who is calling: nobody (no credential), an operator with one role, or a device. Devices are a
// separate kind, not a role, so no role set can ever accidentally include a door controller.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>

#include "portcullis/core/strong_id.hpp"

namespace portcullis::operators {

// One role per operator account: separation of duties is easier to audit when an account cannot
// be both the auditor and the admin it audits.
enum class Role : std::uint8_t { Guard, Supervisor, Auditor, Admin };

inline constexpr Role kAllRoles[] = {Role::Guard, Role::Supervisor, Role::Auditor, Role::Admin};

[[nodiscard]] std::string_view to_string(Role role) noexcept;
[[nodiscard]] std::optional<Role> parse_role(std::string_view text) noexcept;

// A small value set of roles, usable in constexpr tables.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<Role> roles) {
    for (Role r : roles) bits_ = static_cast<std::uint8_t>(bits_ | bit(r));
  }
  [[nodiscard]] constexpr bool contains(Role r) const noexcept { return (bits_ & bit(r)) != 0; }
  [[nodiscard]] constexpr bool empty() const noexcept { return bits_ == 0; }
  friend constexpr bool operator==(RoleSet, RoleSet) = default;

  static constexpr RoleSet all_operators() {
    return {Role::Guard, Role::Supervisor, Role::Auditor, Role::Admin};
  }

 private:
  static constexpr std::uint8_t bit(Role r) noexcept {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(r));
  }
  std::uint8_t bits_ = 0;
};

// MetricsScraper: Prometheus (or another monitoring system) with the scrape token of the server's config;
// it reads /metrics and the open routes, nothing else (authorization_matrix.hpp).
enum class PrincipalKind : std::uint8_t { Anonymous, Operator, Device, MetricsScraper };

// The authenticated caller as the HTTP layer resolved it from a session token or device token.
struct Principal {
  PrincipalKind kind = PrincipalKind::Anonymous;
  core::OperatorId operator_id;  // set for operators
  std::optional<Role> role;      // set for operators only: a device is not a guard
  // The site person an operator account belongs to. Every account is either linked to its person or an
  // explicit non-person service account (empty here): two accounts of one person must not count as two
  // people, so a service account never approves, confirms an override or starts something a second
  // operator approves (dual_approval refuses not_a_person).
  core::PersonId person;
  core::DeviceId device_id;  // set for devices

  static Principal anonymous() { return {}; }
  static Principal operator_with(core::OperatorId id, Role r, core::PersonId linked_person = {}) {
    return {PrincipalKind::Operator, std::move(id), r, std::move(linked_person), {}};
  }
  static Principal device(core::DeviceId id) {
    return {PrincipalKind::Device, {}, std::nullopt, {}, std::move(id)};
  }
  static Principal metrics_scraper() { return {PrincipalKind::MetricsScraper, {}, std::nullopt, {}, {}}; }

  [[nodiscard]] bool is_operator() const noexcept { return kind == PrincipalKind::Operator; }
  [[nodiscard]] bool is_device() const noexcept { return kind == PrincipalKind::Device; }
  [[nodiscard]] bool is_service_account() const noexcept { return is_operator() && person.empty(); }
  [[nodiscard]] bool has_role_in(RoleSet roles) const noexcept {
    return is_operator() && role.has_value() && roles.contains(*role);
  }
  // Same operator account, or two accounts linked to the same person.
  [[nodiscard]] bool is_same_operator_or_person(const core::OperatorId& other_operator,
                                                const core::PersonId& other_person) const noexcept {
    return operator_id == other_operator || (!person.empty() && person == other_person);
  }
};

}  // namespace portcullis::operators
