#include "session_keeper.hpp"

#include <algorithm>

namespace portcullis::console {

SessionKeeper::SessionKeeper(Clock clock, qint64 idleMs, qint64 refreshAfterMs, qint64 warningMs)
    : clock_(std::move(clock)), idleMs_(idleMs), refreshAfterMs_(refreshAfterMs), warningMs_(warningMs) {
  lastTouch_ = lastActivity_ = clock_();
}

void SessionKeeper::signedIn() {
  lastTouch_ = lastActivity_ = clock_();
  activeSinceTouch_ = false;
  expired_ = false;
}

void SessionKeeper::serverTouched() {
  lastTouch_ = clock_();
  activeSinceTouch_ = false;
}

void SessionKeeper::operatorActive() {
  lastActivity_ = clock_();
  activeSinceTouch_ = true;
}

void SessionKeeper::expired() {
  expired_ = true;
}

bool SessionKeeper::shouldRefresh() {
  if (expired_ || !activeSinceTouch_) return false;
  const qint64 now = clock_();
  // Once the server's limit has passed, a refresh would only meet a 401: let the expiry path handle it.
  if (now - lastTouch_ >= idleMs_) return false;
  if (now - lastTouch_ < refreshAfterMs_) return false;
  serverTouched();
  return true;
}

qint64 SessionKeeper::remainingMs() const {
  return std::max<qint64>(0, idleMs_ - (clock_() - lastTouch_));
}

bool SessionKeeper::warning() const {
  return !expired_ && remainingMs() <= warningMs_;
}

}  // namespace portcullis::console
