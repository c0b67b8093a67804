#include "portcullis/core/alarms/alarm_book.hpp"

#include <algorithm>

namespace portcullis::core {
namespace {
std::string key_of(const std::string& kind, const std::string& subject) {
  return kind + '\x1f' + subject;
}
bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}
}  // namespace

std::string_view to_string(AlarmState s) noexcept {
  switch (s) {
    case AlarmState::Raised: return "raised";
    case AlarmState::Acknowledged: return "acknowledged";
    case AlarmState::Resolved: return "resolved";
  }
  return "raised";
}

std::string_view to_string(AlarmChange c) noexcept {
  switch (c) {
    case AlarmChange::Done: return "done";
    case AlarmChange::UnknownAlarm: return "unknown_alarm";
    case AlarmChange::CommentRequired: return "comment_required";
    case AlarmChange::AlreadyResolved: return "already_resolved";
    case AlarmChange::AlreadyAcknowledged: return "already_acknowledged";
  }
  return "unknown_alarm";
}

AlarmBook::AlarmBook(Contents contents, AlarmRetention retention)
    : retention_(retention), alarms_(std::move(contents.alarms)), resolved_(std::move(contents.resolved)) {
  for (const auto& [id, alarm] : alarms_) {
    if (alarm.state != AlarmState::Resolved) open_by_key_[key_of(alarm.kind, alarm.subject)] = id;
  }
}

const AlarmRecord& AlarmBook::raise(const Alarm& alarm, Timestamp at, std::int64_t site_seq,
                                    std::size_t index) {
  forget_resolved(at);
  const auto key = key_of(alarm.kind, alarm.subject);
  if (auto it = open_by_key_.find(key); it != open_by_key_.end()) {
    auto& existing = alarms_.at(it->second);
    ++existing.count;
    existing.last_seen_at = at;
    existing.severity = std::max(existing.severity, alarm.severity);
    return existing;
  }
  AlarmRecord r;
  r.id = "A" + std::to_string(site_seq) + "." + std::to_string(index);
  r.kind = alarm.kind;
  r.severity = alarm.severity;
  r.subject = alarm.subject;
  r.detail = alarm.detail;
  r.silent = alarm.silent;
  r.raised_at = at;
  r.last_seen_at = at;
  open_by_key_[key] = r.id;
  return alarms_[r.id] = std::move(r);
}

AlarmChange AlarmBook::can_acknowledge(const std::string& id, const std::string& comment) const {
  const auto* a = find(id);
  if (a == nullptr) return AlarmChange::UnknownAlarm;
  if (blank(comment)) return AlarmChange::CommentRequired;
  if (a->state == AlarmState::Resolved) return AlarmChange::AlreadyResolved;
  if (a->state == AlarmState::Acknowledged) return AlarmChange::AlreadyAcknowledged;
  return AlarmChange::Done;
}

AlarmChange AlarmBook::can_resolve(const std::string& id, const std::string& comment) const {
  const auto* a = find(id);
  if (a == nullptr) return AlarmChange::UnknownAlarm;
  if (blank(comment)) return AlarmChange::CommentRequired;
  if (a->state == AlarmState::Resolved) return AlarmChange::AlreadyResolved;
  return AlarmChange::Done;
}

AlarmChange AlarmBook::acknowledge(const std::string& id, const std::string& by, const std::string& comment,
                                   Timestamp at) {
  const auto check = can_acknowledge(id, comment);
  if (check != AlarmChange::Done) return check;
  auto& a = alarms_.at(id);
  a.state = AlarmState::Acknowledged;
  a.acknowledged_by = by;
  a.acknowledge_comment = comment;
  a.acknowledged_at = at;
  return AlarmChange::Done;
}

AlarmChange AlarmBook::resolve(const std::string& id, const std::string& by, const std::string& comment,
                               Timestamp at) {
  const auto check = can_resolve(id, comment);
  if (check != AlarmChange::Done) return check;
  auto& a = alarms_.at(id);
  a.state = AlarmState::Resolved;
  a.resolved_by = by;
  a.resolve_comment = comment;
  a.resolved_at = at;
  open_by_key_.erase(key_of(a.kind, a.subject));
  forget_resolved(at);  // before adding it: the alarm just resolved stays findable for this answer
  resolved_.emplace_back(at, id);
  return AlarmChange::Done;
}

void AlarmBook::forget_resolved(Timestamp now) {
  while (!resolved_.empty() && (resolved_.size() >= retention_.max_resolved ||
                                now - resolved_.front().first >= retention_.keep_resolved_for)) {
    alarms_.erase(resolved_.front().second);
    resolved_.pop_front();
  }
}

std::vector<std::string> AlarmBook::due_for_escalation(Timestamp now, Duration after) const {
  // Only alarms not yet resolved can be due: the scan costs the open alarms, not every alarm ever raised.
  std::vector<std::string> due;
  for (const auto& [key, id] : open_by_key_) {
    const auto& a = alarms_.at(id);
    if (a.state == AlarmState::Raised && !a.escalated && now - a.raised_at >= after) due.push_back(id);
  }
  std::sort(due.begin(), due.end());  // the order the whole-book scan gave: by id
  return due;
}

void AlarmBook::mark_escalated(const std::string& id) {
  if (auto it = alarms_.find(id); it != alarms_.end()) it->second.escalated = true;
}

const AlarmRecord* AlarmBook::find(const std::string& id) const {
  auto it = alarms_.find(id);
  return it == alarms_.end() ? nullptr : &it->second;
}

bool AlarmBook::has_open(std::string_view kind) const {
  const auto prefix = std::string(kind) + '\x1f';
  const auto it = open_by_key_.lower_bound(prefix);
  return it != open_by_key_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

std::vector<AlarmRecord> AlarmBook::open() const {
  std::vector<AlarmRecord> out;
  for (const auto& [key, id] : open_by_key_) out.push_back(alarms_.at(id));
  std::sort(out.begin(), out.end(), [](const AlarmRecord& a, const AlarmRecord& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    return a.raised_at < b.raised_at;
  });
  return out;
}

}  // namespace portcullis::core
