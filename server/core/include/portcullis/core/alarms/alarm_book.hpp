#pragma once
// The alarm lifecycle: raised -> acknowledged (comment required) -> resolved (comment required), with
// escalation when nobody acknowledges in time. Repeats of an open alarm (same kind and subject) are folded
// into it with a count, so guards are not flooded. Derived from stored history like every other state.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "portcullis/core/outcome.hpp"
#include "portcullis/core/time.hpp"

namespace portcullis::core {

enum class AlarmState { Raised, Acknowledged, Resolved };

struct AlarmRecord {
  std::string id;  // "A<site_seq>.<index>" of the event that first raised it
  std::string kind;
  Severity severity = Severity::Medium;
  std::string subject;
  std::string detail;
  bool silent = false;
  AlarmState state = AlarmState::Raised;
  std::uint32_t count = 1;
  Timestamp raised_at{};
  Timestamp last_seen_at{};
  bool escalated = false;
  std::string acknowledged_by, acknowledge_comment;
  std::optional<Timestamp> acknowledged_at;
  std::string resolved_by, resolve_comment;
  std::optional<Timestamp> resolved_at;
};

enum class AlarmChange { Done, UnknownAlarm, CommentRequired, AlreadyResolved, AlreadyAcknowledged };

[[nodiscard]] std::string_view to_string(AlarmState s) noexcept;
[[nodiscard]] std::string_view to_string(AlarmChange c) noexcept;

class AlarmBook {
 public:
  // Returns the record now holding this alarm (new, or an open one it was folded into).
  const AlarmRecord& raise(const Alarm& alarm, Timestamp at, std::int64_t site_seq, std::size_t index);
  // Checks without changing anything: what acknowledge/resolve would answer.
  [[nodiscard]] AlarmChange can_acknowledge(const std::string& id, const std::string& comment) const;
  [[nodiscard]] AlarmChange can_resolve(const std::string& id, const std::string& comment) const;
  AlarmChange acknowledge(const std::string& id, const std::string& by, const std::string& comment,
                          Timestamp at);
  AlarmChange resolve(const std::string& id, const std::string& by, const std::string& comment, Timestamp at);
  // Raised (not acknowledged) alarms older than `after` and not yet escalated.
  [[nodiscard]] std::vector<std::string> due_for_escalation(Timestamp now, Duration after) const;
  void mark_escalated(const std::string& id);

  [[nodiscard]] const AlarmRecord* find(const std::string& id) const;
  // Not resolved, most severe first, then oldest first.
  [[nodiscard]] std::vector<AlarmRecord> open() const;

 private:
  std::map<std::string, AlarmRecord> alarms_;
  std::map<std::string, std::string> open_by_key_;  // kind + subject -> id, while not resolved
};

}  // namespace portcullis::core
