#include "portcullis/http/connection_book.hpp"

#include <algorithm>

namespace portcullis::http {

ConnectionBook::ConnectionBook(ConnectionLimits limits) : limits_(limits) {}

Admission ConnectionBook::admit(const std::string& address, Clock::time_point now) {
  std::lock_guard lock{mutex_};
  // Addresses with nothing open are remembered only while their rate still matters; dropped in bulk when
  // the table grows, so a stream of one-off addresses cannot grow it without bound.
  if (addresses_.size() > 2 * limits_.max_connections + 1024) forget_idle_addresses(now);
  const bool is_new = addresses_.find(address) == addresses_.end();
  auto& entry = addresses_[address];
  const double burst = 2.0 * limits_.new_per_second;
  if (is_new) {
    entry.tokens = burst;
    entry.refilled = now;
  } else if (now > entry.refilled) {
    entry.tokens =
        std::min(burst, entry.tokens + std::chrono::duration<double>(now - entry.refilled).count() *
                                           limits_.new_per_second);
    entry.refilled = now;
  }
  const bool is_known = known_locked(address, now);
  auto refuse = [&](Admission why) {
    if (entry.open == 0 && is_new) addresses_.erase(address);
    return why;
  };
  if (entry.open >= limits_.max_per_address) return refuse(Admission::over_address_limit);
  if (open_ >= limits_.max_connections) return refuse(Admission::over_limit);
  if (!is_known) {
    if (entry.tokens < 1.0) return refuse(Admission::over_address_rate);
    if (open_ + limits_.reserved_for_known >= limits_.max_connections)
      return refuse(Admission::over_shared_limit);
    entry.tokens -= 1.0;
  }
  ++entry.open;
  ++open_;
  return Admission::admitted;
}

void ConnectionBook::release(const std::string& address) {
  std::lock_guard lock{mutex_};
  auto it = addresses_.find(address);
  if (it == addresses_.end() || it->second.open == 0) return;
  --it->second.open;
  --open_;
}

void ConnectionBook::mark_known(const std::string& address, Clock::time_point now) {
  std::lock_guard lock{mutex_};
  auto it = known_.find(address);
  if (it != known_.end()) {
    it->second = now;
    return;
  }
  if (known_.size() >= limits_.remembered_addresses) {
    std::erase_if(known_, [&](const auto& entry) { return now - entry.second >= limits_.known_for; });
    if (known_.size() >= limits_.remembered_addresses) {
      known_.erase(std::min_element(known_.begin(), known_.end(),
                                    [](const auto& a, const auto& b) { return a.second < b.second; }));
    }
  }
  known_.emplace(address, now);
}

std::size_t ConnectionBook::open() const {
  std::lock_guard lock{mutex_};
  return open_;
}

std::size_t ConnectionBook::open_from(const std::string& address) const {
  std::lock_guard lock{mutex_};
  auto it = addresses_.find(address);
  return it == addresses_.end() ? 0 : it->second.open;
}

std::size_t ConnectionBook::tracked_addresses() const {
  std::lock_guard lock{mutex_};
  return addresses_.size();
}

bool ConnectionBook::known(const std::string& address, Clock::time_point now) const {
  std::lock_guard lock{mutex_};
  return known_locked(address, now);
}

bool ConnectionBook::known_locked(const std::string& address, Clock::time_point now) const {
  auto it = known_.find(address);
  return it != known_.end() && now - it->second < limits_.known_for;
}

void ConnectionBook::forget_idle_addresses(Clock::time_point now) {
  const double burst = 2.0 * limits_.new_per_second;
  std::erase_if(addresses_, [&](const auto& entry) {
    const auto& a = entry.second;
    const double tokens =
        a.tokens + std::chrono::duration<double>(now - a.refilled).count() * limits_.new_per_second;
    return a.open == 0 && tokens >= burst;
  });
}

}  // namespace portcullis::http
