#pragma once
// The alarm lifecycle: raised -> acknowledged (comment required) -> resolved (comment required), with
// escalation when nobody acknowledges in time. Repeats of an open alarm (same kind and subject) are folded
// into it with a count, so guards are not flooded. Derived from stored history like every other state.
#include <cstdint>
#include <deque>
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
  friend bool operator==(const AlarmRecord&, const AlarmRecord&) = default;
};

enum class AlarmChange { Done, UnknownAlarm, CommentRequired, AlreadyResolved, AlreadyAcknowledged };

[[nodiscard]] std::string_view to_string(AlarmState s) noexcept;
[[nodiscard]] std::string_view to_string(AlarmChange c) noexcept;

// How long a resolved alarm stays in memory (docs/operators.md, "Alarms"): it leaves when it has been
// resolved for `keep_resolved_for`, or when more than `max_resolved` resolved alarms are kept (oldest
// resolution first). Open and acknowledged alarms are never dropped. Forgetting happens when an alarm is
// raised or resolved, at that record's time, so a replay forgets at the same points as the live server.
// A forgotten alarm is history only: acknowledging or resolving it again answers unknown_alarm.
struct AlarmRetention {
  Duration keep_resolved_for = std::chrono::hours(24);
  std::size_t max_resolved = 10'000;
};

class AlarmBook {
 public:
  // Everything the book holds, for an engine snapshot (core/snapshot): alarms by id and the resolution
  // times of the resolved ones still kept, oldest first. The open alarms' index is derived from them.
  struct Contents {
    std::map<std::string, AlarmRecord> alarms;
    std::deque<std::pair<Timestamp, std::string>> resolved;
    friend bool operator==(const Contents&, const Contents&) = default;
  };

  AlarmBook() = default;
  explicit AlarmBook(AlarmRetention retention) : retention_(retention) {}
  // The book a snapshot describes, as it was when the snapshot was taken.
  AlarmBook(Contents contents, AlarmRetention retention);
  [[nodiscard]] Contents contents() const { return {alarms_, resolved_}; }
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
  // True when an alarm of this kind is not resolved.
  [[nodiscard]] bool has_open(std::string_view kind) const;
  // Alarms held in memory: open, acknowledged and the resolved ones still retained.
  [[nodiscard]] std::size_t size() const noexcept { return alarms_.size(); }

 private:
  void forget_resolved(Timestamp now);

  AlarmRetention retention_;
  std::map<std::string, AlarmRecord> alarms_;
  std::map<std::string, std::string> open_by_key_;          // kind + subject -> id, while not resolved
  std::deque<std::pair<Timestamp, std::string>> resolved_;  // resolution time and id, oldest first
};

}  // namespace portcullis::core
