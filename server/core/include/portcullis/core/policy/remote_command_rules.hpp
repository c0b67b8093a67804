#pragma once
// What an operator's remote door command may do, judged with the same rules a badge meets at that door: the
// mantrap interlock, lockdowns, fire egress and the place's tier. Pure: the server asks it on the sequencer
// thread, with the engine's model and state at the exact point of the log where the command is recorded.
//
//   opening (momentary_unlock, unlock, lock_open):
//     refused  lockdown         either side of the door is in a locked-down zone (or the site is)
//     refused  interlock_busy   a mantrap door while another door of its vestibule is open or released
//     second   mantrap          a mantrap door needs a second operator
//     second   two_person_place either side is a two-person place (min_occupancy >= 2, a two-person tier)
//     second   tier             either side's tier (raised by threat levels) is at or above the sensitive
//     tier
//   lock:
//     refused  fire_egress      a door the fire releases for egress is never locked while the fire lasts
#include <optional>
#include <string>
#include <string_view>

#include "portcullis/core/policy/engine_state.hpp"
#include "portcullis/core/site_model.hpp"
#include "portcullis/core/strong_id.hpp"
#include "portcullis/core/time.hpp"

namespace portcullis::core {

enum class DoorCommandKind { MomentaryUnlock, Lock, Unlock, LockOpen };

[[nodiscard]] std::optional<DoorCommandKind> parse_door_command_kind(std::string_view text) noexcept;
[[nodiscard]] std::string_view to_string(DoorCommandKind kind) noexcept;
// Momentary unlock, unlock and lock open let people through; lock does not.
[[nodiscard]] constexpr bool opens_door(DoorCommandKind kind) noexcept {
  return kind != DoorCommandKind::Lock;
}

enum class CommandRuling { Allowed, NeedsSecondOperator, Refused };

struct CommandJudgement {
  CommandRuling ruling = CommandRuling::Refused;
  // A stable code: for a refusal unknown_door | lockdown | interlock_busy | fire_egress; for a second
  // operator mantrap | two_person_place | tier; empty when allowed.
  std::string reason;
  std::string detail;  // for people: which door or zone
};

[[nodiscard]] CommandJudgement judge_door_command(const SiteModel& model, const EngineState& state,
                                                  const PortalId& door, DoorCommandKind kind, Timestamp now,
                                                  int sensitive_tier = 3);

}  // namespace portcullis::core
