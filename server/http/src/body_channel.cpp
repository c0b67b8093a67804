#include "portcullis/http/http_types.hpp"

namespace portcullis::http {

bool BodyChannel::push(std::string piece) {
  Next deliver;
  {
    std::unique_lock lock{mutex_};
    space_.wait(lock, [&] { return cancelled_ || pieces_.size() < capacity_; });
    if (cancelled_ || closed_) return false;
    if (waiting_) {
      deliver = std::move(waiting_);
      waiting_ = nullptr;
    } else {
      pieces_.push_back(std::move(piece));
      return true;
    }
  }
  deliver(std::move(piece), true);  // outside the lock: the connection may pull again at once
  return true;
}

void BodyChannel::close(bool ok) {
  Next deliver;
  {
    std::lock_guard lock{mutex_};
    if (closed_) return;
    closed_ = true;
    ok_ = ok;
    if (waiting_ && pieces_.empty()) {
      deliver = std::move(waiting_);
      waiting_ = nullptr;
    }
  }
  if (deliver) deliver(std::nullopt, ok);
}

void BodyChannel::pull(Next next) {
  std::optional<std::string> piece;
  bool ok = true;
  {
    std::lock_guard lock{mutex_};
    if (!pieces_.empty()) {
      piece = std::move(pieces_.front());
      pieces_.pop_front();
    } else if (!closed_ && !cancelled_) {
      waiting_ = std::move(next);
      return;
    } else {
      ok = ok_ && !cancelled_;
    }
  }
  space_.notify_all();
  next(std::move(piece), ok);
}

void BodyChannel::cancel() {
  {
    std::lock_guard lock{mutex_};
    cancelled_ = true;
    pieces_.clear();
    waiting_ = nullptr;
  }
  space_.notify_all();
}

}  // namespace portcullis::http
