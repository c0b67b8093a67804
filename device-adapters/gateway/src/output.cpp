#include "portcullis/gateway/output.hpp"

#include "portcullis/util/rfc3339.hpp"

namespace portcullis::gateway {

void Output::append(Output other) {
  for (auto& e : other.events) events.push_back(std::move(e));
  for (auto& n : other.notices) notices.push_back(std::move(n));
}

// The tree's one RFC 3339 formatter and parser (server/util), in the gateway's clock type: the device API
// documents milliseconds; a time the gateway reads (the command line) uses the device events' grammar.
std::string format_rfc3339(WallTime t) {
  return util::format_rfc3339(std::chrono::floor<std::chrono::microseconds>(t), util::SecondFraction::Millis);
}

std::optional<WallTime> parse_rfc3339(std::string_view s) {
  const auto t = util::parse_rfc3339(s, util::kDeviceEventTime);
  if (!t) return std::nullopt;
  return std::chrono::time_point_cast<WallClock::duration>(*t);
}

}  // namespace portcullis::gateway
