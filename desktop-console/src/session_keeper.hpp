#pragma once
// What the console does about the server's 15-minute idle limit (docs/console.md, "Session and idle").
//
// The live stream checks its session with a peek that does not count as activity, on purpose: a console
// that nobody uses must not stay signed in forever. So the console never keeps a session alive by itself.
// It keeps it alive only for a person who is using it: when the guard has touched the console (mouse or
// keyboard) since the session was last refreshed, and the last refresh is older than `refreshAfterMs`, it
// sends one cheap authenticated request (which the server counts as activity). With nobody at the screen the
// session runs out as the server intends; the console warns before that (`warningMs` before the end) and,
// when the server ends it, says so in the banner instead of going quietly stale.
//
// Pure logic with an injected clock (milliseconds), so it is tested without waiting 15 minutes.
#include <QtGlobal>
#include <functional>

namespace portcullis::console {

class SessionKeeper {
 public:
  using Clock = std::function<qint64()>;
  static constexpr qint64 kServerIdleMs = 15 * 60 * 1000;  // docs/operators.md: 15 minutes idle
  static constexpr qint64 kRefreshAfterMs = 4 * 60 * 1000;
  static constexpr qint64 kWarningMs = 3 * 60 * 1000;

  explicit SessionKeeper(Clock clock, qint64 idleMs = kServerIdleMs, qint64 refreshAfterMs = kRefreshAfterMs,
                         qint64 warningMs = kWarningMs);

  // A new session (sign-in): it starts fresh and not expired.
  void signedIn();
  // Any authenticated request that the server accepted (the console's own commands, alarm actions, ...).
  void serverTouched();
  // Keyboard or mouse input in the console.
  void operatorActive();
  // The server refused the session (401, or the stream closed with "session ended").
  void expired();

  // Call periodically: true when a refresh request should be sent now (and it is then counted as sent).
  [[nodiscard]] bool shouldRefresh();

  [[nodiscard]] bool isExpired() const { return expired_; }
  // Time left until the server's idle limit, as far as the console knows (another client's requests with
  // the same token would extend it; the console does not share its token). Never negative.
  [[nodiscard]] qint64 remainingMs() const;
  // The banner warns while this is true: nobody has used the console and the session ends soon.
  [[nodiscard]] bool warning() const;

 private:
  Clock clock_;
  qint64 idleMs_;
  qint64 refreshAfterMs_;
  qint64 warningMs_;
  qint64 lastTouch_ = 0;     // last request the server counted as activity
  qint64 lastActivity_ = 0;  // last operator input
  bool activeSinceTouch_ = false;
  bool expired_ = false;
};

}  // namespace portcullis::console
