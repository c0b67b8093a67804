#pragma once
// What the pure gateway stages produce: device-API events (without device_id and seq, which the
// OutboundBuffer assigns) and log lines for the operator.
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::gateway {

using WallClock = std::chrono::system_clock;
using WallTime = WallClock::time_point;

struct Output {
  std::vector<nlohmann::json> events;
  std::vector<std::string> notices;

  void append(Output other);
};

// "2026-11-27T10:00:00.123Z" (UTC, milliseconds), the form the device API documents.
[[nodiscard]] std::string format_rfc3339(WallTime t);
// RFC 3339 date-time: "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" ('t'/'z'/' ' accepted as the
// spec allows). nullopt when malformed.
[[nodiscard]] std::optional<WallTime> parse_rfc3339(std::string_view text);

}  // namespace portcullis::gateway
